/**
 * The kernel-log scan's helper thread, from the side that starts it: its job, the worker that
 * runs it (`hint-worker.ts`) and the sizes both sides agree on. Kept apart from `scan.ts` so the
 * command's first module (`src/launch.ts`, through `early-helpers.ts`) can start one before the
 * rest of the tool has loaded: this module imports nothing but the worker's place.
 *
 * Sample use: `searchInWorker({ path: "/bundle/kern.log", size, chunkBytes: CHUNK_BYTES,
 * maxLines: MAX_HINT_LINES, owners })?.hints` resolves to the needle lines of the chunks it took
 * (`hints.ts` `TailHints`).
 */
import { Worker } from "node:worker_threads";
import { HINT_WORKER_URL } from "../../package-files.js";
import type { TailHints } from "./hints.js";

/**
 * Files of this many bytes or more are searched by two threads (`KernelLogScan`). A helper
 * thread costs about 40 ms to start (wall and CPU); at 64 MiB the part it searches takes longer.
 */
export const SPLIT_FROM_BYTES = 64 << 20;

/**
 * The unit the two threads claim (`hints.ts`): the thread that finishes first waits at most for
 * the other to finish one (4 MiB: ~2 ms).
 */
export const CHUNK_BYTES = 4 << 20;

/**
 * Needle lines the helper lists at most (16 bytes each, 4 MiB): a report is about 10, so 10,000
 * reports fit; past them (a file of needles) the scan searches on.
 */
export const MAX_HINT_LINES = 1 << 18;

/** The helper's job: search a file of `size` bytes from its end, claiming chunks in `owners` (`hints.ts`). */
export interface TailJob {
  /** The file, when the bytes are one (absolute, or from the working directory, which a worker shares). */
  path: string | undefined;
  size: number;
  chunkBytes: number;
  /** Needle lines listed at most: past them the helper fails. */
  maxLines: number;
  /** One per chunk, on a SharedArrayBuffer. */
  owners: Int32Array;
}

/**
 * The job for a file of `size` bytes, its chunk claims all free; null when it is one chunk or less
 * (nothing for a helper to take: this thread claims chunk 0).
 */
export function tailJob(path: string | undefined, size: number, chunkBytes: number, maxLines: number): TailJob | null {
  const chunks = Math.ceil(size / chunkBytes);
  if (chunks < 2) return null;
  return { path, size, chunkBytes, maxLines, owners: new Int32Array(new SharedArrayBuffer(4 * chunks)) };
}

/** A helper at work on a {@link TailJob}. */
export interface TailSearch {
  /** Its needle lines; rejects when it fails (the scan then searches on). */
  hints: Promise<TailHints>;
  stop(): Promise<void>;
}

/** A helper in a worker thread, which can let the process end while it runs. */
export interface WorkerSearch extends TailSearch {
  /** False: the process may end while the worker runs (a helper nobody waits for yet); true: it may not. */
  hold(on: boolean): void;
}

/**
 * The default helper: a worker thread (`hint-worker.ts`) reading the file by its path; null when
 * the bytes are not a file's.
 */
export function searchInWorker(job: TailJob): WorkerSearch | null {
  if (job.path === undefined) return null;
  const worker = new Worker(HINT_WORKER_URL, { workerData: job });
  // The first of these settles it (a worker that posted its hints then exits).
  const hints = new Promise<TailHints>((resolve, reject) => {
    worker.once("message", (m: TailHints | { error: string }) =>
      "error" in m ? reject(new Error(m.error)) : resolve(m),
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`exited with code ${code} before posting`)));
  });
  hints.catch(() => {}); // waited for only when the scan reaches the helper's chunks
  return {
    hints,
    stop: async () => void (await worker.terminate()),
    hold: (on) => void (on ? worker.ref() : worker.unref()),
  };
}
