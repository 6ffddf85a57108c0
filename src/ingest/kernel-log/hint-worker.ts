/**
 * The helper thread of the kernel-log scan (`scan.ts`): searches a file from a byte offset to its
 * end with `findHints` and posts the `Hints` back (the line list is transferred, not copied), or
 * `{ error }` with a message when it cannot (the scan then searches those bytes itself).
 *
 * workerData: `{ path: string (absolute), from: number (a line start, bytes), maxLines: number }`.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { findHints } from "./hints.js";

const { path, from, maxLines } = workerData as { path: string; from: number; maxLines: number };
let fd: number | null = null;
try {
  fd = openSync(path, "r");
  const file = fd;
  const hints = findHints(
    (target, offset, length, position) => readSync(file, target, offset, length, position),
    from,
    maxLines,
  );
  parentPort!.postMessage(hints, [hints.lines.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  if (fd !== null) closeSync(fd);
}
