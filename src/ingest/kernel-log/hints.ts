/**
 * Parts of a big kernel log searched ahead by a helper thread (`hint-worker.ts`) while the scan
 * reads the start: where each line holding a needle starts and its line number, so the scan can
 * then read just those lines (and what the OOM report parser asks for around them) instead of
 * searching the bytes itself. The same search as the scan's (`find`, then `needleAt`), newlines
 * counted with `count`; nothing is decoded.
 *
 * Sample input (bytes from `from` on; the second line holds the needle `oom-kill`):
 * ```text
 * 2026-11-14T00:00:01+00:00 ip-10-0-3-17 chronyd[898]: Selected source 169.254.169.123
 * 2026-11-14T00:00:02+00:00 ip-10-0-3-17 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,task=worker-1,pid=3000017,uid=65532
 * ```
 * gives `{ lines: [from + 85, 2], lineCount: 2, complete: true }` (the second line starts 85 bytes
 * after `from`, and is line 2 counted from there).
 */
import { MAX_LINE_CHARS } from "../source.js";
import { ByteKernels } from "./byte-kernels.js";
import { BUCKETS, needleAt } from "./needles.js";

/** Needle lines found in a range of a file's lines. */
interface Hints {
  /**
   * Pairs: the byte offset in the file where a line holding a needle starts, and its line number
   * counted from the range's start (1 = the line starting there); offsets ascending.
   */
  lines: Float64Array;
  /** Lines in the range (at the end of the file a last line without newline counts). */
  lineCount: number;
  /** False when the search stopped at its limit of needle lines (`lines` then holds that many, `lineCount` is 0). */
  complete: boolean;
}

/** {@link searchFromEnd}'s answer: the needle lines from `split` to the end of the file. */
export interface TailHints extends Omit<Hints, "complete"> {
  /** Where the chunks the helper searched start (a line start; the file's size when it took none); `lines` count from here. */
  split: number;
}

/** Chunk owners: one Int32 per chunk of a file, FREE until the scan or its helper claims it (`Atomics`). */
const FREE = 0;
/** A chunk claimed by the scan's own thread (`scan.ts`), from the start. */
export const SCAN = 1;
/** A chunk claimed by the helper thread (`hint-worker.ts`), from the end. */
export const HELPER = 2;

/** Claims `chunk` for `by`; false when the other thread has it. */
export function claimChunk(owners: Int32Array, chunk: number, by: typeof SCAN | typeof HELPER): boolean {
  return Atomics.compareExchange(owners, chunk, FREE, by) === FREE;
}

/**
 * The helper thread's search: claims chunks of `chunkBytes` from the last one down (never chunk
 * 0, the scan's), while `claim` lets it, and searches the lines starting in each (from the first
 * line start at or after the chunk's start); the scan reads the file from its start and stops at
 * the first chunk it cannot claim, so the two meet wherever their speeds make them meet. Throws
 * when more than `maxLines` lines hold a needle (a file of needles: the scan then searches on).
 */
export function searchFromEnd(
  readAt: ReadAt,
  size: number,
  chunkBytes: number,
  maxLines: number,
  claim: (chunk: number) => boolean,
): TailHints {
  const search = new HintSearch();
  const parts: Hints[] = []; // from the last chunk down
  let to = size;
  let kept = 0;
  for (let c = Math.ceil(size / chunkBytes) - 1; c >= 1 && claim(c); c--) {
    const from = search.lineStartIn(readAt, c * chunkBytes, (c + 1) * chunkBytes, to);
    const part = search.find(readAt, from, to, maxLines - kept);
    if (!part.complete) throw new Error(`more than ${maxLines} lines hold a needle`);
    kept += part.lines.length / 2;
    parts.push(part);
    to = from;
  }
  const lines = new Float64Array(2 * kept);
  let i = 0;
  let before = 0; // lines from `to` to the part's start
  for (const part of parts.reverse()) {
    for (let j = 0; j < part.lines.length; j += 2) {
      lines[i++] = part.lines[j]!;
      lines[i++] = before + part.lines[j + 1]!;
    }
    before += part.lineCount;
  }
  return { split: to, lines, lineCount: before };
}

/** Reads `length` bytes at file offset `position` into `target` at `offset`; 0 at the end. */
export type ReadAt = (target: Uint8Array, offset: number, length: number, position: number) => number;

const NEWLINE = 0x0a;

/**
 * Searches ranges of a file with one reused buffer (a helper thread searches many).
 * @internal exported for its tests (not the public API)
 */
export class HintSearch {
  private readonly k: ByteKernels;
  private readonly buf: Buffer;

  /** `readBytes` per read. Throws when WebAssembly SIMD is missing. */
  constructor(private readonly readBytes = 1 << 17) {
    this.k = new ByteKernels(MAX_LINE_CHARS + 4 * readBytes, BUCKETS);
    this.buf = this.k.bytes;
  }

  /**
   * The first line start in bytes [`at`, `end`), or `limit` (a line start at or after `end`) when
   * none is: each chunk reads at most its own bytes, however long its lines.
   */
  lineStartIn(readAt: ReadAt, at: number, end: number, limit: number): number {
    if (at <= 0) return 0;
    const stop = Math.min(end, limit) - 1; // a newline before here starts a line before `end`
    for (let p = at - 1; p < stop;) {
      const n = readAt(this.buf, 0, Math.min(this.readBytes, stop - p), p);
      if (n === 0) break;
      const nl = this.buf.subarray(0, n).indexOf(NEWLINE);
      if (nl >= 0) return p + nl + 1;
      p += n;
    }
    return limit;
  }

  /**
   * Searches the lines from `from` (a line start) to `to` (a line start, or the end of the file);
   * at most `maxLines` needle lines are kept. Exact for every line's first `MAX_LINE_CHARS` bytes
   * (what the scan decodes of a line); a longer line is searched in pieces and may be kept for a
   * needle further on (reading a line more is harmless, missing one is not). Throws what `readAt`
   * throws.
   */
  find(readAt: ReadAt, from: number, to: number, maxLines: number): Hints {
    const { k, buf, readBytes } = this;
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
      const n = readAt(buf, len, Math.min(readBytes, to - (base + len)), base + len);
      const eof = n === 0;
      len += n;
      // Up to the last newline (a needle lies within one line); all of it at the end of the range,
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
          if (out.length >= 2 * maxLines) return { lines: Float64Array.from(out), lineCount: 0, complete: false };
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
        return { lines: Float64Array.from(out), lineCount: base + len > lineStart ? line : line - 1, complete: true };
      }
    }
  }
}
