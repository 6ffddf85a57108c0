/**
 * Parity checks that explain their own fix: every ingester file is in the registry with
 * kind = file name; every rule file is in the rule registry with id = file name; every cause of
 * the verdict vocabulary has exactly one rule, with complete metadata; and a rule's `requires`
 * names every fact it reads (each rule is run over every sample and fixture bundle with its facts
 * behind a proxy that records what it reads).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SubjectFacts } from "../src/correlate/index.js";
import { ingesters } from "../src/ingest/index.js";
import { ruleFor, rules } from "../src/diagnose/rules/index.js";
import type { RuleContext } from "../src/diagnose/types.js";
import type { CauseId } from "../src/model/incident.js";
import { runPostmortem } from "../src/pipeline.js";

const INGEST_DIR = fileURLToPath(new URL("../src/ingest/", import.meta.url));
const MODEL_ARTIFACT = fileURLToPath(new URL("../src/model/artifact.ts", import.meta.url));
const RULES_DIR = fileURLToPath(new URL("../src/diagnose/rules/", import.meta.url));
const NOT_INGESTERS = new Set(["index", "types", "source", "k8s-time"]);
const MODEL_INCIDENT = fileURLToPath(new URL("../src/model/incident.ts", import.meta.url));

/** The string members of `export type <name> = "a" | "b" …;` in a source file. */
const unionOf = (file: string, name: string): string[] => {
  const union = new RegExp(`export type ${name} =([^;]*);`).exec(readFileSync(file, "utf8"))![1]!;
  return [...union.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!);
};

/** The causes of DESIGN.md §3 (`CauseId`) with a rule: all but `undetermined`, the verdict's fallback. */
const CAUSES = unionOf(MODEL_INCIDENT, "CauseId").filter((c) => c !== "undetermined") as RuleCause[];
type RuleCause = Exclude<CauseId, "undetermined">;

const stems = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3));

describe("conventions", () => {
  it("every src/ingest/<kind>.ts is registered, and its kind equals its file name", () => {
    const files = stems(INGEST_DIR)
      .filter((s) => !NOT_INGESTERS.has(s))
      .sort();
    expect(ingesters.map((i) => i.kind).sort(), "add the ingester to the array in src/ingest/index.ts").toEqual(files);
  });

  it("every src/diagnose/rules/<cause>.ts is registered, and its id equals its file name", () => {
    const files = stems(RULES_DIR)
      .filter((s) => s !== "index")
      .sort();
    expect(rules.map((r) => r.id).sort(), "add the rule to the array in src/diagnose/rules/index.ts").toEqual(files);
  });

  it("there is one rule per cause of DESIGN.md §3 (CauseId; undetermined is the verdict's fallback)", () => {
    expect(CAUSES.length, "CauseId read from src/model/incident.ts").toBeGreaterThanOrEqual(9);
    expect(
      rules.map((r) => r.id).sort(),
      "one rule file per CauseId, registered in src/diagnose/rules/index.ts",
    ).toEqual([...CAUSES].sort());
    for (const c of CAUSES) expect(ruleFor(c)?.id, `ruleFor("${c}")`).toBe(c);
    expect(ruleFor("undetermined")).toBeNull();
  });

  it.each(rules.map((r) => [r.id, r] as const))("%s has complete metadata", (_id, r) => {
    expect(r.title, "title: one line saying what the cause means").toMatch(/^[^\n]{10,120}$/);
    expect(["time", "where", "scope"], "role: time, where or scope (see Rule in src/diagnose/types.ts)").toContain(
      r.role,
    );
    if (r.excludes !== undefined && r.excludes !== "all") {
      for (const c of r.excludes)
        expect(
          CAUSES.filter((x) => x !== r.id),
          "excludes: other causes",
        ).toContain(c);
    }
    expect(r.requires.length, "requires: the facts evaluate reads").toBeGreaterThan(0);
    expect(new Set(r.requires).size, "requires: each fact once").toBe(r.requires.length);
    expect(typeof r.sizesLimit).toBe("boolean");
    expect(typeof r.advise, "advise: the next steps when this cause is the verdict").toBe("function");
  });

  it("every ArtifactKind of src/model/artifact.ts has an ingester, and no ingester has a kind outside it", () => {
    const kinds = unionOf(MODEL_ARTIFACT, "ArtifactKind").sort();
    expect(kinds, "add the ingester to src/ingest/index.ts, or the kind to ArtifactKind").toEqual(
      ingesters.map((i) => i.kind).sort(),
    );
  });

  it("every ingester describes itself in one line", () => {
    for (const i of ingesters) expect(i.description, i.kind).toMatch(/^[^\n]{10,120}$/);
  });
});

/** Every sample and fixture bundle: the inputs the rules are watched on. */
const BUNDLES = [
  ...readdirSync("samples", { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `samples/${d.name}`),
  ...readdirSync("test/fixtures/bundles").map((d) => `test/fixtures/bundles/${d}`),
];

describe("a rule's requires names every fact it reads", () => {
  const read = new Map<string, Set<string>>(rules.map((r) => [r.id, new Set<string>()]));
  const fields = new Set<string>();

  // Each rule sees its subject's facts through a proxy that records the fields it reads.
  beforeAll(async () => {
    for (const r of rules) {
      const evaluate = r.evaluate.bind(r);
      vi.spyOn(r, "evaluate").mockImplementation((ctx: RuleContext) => {
        const seen = read.get(r.id)!;
        for (const k of Object.keys(ctx.facts)) fields.add(k);
        const record = (k: string | symbol) => typeof k === "string" && seen.add(k);
        const facts = new Proxy(ctx.facts, {
          get: (t, k, receiver) => (record(k), Reflect.get(t, k, receiver)),
          has: (t, k) => (record(k), Reflect.has(t, k)),
          ownKeys: (t) => (seen.add("(every field: the facts were spread or iterated)"), Reflect.ownKeys(t)),
        }) as SubjectFacts;
        return evaluate({ ...ctx, facts });
      });
    }
    for (const b of BUNDLES) await runPostmortem({ bundlePath: b });
  });
  afterAll(() => vi.restoreAllMocks());

  it.each(rules.map((r) => [r.id, r] as const))("%s", (id, r) => {
    const undeclared = [...read.get(id)!].filter((k) => !(r.requires as readonly string[]).includes(k));
    expect(undeclared, `add these to requires in src/diagnose/rules/${id}.ts`).toEqual([]);
    for (const k of r.requires) expect(fields, `requires names ${k}, which is no field of SubjectFacts`).toContain(k);
  });
});
