/**
 * The second half of a big kernel log, searched ahead by a helper thread (`hint-worker.ts`) while
 * the scan reads the first: where each line holding a needle starts and its line number, so the
 * scan can then read just those lines (and what the OOM report parser asks for around them)
 * instead of searching the bytes itself. The same search as the scan's (`find`, then `needleAt`),
 * newlines counted with `count`; nothing is decoded.
 *
 * Sample input (bytes from `from` on; the second line holds the needle `oom-kill`):
 * ```text
 * 2026-11-14T00:00:01+00:00 ip-10-0-3-17 chronyd[898]: Selected source 169.254.169.123
 * 2026-11-14T00:00:02+00:00 ip-10-0-3-17 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,task=worker-1,pid=3000017,uid=65532
 * ```
 * gives `{ lines: [from + 85, 2], stop: <end of file>, linesBeforeStop: 2, complete: true }` (the
 * second line starts 85 bytes after `from`, and is line 2 counted from there).
 */
import { MAX_LINE_CHARS } from "../source.js";
import { ByteKernels } from "./byte-kernels.js";
import { BUCKETS, needleAt } from "./needles.js";

/** Needle lines found from `from` on, complete up to `stop`. */
export interface Hints {
  /**
   * Pairs: the byte offset in the file where a line holding a needle starts, and its line number
   * counted from `from` (1 = the line starting at `from`); offsets ascending.
   */
  lines: Float64Array;
  /**
   * Byte offset (a line start) up to which `lines` holds every needle line: the end of the file,
   * or the start of the first needle line past `maxLines` (a file of needles, read the slow way).
   */
  stop: number;
  /** Lines from `from` up to `stop`; at the end of the file a last line without newline counts. */
  linesBeforeStop: number;
  /** True when `stop` is the end of the file (every needle line is listed). */
  complete: boolean;
}

/** Reads `length` bytes at file offset `position` into `target` at `offset`; 0 at the end. */
export type ReadAt = (target: Uint8Array, offset: number, length: number, position: number) => number;

const NEWLINE = 0x0a;

/**
 * Searches the bytes from `from` (a line start) to the end; at most `maxLines` needle lines are
 * kept. `readBytes` per read. Exact for every line's first `MAX_LINE_CHARS` bytes (what the scan
 * decodes of a line); a longer line is searched in pieces and may be kept for a needle further
 * on (reading a line more is harmless, missing one is not). Throws what `readAt` throws, or when
 * WebAssembly SIMD is missing.
 */
export function findHints(readAt: ReadAt, from: number, maxLines: number, readBytes = 1 << 17): Hints {
  const k = new ByteKernels(MAX_LINE_CHARS + 4 * readBytes, BUCKETS);
  const buf = k.bytes;
  const out: number[] = [];
  let base = from; // file offset of buf[0]
  let len = 0;
  let pos = 0; // searched up to here: a line start, except within a line longer than the buffer
  let lineStart = from; // file offset where the line holding `pos` starts
  let line = 1; // number of the line holding `pos`
  let kept = -1; // the line start kept last (a line is kept once)
  for (;;) {
    if (len + readBytes > buf.length) {
      buf.copyWithin(0, pos, len);
      base += pos;
      len -= pos;
      pos = 0;
    }
    const n = readAt(buf, len, readBytes, base + len);
    const eof = n === 0;
    len += n;
    // Up to the last newline (a needle lies within one line); all of it at the end of the file,
    // or when one line fills the buffer (searched in pieces).
    const lastNl = len > pos ? buf.lastIndexOf(NEWLINE, len - 1) : -1;
    let end: number;
    if (eof) end = len;
    else if (lastNl >= pos) end = lastNl + 1;
    else if (len - pos + readBytes > buf.length) end = len;
    else continue;
    let at = pos;
    while (at < end) {
      const hit = k.find(at, end);
      if (hit >= end) break;
      if (!needleAt(buf, hit, pos, end)) {
        at = hit + 1;
        continue;
      }
      const nlBefore = buf.lastIndexOf(NEWLINE, hit);
      if (nlBefore >= pos) {
        line += k.count(pos, nlBefore + 1);
        lineStart = base + nlBefore + 1;
        pos = nlBefore + 1;
      }
      if (lineStart !== kept) {
        if (out.length >= 2 * maxLines)
          return { lines: Float64Array.from(out), stop: lineStart, linesBeforeStop: line - 1, complete: false };
        out.push(lineStart, line);
        kept = lineStart;
      }
      const nl = buf.indexOf(NEWLINE, hit);
      if (nl < 0 || nl >= end) break;
      at = nl + 1;
      line++;
      lineStart = base + at;
      pos = at;
    }
    if (end > pos) {
      const newlines = k.count(pos, end);
      if (newlines > 0) lineStart = base + buf.lastIndexOf(NEWLINE, end - 1) + 1;
      line += newlines;
      pos = end;
    }
    if (eof) {
      // `line` numbers the line after the last newline: a line when it holds bytes.
      const linesBeforeStop = base + len > lineStart ? line : line - 1;
      return { lines: Float64Array.from(out), stop: base + len, linesBeforeStop, complete: true };
    }
  }
}
