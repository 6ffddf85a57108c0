/** Runs the built CLI (dist/cli.js) as a user would, capturing stdout, stderr and the exit code. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const REALWORLD = fileURLToPath(new URL("../../../shared/realworld/", import.meta.url));
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `oom-postmortem ...args` with optional stdin. */
export function runCli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: "utf8", cwd: REPO, env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
