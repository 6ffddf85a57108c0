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
import { setTierUpFlags } from "../../tiering.js";
import { finishLine, MAX_LINE_CHARS } from "../source.js";
import type { LineStarts } from "../shared/line-starts.js";
import type { ByteReader, Line } from "../types.js";
import { ByteKernels } from "./byte-kernels.js";
import { adoptEarlyHelper } from "./early-helpers.js";
import {
  CHUNK_BYTES,
  MAX_HINT_LINES,
  searchInWorker,
  SPLIT_FROM_BYTES,
  tailJob,
  type TailJob,
  type TailSearch,
} from "./helper-thread.js";
import { claimChunk, SCAN, type TailHints } from "./hints.js";
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

/** How a scan reads (tests set them to reach read boundaries, the helper thread and its limit on small files). */
export interface ScanOptions {
  /** Bytes per read (default 128 KiB). */
  readBytes?: number;
  /** Files of this many bytes or more get a helper thread (default 64 MiB). */
  splitFrom?: number;
  /** Needle lines the helper lists at most (default 262,144). */
  maxHintLines?: number;
  /** Bytes of a chunk the threads claim (default 4 MiB). */
  chunkBytes?: number;
  /** Starts the helper's search (default: {@link searchInWorker}; tests search in this thread). */
  searchTail?: (job: TailJob) => TailSearch | null;
}

/** What became of a scan's helper thread: `none` (not started, or not waited for), `used`, or why it failed. */
type HelperState = "none" | "used" | `failed: ${string}`;

/** A helper searching a file from its end, with the chunks it claims from. */
interface Helper {
  owners: Int32Array;
  search: TailSearch;
}

/**
 * Scans `reader` to its end (and closes it); returns the number of lines in the file. Throws
 * what the reader throws (after `lines` says how far it got), or when WebAssembly SIMD is missing.
 *
 * A file of `splitFrom` bytes or more is searched by two threads: a helper (`hint-worker.ts`)
 * searches it chunk by chunk from the end while this one scans it from the start, each claiming a
 * chunk before searching it, until they meet (the split: where the first chunk this one could not
 * claim starts its first line); from there on this one reads only the lines the helper found
 * (jumping to them) and the lines the caller asks for around them. Line numbers and what the
 * caller sees are the same as a scan by one thread: the helper's line list counts every newline.
 *
 * `run`'s `starts`, when given, gets the file's size and the number and byte offset of the first
 * line of each run of lines handed over (for a later reader of the same bytes: the quotes).
 */
export class KernelLogScan {
  /** Lines passed so far (read or skipped). */
  lines = 0;
  /** What became of the helper thread: `none` (not started), `used`, or `failed: <why>` (this thread searched on). */
  helper: HelperState = "none";
  private readonly k: ByteKernels;
  private readonly buf: Buffer;

  private readonly readBytes: number;
  private readonly splitFrom: number;
  private readonly maxHintLines: number;
  private readonly chunkBytes: number;
  private readonly searchTail: (job: TailJob) => TailSearch | null;

  constructor(opts: ScanOptions = {}) {
    this.readBytes = opts.readBytes ?? READ_BYTES;
    this.splitFrom = opts.splitFrom ?? SPLIT_FROM_BYTES;
    this.maxHintLines = opts.maxHintLines ?? MAX_HINT_LINES;
    this.chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
    this.searchTail = opts.searchTail ?? searchInWorker;
    this.k = new ByteKernels(MAX_LINE_CHARS + LOOK_BACK_BYTES + (READS_PER_MOVE + 2) * this.readBytes, BUCKETS);
    this.buf = this.k.bytes;
  }

  async run(reader: ByteReader, h: ScanHandlers, starts?: LineStarts): Promise<number> {
    starts?.noteBytes(reader.size);
    let helper: Helper | null = null;
    try {
      helper = this.startHelper(reader);
      setTierUpFlags(); // after the helper has started (tiering.ts)
      await this.loop(reader, h, helper, starts);
    } finally {
      // A read still in flight (a handler threw) ends before the file closes under it.
      await this.ahead?.catch(() => 0);
      await helper?.search.stop();
      await reader.close();
    }
    return this.lines;
  }

