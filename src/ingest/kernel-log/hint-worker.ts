/**
 * The helper thread of the kernel-log scan (`scan.ts`): searches a file's chunks from the end with
 * `searchFromEnd`, claiming each in `owners` (shared with the scan, which claims from the start),
 * and posts the `TailHints` back (the line list is transferred, not copied), or `{ error }` with a
 * message when it cannot (the scan then searches those bytes itself).
 *
 * workerData: `{ path: string (absolute), size: number (bytes), chunkBytes: number, maxLines: number,
 * owners: Int32Array (on a SharedArrayBuffer, one per chunk) }`.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { setTierUpFlags } from "../../tiering.js";
import { claimChunk, HELPER, searchFromEnd } from "./hints.js";

setTierUpFlags(); // now that this thread has started (tiering.ts)

const { path, size, chunkBytes, maxLines, owners } = workerData as {
  path: string;
  size: number;
  chunkBytes: number;
  maxLines: number;
  owners: Int32Array;
};
let fd: number | null = null;
try {
  fd = openSync(path, "r");
  const file = fd;
  const hints = searchFromEnd(
    (target, offset, length, position) => readSync(file, target, offset, length, position),
    size,
    chunkBytes,
    maxLines,
    (chunk) => claimChunk(owners, chunk, HELPER),
  );
  parentPort!.postMessage(hints, [hints.lines.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  if (fd !== null) closeSync(fd);
}
