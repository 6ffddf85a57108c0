/**
 * Kernel-log helper threads started before the tool has loaded. Loading the CLI and discovering
 * the bundle take ~100 ms of one core before the kernel-log scan starts its helper (a worker that
 * searches the file from its end, `helper-thread.ts`), and the worker takes ~50 ms more to start.
 * The command's first module (`src/launch.ts`) starts that helper at once for a big text file on
 * the command line, so the second core searches while the first loads; the scan adopts it
 * (`adoptEarlyHelper`: same file, size and limits), and the pipeline stops the ones no scan
 * took (a big CSV, an old report named by `-o`) once discovery has told the files' kinds, and
 * any left after ingest. Wall medians of 1 GiB, interleaved runs: journal 0.51 -> 0.50 s (31 runs;
 * fastest 0.48 -> 0.46), raw dmesg 0.49 -> 0.47 s (15 runs); CPU the same.
 *
 * Which file: the first argument that names a regular file of `SPLIT_FROM_BYTES` (64 MiB) or
 * more, or such a file directly inside a folder argument (of at most `MAX_FOLDER_ENTRIES`
 * entries), whose head discovery would read as text (`looksBinary`: archives and binaries are
 * left to discovery). One file only: there is one spare core. File-system errors skip a candidate
 * silently; discovery reads the same paths and reports them.
 *
 * The launcher and the CLI are two bundles, each with its own copy of this module: the helpers
 * live in a registry on `globalThis` under a `Symbol.for` key.
 *
 * Sample use: `startEarlyHelper(["./bundle/", "--format", "json"])`, then, in the scan,
 * `adoptEarlyHelper("/abs/bundle/kern.log", size, CHUNK_BYTES, MAX_HINT_LINES)`.
 */
import { closeSync, type Dir, opendirSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { join, resolve } from "node:path";
import { HEAD_BYTES, looksBinary } from "../source.js";
import {
  CHUNK_BYTES,
  MAX_HINT_LINES,
  searchInWorker,
  SPLIT_FROM_BYTES,
  tailJob,
  type TailJob,
  type WorkerSearch,
} from "./helper-thread.js";

/** A folder argument with more entries than this is left to discovery (a bundle folder holds a few dozen). */
const MAX_FOLDER_ENTRIES = 256;

interface EarlyHelper {
  job: TailJob;
  search: WorkerSearch;
}

/** What makes a file worth an early helper, and the job's limits (tests lower them). */
export interface EarlyLimits {
  /** Smallest file, in bytes (default `SPLIT_FROM_BYTES`, where the scan starts a helper itself). */
  minBytes: number;
  chunkBytes: number;
  maxLines: number;
}

const DEFAULT_LIMITS: EarlyLimits = { minBytes: SPLIT_FROM_BYTES, chunkBytes: CHUNK_BYTES, maxLines: MAX_HINT_LINES };

const REGISTRY = Symbol.for("oom-postmortem.early-kernel-log-helpers");

function registry(): Map<string, EarlyHelper> {
  const g = globalThis as { [REGISTRY]?: Map<string, EarlyHelper> };
  return (g[REGISTRY] ??= new Map());
}

/**
 * Starts a helper on the first big text file named by `args` (command-line arguments, options
 * included: only existing paths count), unless one runs already. The worker does not keep the
 * process alive until a scan adopts it.
 */
export function startEarlyHelper(args: readonly string[], limits: EarlyLimits = DEFAULT_LIMITS): void {
  if (registry().size > 0) return;
  for (const { path, size } of candidates(args)) {
    const job = size >= limits.minBytes ? tailJob(path, size, limits.chunkBytes, limits.maxLines) : null;
    if (!job || !textHead(path)) continue;
    const search = searchInWorker(job);
    if (!search) return;
    search.hold(false);
    registry().set(path, { job, search });
    return;
  }
}

/**
 * The early helper searching `path` (absolute or from the working directory), when it was started for a file of `size` bytes
 * with these limits: taken out of the registry, and it now keeps the process alive. Null when
 * there is none (the scan starts its own).
 */
export function adoptEarlyHelper(
  path: string,
  size: number,
  chunkBytes: number,
  maxLines: number,
): { owners: Int32Array; search: WorkerSearch } | null {
  const key = resolve(path);
  const early = registry().get(key);
  if (!early) return null;
  const { job, search } = early;
  if (job.size !== size || job.chunkBytes !== chunkBytes || job.maxLines !== maxLines) return null;
  registry().delete(key);
  search.hold(true);
  return { owners: job.owners, search };
}

/** Stops the early helpers of files not in `keep` (paths, absolute or from the working directory), and forgets them. */
export async function stopEarlyHelpers(keep: Iterable<string> = []): Promise<void> {
  const kept = new Set(Array.from(keep, (p) => resolve(p)));
  const stops: Promise<void>[] = [];
  for (const [path, { search }] of registry()) {
    if (kept.has(path)) continue;
    registry().delete(path);
    stops.push(search.stop());
  }
  await Promise.all(stops);
}

/**
 * The files early helpers run for (absolute paths).
 * @internal exported for its tests (not the public API)
 */
export function earlyHelperPaths(): string[] {
  return [...registry().keys()];
}

// Regular files named by the arguments, or directly inside a folder they name: absolute path and size.
function* candidates(args: readonly string[]): Generator<{ path: string; size: number }> {
  for (const arg of args) {
    if (arg.startsWith("-")) continue;
    const path = resolve(arg);
    const st = statOrNull(path);
    if (st?.isFile()) yield { path, size: st.size };
    if (!st?.isDirectory()) continue;
    for (const name of folderEntries(path)) {
      const entry = statOrNull(join(path, name));
      if (entry?.isFile()) yield { path: join(path, name), size: entry.size };
    }
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null; // discovery reports it
  }
}

// The names in a folder of at most MAX_FOLDER_ENTRIES entries (read no further than one past
// them: a folder of a million files costs a few reads), else none.
function folderEntries(path: string): string[] {
  let dir: Dir | null = null;
  try {
    dir = opendirSync(path);
    const names: string[] = [];
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (names.length === MAX_FOLDER_ENTRIES) return [];
      names.push(entry.name);
    }
    return names;
  } catch {
    return []; // discovery reports it
  } finally {
    dir?.closeSync();
  }
}

// True when the file's head is text as discovery judges it (`looksBinary`).
function textHead(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    return n > 0 && !looksBinary(head.toString("utf8", 0, n));
  } catch {
    return false; // discovery reports it
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
