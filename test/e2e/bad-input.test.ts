/**
 * Bad input at the CLI: one-line errors or warnings naming the file (and line), the right exit
 * code, never a stack trace; the rest of the bundle still analysed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const work = mkdtempSync(join(tmpdir(), "oom-postmortem-bad-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STACK = /\n\s+at .+:\d+:\d+/;

function bundle(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
  return dir;
}

/** A sample's `kubectl describe pod` of an OOM-killed container (the good file next to bad ones). */
const goodDescribe = readFileSync(join(REPO, "samples/batch-load-512mi/describe-pod.txt"), "utf8");
const GOOD_POD = /^Name:\s+(\S+)$/m.exec(goodDescribe)![1]!;

describe("bad input", () => {
  it("a path that does not exist: exit 2 and one line", () => {
    const r = runCli([join(work, "nope"), "--quiet"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope: no such file or folder/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it("an unknown flag: exit 2 with usage hint", () => {
    const r = runCli([work, "--no-such-flag"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--help/);
  });

  it("--full-incidents that is not a whole number ≥ 0: exit 2 naming the flag", () => {
    for (const value of ["-1", "2.5", "many"]) {
      const r = runCli([work, `--full-incidents=${value}`, "--quiet"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--full-incidents takes a whole number/);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it("a folder with nothing recognisable: exit 3, files still listed", () => {
    const dir = bundle("nothing", { "notes.txt": "we restarted it twice\n", "empty.log": "" });
    const r = runCli([dir, "--format", "json", "--quiet"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/no file in the bundle was recognised/);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.bundle.files.map((f) => [f.path, f.kind])).toEqual([
      ["empty.log", "unknown"],
      ["notes.txt", "unknown"],
    ]);
    expect(report.warnings.find((w) => w.file === "empty.log")?.message).toMatch(/empty file/);
  });

  it("empty, binary and truncated files next to a good one: warnings, and the good one analysed", () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0xff, 0xfe, 0, 0]);
    const dir = bundle("mixed", {
      "empty.txt": "",
      "core.bin": binary,
      "pod.json": '{\n  "kind": "Pod",\n  "apiVersion": "v1",\n  "metadata": {\n    "name": "api-1",\n    "namesp',
      "describe.txt": goodDescribe,
    });
    const r = runCli([dir, "--format", "json", "--quiet"]);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.incidents[0]?.event).toBe("container-oom-kill");
    expect(report.warnings.find((w) => w.file === "core.bin")?.message).toMatch(/binary/);
    expect(report.warnings.find((w) => w.file === "empty.txt")?.message).toMatch(/empty/);
    const truncated = report.warnings.find((w) => w.file === "pod.json");
    expect(truncated).toBeDefined();
    expect(truncated!.line).toBeGreaterThan(0);
  });

  it("an unreadable file is reported, not fatal", () => {
    const dir = bundle("unreadable", { "describe.txt": goodDescribe, "secret.txt": "x" });
    chmodSync(join(dir, "secret.txt"), 0);
    const r = runCli([dir, "--format", "json", "--quiet"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.incidents.length).toBeGreaterThan(0);
    // root can read mode-0 files; either way the file is listed.
    expect(report.bundle.files.map((f) => f.path)).toContain("secret.txt");
  });

  it("reads - from stdin", () => {
    const r = runCli(["-", "--format", "json", "--quiet"], goodDescribe);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.incidents[0]?.subject.pod).toBe(GOOD_POD);
  });

  it("--strict exits 4 when an input produced warnings", () => {
    const dir = bundle("strict", { "describe.txt": goodDescribe, "empty.txt": "" });
    expect(runCli([dir, "--strict", "--quiet"]).status).toBe(4);
  });

  it("-o writes the file atomically and picks the format from the extension", () => {
    const dir = bundle("out", { "describe.txt": goodDescribe });
    const out = join(work, "report.json");
    const r = runCli([dir, "-o", out, "--quiet"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect((JSON.parse(readFileSync(out, "utf8")) as Report).tool.name).toBe("oom-postmortem");
  });

  it("--help teaches: usage, kinds, exit codes", () => {
    const r = runCli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:/);
    expect(r.stdout).toMatch(/kernel-log/);
    expect(r.stdout).toMatch(/--no-redact|--redact/);
  });
});
