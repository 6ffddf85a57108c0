/**
 * The kernel-log fast path: reads a UTF-8 file's bytes into one reused buffer and hands over
 * only the lines that can matter, with their exact line numbers. A line is read when it holds a
 * needle (`needles.ts`, found with SIMD by `byte-kernels.ts`) or while the caller asks for every
 * line (a report is open, or no prefixed line has been seen yet); newlines in the skipped bytes
 * are counted, never decoded. Lines are decoded one at a time (UTF-8, CR and ANSI escapes removed
 * as `ArtifactSource.lines()` does), so what a report keeps pins only its own lines. The next
 * read is asked for before the bytes already read are scanned, into the bytes after them (a
 * reader may fill it later: nothing scanned lies in its target).
 *
 * Sample input (a journal: only the third line holds a needle and is decoded):
 * ```text
 * 2026-11-14T00:00:00+00:00 ip-10-0-3-17 kernel: cali49d73eb438a: entered promiscuous mode
 * 2026-11-14T00:00:01+00:00 ip-10-0-3-17 chronyd[898]: Selected source 169.254.169.123
 * 2026-11-14T00:00:02+00:00 ip-10-0-3-17 kernel: Memory cgroup out of memory: Killed process 3000017 (worker-1) total-vm:1874608kB, anon-rss:520924kB, file-rss:1468kB, shmem-rss:0kB, UID:65532 pgtables:1112kB oom_score_adj:984
 * ```
 */
import { finishLine, MAX_LINE_CHARS } from "../source.js";
import type { ByteReader, Line } from "../types.js";
import { ByteKernels } from "./byte-kernels.js";
import { BUCKETS, needleAt } from "./needles.js";

/**
 * Bytes asked of the reader at a time: small enough that what a read copies is still in the
 * core's cache when it is scanned (1 GiB: 128 KiB reads 0.98 s CPU, 1 MiB reads 1.15 s).
 */
const READ_BYTES = 1 << 17;

/** How far back (bytes) `skippedBefore` can walk from a line that is read after skipped ones. */
const LOOK_BACK_BYTES = 16384;

/**
 * Reads that fit in the buffer besides a kept line and the read in flight: the bytes not yet
 * scanned are moved to its start (about one read's worth) once per this many reads.
 */
const READS_PER_MOVE = 8;

const NEWLINE = 0x0a;

/** What the scan asks of its caller. */
export interface ScanHandlers {
  /** True while every line must be read (checked before each line). */
  everyLine(): boolean;
  /**
   * One line to read. `skippedBefore()` yields the skipped lines just before it, nearest first
   * (empty when the previous line was read), within `LOOK_BACK_BYTES`.
   */
  line(l: Line, skippedBefore: () => Iterable<Line>): void;
}

/**
 * Scans `reader` to its end (and closes it); returns the number of lines in the file. Throws
 * what the reader throws (after `lines` says how far it got), or when WebAssembly SIMD is missing.
 */
export class KernelLogScan {
  /** Lines passed so far (read or skipped). */
  lines = 0;
  private readonly k: ByteKernels;
  private readonly buf: Buffer;

  constructor(private readonly readBytes = READ_BYTES) {
    this.k = new ByteKernels(MAX_LINE_CHARS + LOOK_BACK_BYTES + (READS_PER_MOVE + 2) * readBytes, BUCKETS);
    this.buf = this.k.bytes;
  }

  async run(reader: ByteReader, h: ScanHandlers): Promise<number> {
    try {
      await this.loop(reader, h);
    } finally {
      // A read still in flight (a handler threw) ends before the file closes under it.
      await this.ahead?.catch(() => 0);
      await reader.close();
    }
    return this.lines;
  }

  /** The read in flight into the bytes after the valid ones, if any. */
  private ahead: Promise<number> | null = null;

