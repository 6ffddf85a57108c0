/**
 * The bundle's own words for every line the report cites: after diagnosis, each cited
 * `file:line` is read back from its artifact (one pass per cited file, in order, stopping after the
 * last cited line; in a kernel log it jumps to the lines its scan noted, `ArtifactSource.lineStarts`),
 * so a citation can show the line as the file has it, with computed values beside it rather than
 * in its place, and the HTML appendix can quote a few lines around it.
 *
 * Context lines are only kept for line-oriented artifacts (kernel logs, `kubectl describe`,
 * memory.stat, pmap): in JSON and YAML a neighbouring line can be the `value` of a secret whose
 * name sits on the line before, which line-by-line redaction cannot see.
 *
 * A kernel log that changed between its scan and its quotes (rotated or truncated while the tool
 * ran: its size is not the one the scan noted) gets no quotes, and a warning says so
 * (`CitedLines.warnings`); its evidence keeps the texts the scan read.
 *
 * Sample: evidence `{file: "describe-pod.txt", line: 40, text: "limit 2147483648 B, request …"}`
 * → quote `{text: "memory:  2Gi", before: ["Limits:", "  cpu:     2"], after: ["Requests:"]}`.
 */
import type { DiscoveredFile } from "./discover.js";
import { ByteKernels } from "./ingest/kernel-log/byte-kernels.js";
import { finishLine, lineBatchesOf, MAX_LINE_CHARS } from "./ingest/source.js";
import type { LineStarts } from "./ingest/shared/line-starts.js";
import type { ArtifactSource, ByteReader } from "./ingest/types.js";
import type { Quote } from "./model/incident.js";
import { maxOf } from "./util/arrays.js";

/** Lines of context kept on each side of a cited line. */
const CONTEXT = 2;
/** Characters read from one file for quotes before giving up (a cited line beyond keeps its evidence text). */
const READ_BUDGET_CHARS = 64 * 2 ** 20;
/** Evidence items of one list that get quotes: the report cites at most this many of a list (render/cite.ts shows 6). */
const QUOTED_PER_LIST = 6;
/** Cited lines quoted per report, in report order; later citations keep their evidence text (20k kills must not mean 20k quotes). */
const QUOTED_PER_REPORT = 2000;
/** Kinds whose neighbouring lines are safe to quote (not JSON/YAML). */
const CONTEXT_KINDS = new Set([
  "kernel-log",
  "kubectl-describe",
  "memory-stat",
  "pmap",
  "kubectl-get-pods",
  "kubectl-get-events",
  "kubectl-top",
  "runtime-config",
]);

/**
 * The lines a report cites, gathered part by part in report order (each incident as it is
 * diagnosed, then the readings), then read back with {@link CitedLines.quotes}: the first
 * {@link QUOTED_PER_LIST} of each evidence list, at most {@link QUOTED_PER_REPORT} lines in all.
 * Only `file` → line numbers are kept, so the incidents need not stay in memory until the quotes are read.
 *
 * Sample: `cited.add(incident)` for each incident, `cited.add(report.readings ?? [])`, then
 * `await cited.quotes(files)` → `{"dmesg.txt:12": {text: "[2914601.180601] Killed process …", …}}`.
 */
export class CitedLines {
  /** What `quotes` found about the files (one that changed since it was read), filled as it reads them. */
  readonly warnings: { file: string; message: string }[] = [];
  private readonly byFile = new Map<string, Set<number>>();
  private count = 0;