  /** The read in flight into the bytes after the valid ones, if any. */
  private ahead: Promise<number> | null = null;

  // Starts the helper on a file of `splitFrom` bytes or more (of more than one chunk); null for a
  // smaller file or when `searchTail` cannot search these bytes.
  private startHelper(reader: ByteReader): Helper | null {
    if (reader.size < Math.max(1, this.splitFrom)) return null;
    const { size, path } = reader;
    const job = tailJob(path, size, this.chunkBytes, this.maxHintLines);
    if (!job) return null;
    // A helper the command started before it loaded (`early-helpers.ts`), when this scan's would be the same.
    const early =
      this.searchTail === searchInWorker && path !== undefined
        ? adoptEarlyHelper(path, size, this.chunkBytes, this.maxHintLines)
        : null;
    if (early) return early;
    const search = this.searchTail(job);
    return search ? { owners: job.owners, search } : null;
  }

  private async loop(reader: ByteReader, h: ScanHandlers, helper: Helper | null, starts?: LineStarts): Promise<void> {
    const { buf, k, readBytes } = this;
    let base = 0; // file offset of buf[0]
    let len = 0; // valid bytes in buf
    let pos = 0; // start of the next line not yet passed
    let gap = 0; // start of the skipped lines before pos (the end of the last line read)
    let first = true;
    let cutting = false; // dropping the rest of a line longer than MAX_LINE_CHARS
    let eof = false;
    // Past the split: the helper's needle lines (numbered from the split, `splitLines` lines
    // before it), and `hi`, the next of them.
    let claims = helper ? new Claims(helper.owners, this.chunkBytes) : null;
    let split = Infinity; // where the helper's chunks start, once known
    let hints: TailHints | null = null;
    let hi = 0;
    let splitLines = 0;
    // The line to go on at, when the next read is elsewhere in the file: its file offset and number,
    // and where the bytes read start (`lineStart`: that is where a line starts).
    let jump = null as { at: number; line: number; from: number; lineStart: boolean } | null;

    let lastEmitted = -1; // the number of the last line handed over (none yet)
    const emit = (start: number, stop: number): void => {
      const text = finishLine(buf.toString("utf8", start, Math.min(stop, start + MAX_LINE_CHARS)));
      const line = this.lines + 1;
      if (line !== lastEmitted + 1) starts?.note(line, base + start);
      lastEmitted = line;
      const gapStart = gap;
      h.line({ text, line }, () => this.skippedBefore(start, gapStart, line));
      this.lines = line;
      pos = gap = stop + 1;
    };
    // Goes on at the line starting at file offset `at`, number `line`, keeping the lines that start
    // up to LOOK_BACK_BYTES before it (from the end of the last line read, if nearer). The read
    // starts a byte earlier: a line starting right at the limit is then seen to start there.
    const jumpTo = (at: number, line: number): void => {
      const lastRead = base + gap;
      const from = Math.max(lastRead, at - LOOK_BACK_BYTES - 1);
      jump = { at, line, from, lineStart: from === lastRead };
    };

    this.ahead = reader.read(buf, 0, readBytes, 0);
    while (!eof) {
      const n = await this.ahead!;
      this.ahead = null;
      eof = n === 0;
      len += n;
      if (!eof) {
        if (len + readBytes > buf.length) {
          // Keep the unfinished line, the bytes not scanned yet and up to LOOK_BACK_BYTES of
          // skipped lines before them, and at least the byte before them (`Claims` reads it).
          const keep = Math.max(0, Math.min(pos - 1, Math.max(gap, pos - LOOK_BACK_BYTES)));
          buf.copyWithin(0, keep, len);
          base += keep;
          len -= keep;
          pos -= keep;
          gap = Math.max(0, gap - keep);
        }
        // The next read (a reader may resolve it later) fills the bytes after `len` while the
        // ones before it are scanned: nothing below reads or moves them.
        this.ahead = reader.read(buf, len, readBytes);
      }
      if (jump) {
        // Landed: once the bytes reach past the line start (a file cut short since ends here).
        if (eof || base + len <= jump.at) continue;
        pos = jump.at - base;
        gap = jump.lineStart ? 0 : buf.indexOf(NEWLINE) + 1;
        this.lines = jump.line - 1;
        cutting = false;
        jump = null;
      }
      if (!hints && claims && split === Infinity) split = claims.update(buf, base, len);
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
      if (!hints && base + pos >= split) {
        if (base + pos !== split) throw new Error(`kernel-log scan: passed the split at ${split} (at ${base + pos})`);
        hints = await helper!.search.hints.then(
          (found) => ((this.helper = "used"), found),
          (err: Error) => ((this.helper = `failed: ${err.message}`), null),
        );
        if (hints && hints.split !== split)
          throw new Error(`kernel-log scan: the helper searched from ${hints.split}, not from the split at ${split}`);
        if (hints) splitLines = this.lines;
        else [split, claims] = [Infinity, null]; // the helper failed: search on
      }
      const lastNl = len > pos ? buf.lastIndexOf(NEWLINE, len - 1) : -1;
      // Up to the split, then the helper's (a line start: no line is cut there).
      const end = Math.min(eof ? len : lastNl >= pos ? lastNl + 1 : pos, hints ? Infinity : split - base);
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
        if (hints) {
          const found = hints.lines;
          while (hi < found.length && found[hi]! < base + pos) hi += 2;
          if (hi >= found.length) {
            this.lines = splitLines + hints.lineCount;
            return;
          }
          const at = found[hi]!;
          const line = splitLines + found[hi + 1]!;
          if (at >= base + end) {
            jumpTo(at, line);
            break;
          }
          const nl = buf.indexOf(NEWLINE, at - base);
          this.lines = line - 1;
          emit(at - base, nl < 0 || nl >= end ? end : nl);
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
      if (jump) {
        // The bytes read ahead are not the ones wanted: read from the jump's start instead.
        await this.ahead;
        const { from: at } = jump;
        base = at;
        len = pos = gap = 0;
        eof = false;
        this.ahead = reader.read(buf, 0, readBytes, at);
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

/**
 * This thread's side of the chunk claims (`hints.ts`): claims, in order, each chunk it reads bytes
 * of; once the helper holds one, finds the split, the first line start at or after that chunk's
 * start, in the bytes read (this thread stops there and reads the helper's lines on).
 */
class Claims {
  /** Chunks [0, claimed) are this thread's (the helper never claims chunk 0). */
  private claimed = 1;
  /** The start of the first chunk the helper holds, once a claim failed. */
  private at: number | null = null;
  /** File offset from which the split's newline is still to be searched. */
  private searchFrom = 0;

  constructor(
    private readonly owners: Int32Array,
    private readonly chunkBytes: number,
  ) {}

  /**
   * After a read, before its bytes are scanned: `buf[0, len)` holds the file from `base`. Returns the split, or
   * Infinity while it is not known (no chunk the helper holds, or its newline not read yet: then no
   * line at or past the split's start is in the bytes).
   */
  update(buf: Buffer, base: number, len: number): number {
    if (this.at === null) {
      const last = Math.floor((base + len - 1) / this.chunkBytes);
      while (this.claimed <= last && claimChunk(this.owners, this.claimed, SCAN)) this.claimed++;
      if (this.claimed > last) return Infinity;
      this.at = this.claimed * this.chunkBytes;
      // Chunk `claimed` was first read by this read, and the buffer keeps a byte before the bytes read.
      if (this.at - 1 < base) throw new Error(`kernel-log scan: read past chunk ${this.claimed} before claiming it`);
      this.searchFrom = this.at - 1;
    }
    const nl = buf.indexOf(NEWLINE, this.searchFrom - base);
    if (nl >= 0 && nl < len) return base + nl + 1;
    this.searchFrom = base + len;
    return Infinity;
  }
}