  private async loop(reader: ByteReader, h: ScanHandlers): Promise<void> {
    const { buf, k, readBytes } = this;
    let len = 0; // valid bytes in buf
    let pos = 0; // start of the next line not yet passed
    let gap = 0; // start of the skipped lines before pos (the end of the last line read)
    let first = true;
    let cutting = false; // dropping the rest of a line longer than MAX_LINE_CHARS
    let eof = false;

    const emit = (start: number, stop: number): void => {
      const text = finishLine(buf.toString("utf8", start, Math.min(stop, start + MAX_LINE_CHARS)));
      const line = this.lines + 1;
      const gapStart = gap;
      h.line({ text, line }, () => this.skippedBefore(start, gapStart, line));
      this.lines = line;
      pos = gap = stop + 1;
    };

    this.ahead = reader.read(buf, 0, readBytes);
    while (!eof) {
      const n = await this.ahead!;
      this.ahead = null;
      eof = n === 0;
      len += n;
      if (!eof) {
        if (len + readBytes > buf.length) {
          // Keep the unfinished line, the bytes not scanned yet and up to LOOK_BACK_BYTES of
          // skipped lines before them.
          const keep = Math.max(0, Math.min(pos, Math.max(gap, pos - LOOK_BACK_BYTES)));
          buf.copyWithin(0, keep, len);
          len -= keep;
          pos -= keep;
          gap = Math.max(0, gap - keep);
        }
        // The next read (a reader may resolve it later) fills the bytes after `len` while the
        // ones before it are scanned: nothing below reads or moves them.
        this.ahead = reader.read(buf, len, readBytes);
      }
      if (first && (len >= 3 || eof)) {
        first = false;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = gap = 3; // UTF-8 BOM
      }
      if (first) continue;
      if (cutting) {
        const nl = buf.indexOf(NEWLINE, pos);
        if (nl < 0 || nl >= len) {
          pos = gap = len;
          continue;
        }
        pos = gap = nl + 1;
        cutting = false;
      }
      const lastNl = len > pos ? buf.lastIndexOf(NEWLINE, len - 1) : -1;
      const end = eof ? len : lastNl >= pos ? lastNl + 1 : pos;
      if (end === pos && !eof) {
        if (len - pos >= MAX_LINE_CHARS) {
          // A giant line: read its first MAX_LINE_CHARS bytes when it matters, drop the rest.
          const stop = pos + MAX_LINE_CHARS;
          if (h.everyLine() || this.holdsNeedle(pos, stop)) emit(pos, stop);
          else this.lines++;
          pos = gap = len;
          cutting = true;
        }
        continue;
      }
      let from = pos; // where the needle search resumes (past rejected grams)
      while (pos < end) {
        if (h.everyLine()) {
          const nl = buf.indexOf(NEWLINE, pos);
          emit(pos, nl < 0 || nl >= end ? end : nl);
          from = pos;
          continue;
        }
        const hit = k.find(Math.max(from, pos), end);
        if (hit >= end) {
          this.lines += k.count(pos, end);
          if (eof && end > pos && buf[end - 1] !== NEWLINE) this.lines++;
          pos = end;
          break;
        }
        if (!needleAt(buf, hit, pos, end)) {
          from = hit + 1;
          continue;
        }
        const ls = Math.max(pos, buf.lastIndexOf(NEWLINE, hit) + 1);
        const nl = buf.indexOf(NEWLINE, hit);
        const le = nl < 0 || nl >= end ? end : nl;
        this.lines += k.count(pos, ls);
        emit(ls, le);
        from = pos;
      }
    }
  }

  // True when bytes [start, stop) of one line hold a needle.
  private holdsNeedle(start: number, stop: number): boolean {
    for (let i = this.k.find(start, stop); i < stop; i = this.k.find(i + 1, stop)) {
      if (needleAt(this.buf, i, start, stop)) return true;
    }
    return false;
  }

  // The skipped lines before the line at `start` (line number `line`), nearest first, back to
  // `gapStart` (the end of the last line read) or LOOK_BACK_BYTES, whichever is nearer.
  private *skippedBefore(start: number, gapStart: number, line: number): Generator<Line> {
    const limit = Math.max(gapStart, start - LOOK_BACK_BYTES);
    let stop = start - 1; // the newline ending the previous line
    let n = line - 1;
    while (stop >= limit && stop >= 0) {
      const ls = stop <= 0 ? 0 : this.buf.lastIndexOf(NEWLINE, stop - 1) + 1;
      if (ls < limit) return;
      yield { text: finishLine(this.buf.toString("utf8", ls, stop)), line: n-- };
      stop = ls - 1;
    }
  }
}
