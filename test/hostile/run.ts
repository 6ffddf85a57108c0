/**
 * Runs the built CLI as a child process the way a user would, with a wall-clock limit, and
 * measures what a hostile case must bound: the exit code (never 134 from a V8 heap abort,
 * never 1 from an internal error), the time, and the child's peak RSS (`process.resourceUsage`
 * written by `measure.mjs` on exit). Also hashes a bundle's tree, so a case can prove the
 * bundle was not modified (read-only input).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  createReadStream,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const MEASURE = fileURLToPath(new URL("./measure.mjs", import.meta.url));
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/**
 * `HOSTILE_LOG=/tmp/hostile.jsonl npx vitest run test/hostile` appends one JSON line per run (test
 * name, exit, wall and CPU ms, peak RSS MiB): the figures an issue's closing note gives.
 */
const LOG = process.env.HOSTILE_LOG;

/** Bounds every hostile case must stay within (issue 10: 30 s, 300 MiB on two cores). */
export const LIMITS = { ms: 30_000, rssMiB: 300 };

interface Measured {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The first `STDOUT_KEEP` characters of stdout. */
  stdout: string;
  stdoutBytes: number;
  stderr: string;
  /** Wall-clock time of the run (ms). */
  ms: number;
  /** CPU time of the run, user + system, all threads (ms); NaN when the child was killed. */
  cpuMs: number;
  maxRssMiB: number;
}

/** stdout beyond this is counted, not kept (a report of a huge bundle must not fill the test's heap). */
const STDOUT_KEEP = 64 * 1024 * 1024;

interface RunOptions {
  /** Text given on stdin. */
  input?: string;
  /** A file streamed to stdin (for inputs too big to hold). */
  stdinFile?: string;
  /** Killed (SIGKILL) after this long (wall clock); default `LIMITS.ms` × 3 so an overrun on a loaded machine shows as a number. */
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs `oom-postmortem ...args` and measures it. */
export function runMeasured(args: string[], opts: RunOptions = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "oom-postmortem-usage-"));
  const usageFile = join(dir, "usage.json");
  const started = performance.now();
  const child = spawn(process.execPath, [MEASURE, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: "1", OOM_POSTMORTEM_USAGE_FILE: usageFile, ...opts.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stdoutBytes = 0;
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdoutBytes += c.length;
    if (stdout.length < STDOUT_KEEP) stdout += c;
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    if (stderr.length < 1 << 20) stderr += c;
  });
  child.stdin.on("error", () => undefined); // the CLI may stop reading stdin at its budget
  if (opts.stdinFile) createReadStream(opts.stdinFile).pipe(child.stdin);
  else child.stdin.end(opts.input ?? "");
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? LIMITS.ms * 3);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let maxRssMiB = NaN;
      let cpuMs = NaN;
      try {
        const usage = JSON.parse(readFileSync(usageFile, "utf8")) as {
          maxRSS: number;
          userCPUTime: number;
          systemCPUTime: number;
        };
        maxRssMiB = usage.maxRSS / 1024;
        cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
      } catch {
        // killed before exit: no usage written; NaN fails every bound
      }
      rmSync(dir, { recursive: true, force: true });
      if (LOG)
        appendFileSync(
          LOG,
          `${JSON.stringify({ case: expect.getState().currentTestName, args: args.map((a) => basename(a)), status, signal, ms: Math.round(ms), cpuMs: Math.round(cpuMs), maxRssMiB: Math.round(maxRssMiB) })}\n`,
        );
      resolve({ status, signal, stdout, stdoutBytes, stderr, ms, cpuMs, maxRssMiB });
    });
  });
}

/**
 * A digest of everything under `path` (or of the file itself): each entry's relative path, type,
 * mode, and content (files) or target (symlinks), in sorted order. Equal before and after a run
 * means the run changed nothing in the bundle. Synchronous reads: a folder of 12k small files
 * hashes in 0.2 s this way, 2 s through a read stream per file.
 */
export function treeHash(path: string): string {
  const hash = createHash("sha256");
  const visit = (abs: string, rel: string): void => {
    const st = lstatSync(abs);
    hash.update(`${rel}\0${st.mode}\0`);
    if (st.isSymbolicLink()) hash.update(readlinkSync(abs));
    else if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(join(abs, name), `${rel}/${name}`);
    } else if (st.isFile()) hash.update(readFileSync(abs));
    hash.update("\0");
  };
  visit(path, ".");
  return hash.digest("hex");
}

/** A V8 stack frame line in stderr: what a user must never see. */
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/**
 * The bounds of issue 10 for one run: exited (no signal, no 134 abort, no 1 internal error),
 * within `LIMITS` (or tighter `limits`), no stack trace on stderr. Returns a one-line summary.
 */
export function checkBounded(r: Measured, limits: Partial<typeof LIMITS> = {}): string[] {
  const { ms, rssMiB } = { ...LIMITS, ...limits };
  const problems: string[] = [];
  if (r.signal !== null) problems.push(`killed by ${r.signal}`);
  if (r.status === 134 || r.status === 1 || r.status === null) problems.push(`exit ${r.status}`);
  // CPU time, not wall time: on a quiet two-core machine they agree (one busy thread), and on a
  // loaded one (CI beside other jobs) wall time measures the neighbours.
  if (!(r.cpuMs <= ms))
    problems.push(`used ${Math.round(r.cpuMs)} ms of CPU (limit ${ms}; wall ${Math.round(r.ms)} ms)`);
  if (!(r.maxRssMiB <= rssMiB)) problems.push(`peak RSS ${r.maxRssMiB.toFixed(0)} MiB (limit ${rssMiB})`);
  if (STACK_FRAME.test(r.stderr)) problems.push(`stack trace on stderr: ${r.stderr.slice(0, 300)}`);
  return problems;
}