  /** Records the `{file, line, text}` evidence inside `part` (an incident, the readings), walked depth first in member order. */
  add(part: unknown): void {
    const stack: unknown[] = [part];
    while (stack.length > 0 && this.count < QUOTED_PER_REPORT) {
      const v = stack.pop();
      if (v === null || typeof v !== "object") continue;
      if (isEvidence(v)) {
        const set = this.byFile.get(v.file) ?? new Set<number>();
        if (!set.has(v.line)) this.count++;
        set.add(v.line);
        this.byFile.set(v.file, set);
      }
      const children = Array.isArray(v)
        ? v.some(isEvidence)
          ? v.slice(0, QUOTED_PER_LIST)
          : v
        : Object.values(v as Record<string, unknown>);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }

  /** `file:line` → the line as the file has it (trimmed), for every line recorded, read from `files`. */
  async quotes(files: DiscoveredFile[]): Promise<Record<string, Quote>> {
    const quotes: Record<string, Quote> = {};
    for (const f of files) {
      const lines = this.byFile.get(f.source.path);
      if (!lines || lines.size === 0) continue;
      const context = CONTEXT_KINDS.has(f.ingester?.kind ?? "") ? CONTEXT : 0;
      try {
        Object.assign(quotes, await readQuotes(f, lines, context));
      } catch (err) {
        if (!(err instanceof FileChangedError)) throw err;
        this.warnings.push({
          file: f.source.path,
          message: `the file changed while it was analysed (${err.message}): its cited lines are not quoted`,
        });
      }
    }
    return quotes;
  }
}

/** A file whose bytes are not the ones its scan read: `message` says how (sizes, the line that moved). */
class FileChangedError extends Error {}

function isEvidence(v: unknown): v is { file: string; line: number; text: string } {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.file === "string" && typeof o.line === "number" && typeof o.text === "string";
}

async function readQuotes(f: DiscoveredFile, cited: Set<number>, context: number): Promise<Record<string, Quote>> {
  const last = maxOf(cited, 0) + context;
  const wanted = new Set<number>();
  for (const n of cited) for (let l = Math.max(1, n - context); l <= n + context; l++) wanted.add(l);
  let got: Map<number, string>;
  try {
    got = f.source.bytes
      ? await linesFromBytes(
          f.source.bytes(),
          wanted,
          last,
          f.source.lineStarts ? { cited, context, starts: f.source.lineStarts } : null,
        )
      : await linesFromText(f.source, wanted, last);
  } catch (err) {
    // A file that cannot be read again keeps its evidence texts; the ingest warnings already name
    // it. Anything else (a bug in the line splitting) is ours and stays loud.
    if (typeof (err as NodeJS.ErrnoException | null)?.code !== "string") throw err;
    return {};
  }
  const out: Record<string, Quote> = {};
  for (const n of cited) {
    const text = got.get(n);
    if (text === undefined) continue;
    const before = range(Math.max(1, n - context), n - 1).filter((l) => got.has(l));
    const after = range(n + 1, n + context).filter((l) => got.has(l));
    out[`${f.source.path}:${n}`] = {
      text: text.trim(),
      first: before[0] ?? n,
      before: before.map((l) => got.get(l)!),
      after: after.map((l) => got.get(l)!),
    };
  }
  return out;
}

// The `wanted` lines up to line `last` (or READ_BUDGET_CHARS), from every decoded line.
async function linesFromText(source: ArtifactSource, wanted: Set<number>, last: number): Promise<Map<number, string>> {
  const got = new Map<number, string>();
  let read = 0;
  for await (const batch of lineBatchesOf(source)) {
    for (const { text, line } of batch) {
      if (line > last || read > READ_BUDGET_CHARS) return got;
      read += text.length + 1;
      if (wanted.has(line)) got.set(line, text);
    }
  }
  return got;
}

const NEWLINE = 0x0a;

/** Bytes read at a time by `linesFromBytes`, besides a line carried over. */
const READ_BYTES = 1 << 17;

/**
 * A noted line start (`ArtifactSource.lineStarts`) this many bytes or more past the bytes read is
 * reached with a positioned read instead of reading up to it.
 */
const JUMP_BYTES = 1 << 18;

/** Bytes read before a line start jumped to: the lines quoted before a cited line are there. */
const LOOK_BACK_BYTES = 1 << 14;

/** The first read after a jump; reads in order double up to READ_BYTES (a report is a few KiB). */
const FIRST_READ_BYTES = 1 << 14;

/**
 * `linesFromText` on a UTF-8 file's bytes, read into one reused buffer: a read without a wanted
 * line only has its newlines counted (SIMD, `ByteKernels`); in the others newlines are found with
 * `indexOf` and only the wanted lines are decoded (as `lines()` finishes them; the cut of a line
 * over MAX_LINE_CHARS counts bytes). With `starts` (where the ingester saw lines start), the next
 * cited line far ahead is jumped to, with LOOK_BACK_BYTES before it for the lines quoted before
 * it: a 1 GiB kernel log's quotes read a few KiB per incident, wherever they are. Reads stop after
 * READ_BUDGET_CHARS bytes. Closes `reader`. Throws FileChangedError when the file's size is not
 * the one its scan noted and a noted start is not where a line starts or the file is now shorter,
 * and a plain Error (a bug of ours) when a noted start is wrong in a file of the same size.
 */
async function linesFromBytes(
  reader: ByteReader,
  wanted: Set<number>,
  last: number,
  jumps: { cited: Set<number>; context: number; starts: LineStarts } | null,
): Promise<Map<number, string>> {
  const got = new Map<number, string>();
  const scanned = jumps?.starts.bytes;
  if (scanned !== undefined && reader.size < scanned) {
    await reader.close();
    throw new FileChangedError(`${reader.size} bytes now, ${scanned} when it was read`);
  }
  const k = new ByteKernels(MAX_LINE_CHARS + READ_BYTES, []);
  const buf = k.bytes;
  const pending = [...wanted].sort((a, b) => b - a); // wanted lines not passed yet, the nearest last
  const citedAhead = [...(jumps?.cited ?? [])].sort((a, b) => b - a); // cited lines not passed yet, the nearest last
  let len = 0; // valid bytes in buf
  let line = 1; // number of the line that starts at buf[0]
  let at = 0; // file offset of buf[0]
  let read = 0; // bytes read
  let size = READ_BYTES; // of the next read
  let cutting = false; // inside a line longer than the buffer, already taken
  const take = (start: number, stop: number): void => {
    if (!cutting && wanted.has(line))
      got.set(line, finishLine(buf.toString("utf8", start, Math.min(stop, start + MAX_LINE_CHARS))));
  };
  // Drops the wanted lines before `line` (the scan has passed them).
  const passed = (): void => {
    while (pending.length > 0 && pending.at(-1)! < line) pending.pop();
  };
  // To the start noted at or before the next cited line, when it is far ahead and no wanted line
  // lies before that cited line's own (the lines after an earlier cited line are read in order).
  const jump = async (): Promise<void> => {
    passed();
    while (citedAhead.length > 0 && citedAhead.at(-1)! < line) citedAhead.pop();
    const next = citedAhead.at(-1);
    if (!jumps || next === undefined || pending.at(-1)! < next - jumps.context) return;
    const start = jumps.starts.atOrBefore(next);
    if (!start || start.line <= line || start.offset < at + len + JUMP_BYTES) return;
    const back = Math.min(start.offset, LOOK_BACK_BYTES);
    const n = await reader.read(buf, 0, back, start.offset - back);
    read += n;
    if (n !== back || buf[back - 1] !== NEWLINE) {
      const where = `line ${start.line} was noted at byte ${start.offset}, where no line starts now`;
      if (reader.size !== scanned)
        throw new FileChangedError(`${reader.size} bytes now, ${scanned} when it was read; ${where}`);
      throw new Error(`quotes: ${where}`);
    }
    const first = start.offset === back ? 0 : buf.indexOf(NEWLINE) + 1; // the first whole line read
    line = start.line - k.count(first, back);
    buf.copyWithin(0, first, back);
    len = back - first;
    at = start.offset - len;
    cutting = false;
    size = FIRST_READ_BYTES;
    passed();
  };
  try {
    for (;;) {
      if (read > READ_BUDGET_CHARS) return got;
      await jump();
      const n = await reader.read(buf, len, Math.min(size, buf.length - len));
      read += n;
      size = Math.min(READ_BYTES, size * 2);
      len += n;
      let start = 0;
      const lastNl = len > 0 ? buf.lastIndexOf(NEWLINE, len - 1) : -1;
      const newlines = lastNl >= 0 ? k.count(0, lastNl + 1) : 0;
      if (newlines > 0 && line + newlines <= (pending.at(-1) ?? Infinity) && !cutting) {
        // No wanted line ends in these bytes: count their lines, decode none.
        line += newlines;
        start = lastNl + 1;
      } else {
        const view = buf.subarray(0, len);
        for (let nl = view.indexOf(NEWLINE); nl >= 0; nl = view.indexOf(NEWLINE, start)) {
          if (line > last) return got;
          take(start, nl);
          cutting = false;
          line++;
          start = nl + 1;
        }
      }
      if (line > last) return got;
      if (n === 0) {
        if (start < len) take(start, len); // the last line, without a newline
        return got;
      }
      buf.copyWithin(0, start, len);
      len -= start;
      at += start;
      if (len === buf.length) {
        // A line longer than the buffer: its first bytes are its text, the rest is skipped.
        take(0, len);
        cutting = true;
        at += len;
        len = 0;
      }
    }
  } finally {
    await reader.close();
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
