/**
 * Runs the built CLI as a user would (the file package.json's `bin` names: the launcher bundle
 * `dist/oom-postmortem.js`, which loads `dist/cli-bundle.cjs`), capturing stdout, stderr and the exit code.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** The built CLI: what `npm install -g` links as `oom-postmortem`. */
export const CLI = join(
  REPO,
  (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> }).bin[
    "oom-postmortem"
  ]!,
);

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * What only our own bugs put in a report or on stderr: a diagnosis rule that threw ("rule
 * crashed", diagnose/index.ts), an ingester that threw (`ingestOne`'s internal error), the CLI's last-resort catch.
 */
export const OUR_BUG = /rule crashed|a bug in oom-postmortem|oom-postmortem: internal error/;

/** Runs `oom-postmortem ...args` with optional stdin; fails the test when the output reports one of our bugs. */
export function runCli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: "utf8",
    cwd: REPO,
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(r.stdout, `oom-postmortem ${args.join(" ")}: stdout reports a bug`).not.toMatch(OUR_BUG);
  expect(r.stderr, `oom-postmortem ${args.join(" ")}: stderr reports a bug`).not.toMatch(OUR_BUG);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the CLI without the launcher, as `node dist/cli.js …` (tsc's modules, run as a script: no
 * early helper, no code cache; the scenario checks of ../shared run it so); the run must exit 0.
 * Returns its stdout.
 */
export function runPlainCli(args: string[]): string {
  const r = spawnSync(process.execPath, [join(REPO, "dist/cli.js"), ...args], { encoding: "utf8", cwd: REPO });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** A bundle of test/fixtures/bundles/ by folder name. */
export const fixtureBundle = (name: string): string => `${REPO}test/fixtures/bundles/${name}`;

/** Reports already computed in this test file, by arguments (a bundle is read once per file, not per case). */
const reports = new Map<string, Report>();

/**
 * The JSON report of `path` (a bundle folder or file); the run must exit 0. Each bundle and
 * flags run once per test file: later calls return the same (frozen) report.
 */
export function jsonReport(path: string, extra: string[] = []): Report {
  const key = JSON.stringify([path, ...extra]);
  const known = reports.get(key);
  if (known) return known;
  const r = runCli([path, "--format", "json", "--quiet", ...extra]);
  expect(r.status, r.stderr).toBe(0);
  const report = deepFreeze(JSON.parse(r.stdout) as Report);
  reports.set(key, report);
  return report;
}

/** `value` with every object under it frozen, so a case cannot change what the next one reads. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The one incident of fixture bundle `name`; fails unless the report has exactly one. */
export function onlyIncident(name: string): Incident {
  const { incidents } = jsonReport(fixtureBundle(name));
  expect(incidents).toHaveLength(1);
  return incidents[0]!;
}
