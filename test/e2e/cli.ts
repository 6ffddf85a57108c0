/** Runs the built CLI (dist/cli.js) as a user would, capturing stdout, stderr and the exit code. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * What only our own bugs put in a report or on stderr: a diagnosis rule that threw ("rule
 * crashed", diagnose/index.ts), an ingester that threw (`ingestOne`'s internal error), the CLI's last-resort catch.
 */
const OUR_BUG = /rule crashed|a bug in oom-postmortem|oom-postmortem: internal error/;

/** Runs `oom-postmortem ...args` with optional stdin; fails the test when the output reports one of our bugs. */
export function runCli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", cwd: REPO, env: { ...process.env, NO_COLOR: "1" } });
  expect(r.stdout, `oom-postmortem ${args.join(" ")}: stdout reports a bug`).not.toMatch(OUR_BUG);
  expect(r.stderr, `oom-postmortem ${args.join(" ")}: stderr reports a bug`).not.toMatch(OUR_BUG);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A bundle of test/fixtures/bundles/ by folder name. */
export const fixtureBundle = (name: string): string => `${REPO}test/fixtures/bundles/${name}`;

/** The JSON report of `path` (a bundle folder or file); the run must exit 0. */
export function jsonReport(path: string, extra: string[] = []): Report {
  const r = runCli([path, "--format", "json", "--quiet", ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** The one incident of fixture bundle `name`; fails unless the report has exactly one. */
export function onlyIncident(name: string): Incident {
  const { incidents } = jsonReport(fixtureBundle(name));
  expect(incidents).toHaveLength(1);
  return incidents[0]!;
}
