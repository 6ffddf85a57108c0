/**
 * The command starts the kernel-log helper for a big log before the CLI loads
 * (`src/launch.ts`, `kernel-log/early-helpers.ts`): on a 70 MiB log, given as a file (absolute
 * or relative) and inside a folder, its report is the CLI's own without the launcher (`dist/cli.js`), and a usage error
 * still ends the run with its exit code (the helper does not hold the process).
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/errors.js";
import { REPO, runCli, runPlainCli } from "./cli.js";

const FIXTURES = join(REPO, "test/fixtures/kernel-log");
let dir = "";
let log = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "early-helper-e2e-"));
  mkdirSync(join(dir, "bundle"));
  log = join(dir, "bundle", "kern.log");
  // 70 MiB: 1 MiB noise blocks (over the 64 MiB where the helper starts), every tenth followed by a fixture's reports.
  const reports = readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => readFileSync(join(FIXTURES, f), "utf8"));
  const noise = Buffer.from("[ 1234.000000] eth0: link up\n".repeat(Math.ceil((1 << 20) / 29)));
  const fd = openSync(log, "w");
  for (let i = 0; i < 70; i++) {
    writeSync(fd, noise);
    if (i % 10 === 9) writeSync(fd, reports[i % reports.length]! + "\n");
  }
  closeSync(fd);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("early helper of the command", () => {
  it("reports a big log as the CLI without it does, given as a file or in a folder", () => {
    for (const input of [log, relative(REPO, log), join(dir, "bundle")]) {
      const args = [input, "--format", "json", "--quiet"];
      const r = runCli(args);
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { incidents: unknown[] };
      expect(report.incidents.length, input).toBeGreaterThan(3);
      expect(r.stdout, input).toBe(runPlainCli(args));
    }
  });

  it("ends with the usage error's exit code while its helper searches", () => {
    const r = runCli([log, "--format", "bogus"]);
    expect(r.status).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/format/);
  });
});
