/**
 * discover: walks a bundle (a folder, a single file, an archive, or `-` for stdin) and decides
 * each file's kind from its content (the name and the collector layout are only hints). Unknown,
 * empty and binary files are listed, never silently dropped. The bundle is only read: archives
 * (`.tar`, `.tar.gz`/`.tgz`, `.gz`, `.zip`, `.tar.xz`, detected by magic bytes) are read in place,
 * also when they sit inside a folder bundle or inside another archive (up to `limits.depth`).
 * An archive entry is cited as `archive!/path/in/archive` (see `src/archive/read.ts`).
 */
import { open, readdir, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { sniffArchive, MAGIC_BYTES } from "./archive/detect.js";
import { layoutHint, detectLayout, type LayoutHint } from "./archive/layouts.js";
import { ArchiveLimitError, Budget, DEFAULT_LIMITS, type ArchiveLimits } from "./archive/limits.js";
import { readArchive, type ArchiveFile, type ArchiveHandlers } from "./archive/read.js";
import type { ArchiveInput } from "./archive/gzip.js";
import { UsageError } from "./errors.js";
import { detectIngester, ingesters } from "./ingest/index.js";
import {
  HEAD_BYTES,
  looksBinary,
  sourceFromBuffer,
  sourceFromFile,
  sourceFromString,
  withoutTerminalNoise,
} from "./ingest/source.js";
import type { ArtifactSource, Ingester } from "./ingest/types.js";
import { pushAll } from "./util/arrays.js";

/** A file of the bundle with the ingester that will read it (null: not recognised). */
export interface DiscoveredFile {
  source: ArtifactSource;
  ingester: Ingester | null;
  /** Why it was not recognised (empty, binary, unknown content, refused archive entry). */
  skipReason: string | null;
  /**
   * True when the file is listed but not worth a warning: a container log or an unrecognised
   * file of a known collector layout (a sosreport holds thousands), a link inside an archive.
   */
  quiet?: boolean;
  /** What the collector layout says about the path, when it follows one. */
  hint?: LayoutHint;
  /** True when the file was read whole into memory (small), so it can be read as a paste. */
  whole?: boolean;
  /** Size in bytes of a file on disk (absent for archive entries, which are held whole). */
  size?: number;
}

/** Options for `discover`; every field is optional. */
interface DiscoverOptions {
  /** Archive limits, merged over `DEFAULT_LIMITS`. */
  limits?: Partial<ArchiveLimits>;
}

/** Folders that are never artifacts. */
const SKIP_DIRS = new Set([".git", "node_modules"]);

/** Skip reasons of files no ingester took. */
export const NOT_RECOGNISED = "content not recognised as any artifact kind";
/**
 * A report this tool wrote (`-o bundle/report.md`, a sample's expected.md): Markdown opening with
 * its title, or HTML naming it as generator. It quotes the artifacts, so it must not be read as one.
 */
const OWN_REPORT =
  /^\uFEFF?(?:# OOM postmortem: |<!doctype html>[\s\S]{0,400}<meta name="generator" content="oom-postmortem )/;
const OWN_REPORT_REASON = "a report by oom-postmortem, not an artifact";
/** Skip reason of a README or Markdown file whose content no ingester took: notes for people, no warning. */
const NOTES = "notes for people, not an artifact";
/** `README`, `README.txt`, `notes.md`, `expected.md`: names of notes written for people. */
const NOTES_NAME = /(?:^|\/)(?:readme(?:\.[a-z]+)?|[^/]+\.(?:md|markdown))$/i;
const EMPTY = "empty file";
const BINARY = "binary content (not a text artifact)";
const QUIET_IN_LAYOUT = new Set([NOT_RECOGNISED, EMPTY, BINARY]);

/**
 * Lists and classifies the files of `bundlePath`. For `-`, `stdinFile` is where the CLI spooled
 * stdin (see `src/stdin.ts`); it is read like a single file shown as `stdin`.
 * Throws `UsageError` when the path does not exist or cannot be read; everything about an
 * archive's content (corrupt, bomb, escaping entries) is a file with a `skipReason` instead.
 */
export async function discover(
  bundlePath: string,
  stdinFile?: string,
  options: DiscoverOptions = {},
): Promise<DiscoveredFile[]> {
  const ctx: Ctx = {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    heldBytes: 0,
    wholeBytes: 0,
    bundle: { bytes: 0 },
    out: [],
  };
  if (bundlePath === "-")
    return stdinFile ? discoverFile(ctx, stdinFile, "stdin") : [classify(sourceFromString("stdin", ""))];
  const info = await stat(bundlePath).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(
      `cannot read ${bundlePath}: ${err.code === "ENOENT" ? "no such file or folder" : err.message}`,
    );
  });
  if (info.isFile()) return discoverFile(ctx, bundlePath, basename(bundlePath));
  if (!info.isDirectory()) throw new UsageError(`${bundlePath} is neither a file nor a folder`);
  const found = await walk(bundlePath);
  for (const [i, { abs, error }] of found.entries()) {
    const display = relative(bundlePath, abs).split("\\").join("/") || ".";
    if (ctx.out.length >= ctx.limits.files) {
      ctx.out.push({
        source: sourceFromString(display, ""),
        ingester: null,
        skipReason: overFiles(ctx, `this file and the ${found.length - i - 1} after it not read`),
      });
      break;
    }
    try {
      if (error) throw error;
      const start = await readStart(abs);
      if (await expandIfArchive(ctx, { file: abs }, start.bytes.subarray(0, MAGIC_BYTES), display, 1)) continue;
      pushAll(ctx.out, classifyRead(await fileSource(ctx, abs, display, start)));
    } catch (err) {
      ctx.out.push({
        source: sourceFromString(display, ""),
        ingester: null,
        skipReason: `unreadable: ${(err as Error).message}`,
      });
    }
  }
  return markQuiet(ctx.out);
}

/** A bundle that is one file (or stdin spooled to `path`): an archive's entries, or the file itself. */
async function discoverFile(ctx: Ctx, path: string, display: string): Promise<DiscoveredFile[]> {
  const shown = display === "stdin" ? "stdin" : path;
  const start = await readStart(path).catch((err: Error) => {
    throw new UsageError(`cannot read ${shown}: ${err.message}`);
  });
  if (await expandIfArchive(ctx, { file: path }, start.bytes.subarray(0, MAGIC_BYTES), display, 1))
    return markQuiet(ctx.out);
  return classifyRead(await fileSource(ctx, path, display, start));
}

interface Ctx {
  limits: ArchiveLimits;
  /** Bytes of archive entries held in memory so far. */
  heldBytes: number;
  /** Bytes of small files read whole so far (see `READ_WHOLE_BYTES`). */
  wholeBytes: number;
  /** Decompressed bytes of every archive so far (the per-bundle cap). */
  bundle: { bytes: number };
  out: DiscoveredFile[];
}

/** Classifies a source: the layout's hinted kind is sniffed first, then every ingester in order. */
function classify(raw: ArtifactSource, hint: LayoutHint | null = layoutHint(raw.path)): DiscoveredFile {
  const source = withoutTerminalNoise(raw);
  const withHint = hint ? { hint } : {};
  if (hint?.kind === "container-log")
    return { source, ingester: null, skipReason: `${hint.what} (not an artifact kind)`, quiet: true, ...withHint };
  if (source.head.trim() === "") return { source, ingester: null, skipReason: EMPTY, ...withHint };
  if (OWN_REPORT.test(source.head))
    return { source, ingester: null, skipReason: OWN_REPORT_REASON, quiet: true, ...withHint };
  if (looksBinary(source.head)) return { source, ingester: null, skipReason: BINARY, ...withHint };
  const hinted = hint?.kind ? ingesters.find((i) => i.kind === hint.kind) : undefined;
  const ingester = hinted && safeSniff(hinted, source) ? hinted : detectIngester(source.head, source.path);
  if (!ingester && NOTES_NAME.test(source.path))
    return { source, ingester: null, skipReason: NOTES, quiet: true, ...withHint };
  return { source, ingester, skipReason: ingester ? null : NOT_RECOGNISED, ...withHint };
}

function safeSniff(ing: Ingester, source: ArtifactSource): boolean {
  try {
    return ing.sniff(source.head, source.path);
  } catch {
    return false;
  }
}

/** A file read whole is marked so (the pipeline may then read it as a paste, `src/ingest/paste/parts.ts`). */
function classifyRead(read: { source: ArtifactSource; whole: boolean; size: number }): DiscoveredFile[] {
  const file = classify(read.source);
  return read.whole ? [{ ...file, whole: true, size: read.size }] : [{ ...file, size: read.size }];
}

// In a bundle that follows a collector layout, unrecognised, empty and binary files are listed
// quietly: they are the collector's other output (an empty `[]` of events, a node list), not
// artifacts gone astray. Refused entries and tripped limits stay warnings.
function markQuiet(files: DiscoveredFile[]): DiscoveredFile[] {
  const layout = detectLayout(files.map((f) => f.source.path));
  if (!layout) return files;
  for (const f of files) {
    if (f.skipReason !== null && QUIET_IN_LAYOUT.has(f.skipReason)) f.quiet = true;
  }
  return files;
}

/**
 * When `magic` announces an archive, reads it into `ctx.out` and returns true. Its bytes count
 * on the bundle's shared cap (`ctx.bundle`); `depth` counts archive levels.
 */
async function expandIfArchive(
  ctx: Ctx,
  input: ArchiveInput,
  magic: Uint8Array,
  display: string,
  depth: number,
): Promise<boolean> {
  const format = sniffArchive(magic);
  if (!format) return false;
  if (depth > ctx.limits.depth) {
    ctx.out.push({
      source: sourceFromString(display, ""),
      ingester: null,
      skipReason: `${format} archive nested more than ${ctx.limits.depth} levels deep, not opened`,
    });
    return true;
  }
  const budget = new Budget(ctx.limits, ctx.bundle);
  const handlers: ArchiveHandlers = {
    note: (n) => {
      if (ctx.out.length >= ctx.limits.files) throw new ArchiveLimitError(overFiles(ctx, "reading stopped"));
      ctx.out.push({
        source: sourceFromString(n.path, ""),
        ingester: null,
        skipReason: n.message,
        ...(n.quiet ? { quiet: true } : {}),
      });
    },
    file: async (f) => {
      if (ctx.out.length >= ctx.limits.files) throw new ArchiveLimitError(overFiles(ctx, "reading stopped"));
      await readEntry(ctx, f, depth);
    },
  };
  await readArchive(input, format, display, budget, handlers);
  return true;
}

/**
 * One file inside an archive: its head decides (nested archive, artifact, or not); an artifact
 * is held in memory for its ingester when it fits `limits.entryBytes` and `limits.heldBytes`.
 * The body is always read to its end (a tar stream cannot skip otherwise).
 */
async function readEntry(ctx: Ctx, f: ArchiveFile, depth: number): Promise<void> {
  const it = f.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let size = 0;
  let ended = false;
  const pull = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) ended = true;
    else {
      parts.push(r.value);
      size += r.value.length;
    }
    return !r.done;
  };
  const drain = async () => {
    while (!ended) {
      const r = await it.next();
      if (r.done) ended = true;
    }
  };
  while (size < HEAD_BYTES && (await pull()));
  const head = Buffer.concat(parts);
  const hint = layoutHint(f.path);
  const nestedFormat = sniffArchive(head.subarray(0, MAGIC_BYTES));
  const probe = classify(sourceFromBuffer(f.path, head), hint);
  if (!nestedFormat && !probe.ingester) {
    await drain();
    ctx.out.push(probe);
    return;
  }
  // Keep the whole entry, within the per-entry and held-in-memory caps.
  const room = Math.min(ctx.limits.entryBytes, ctx.limits.heldBytes - ctx.heldBytes);
  while (size <= room && (await pull()));
  if (!ended) {
    await drain();
    const why =
      size > ctx.limits.entryBytes
        ? `larger than the ${ctx.limits.entryBytes}-byte limit for one archive entry`
        : `over the ${ctx.limits.heldBytes}-byte limit on archive entries held in memory`;
    ctx.out.push({
      source: sourceFromString(f.path, ""),
      ingester: null,
      skipReason: `archive entry ${why}, skipped — extract the archive and point at the folder to analyse it`,
    });
    return;
  }
  const bytes = Buffer.concat(parts);
  if (nestedFormat) {
    await expandIfArchive(ctx, { buffer: bytes }, bytes.subarray(0, MAGIC_BYTES), f.path, depth + 1);
    return;
  }
  ctx.heldBytes += bytes.length;
  ctx.out.push({ ...probe, source: withoutTerminalNoise(sourceFromBuffer(f.path, bytes)), whole: true });
}

// The warning when the budget of files and archive entries per bundle is spent.
function overFiles(ctx: Ctx, what: string): string {
  return `${what}: the bundle already has ${ctx.limits.files} files and archive entries (the budget per bundle) — point at a smaller folder or extract the part that matters`;
}

/**
 * A file up to this size is read whole when it is discovered, so a bundle of thousands of small
 * files (describe, pod JSON) opens each file once; a bigger one is streamed by its ingester.
 */
const READ_WHOLE_BYTES = 256 * 1024;

/** Most bytes of small files held for their ingesters at once (beyond it, files are streamed). */
const READ_WHOLE_TOTAL = 64 * 1024 * 1024;

/** A file's first bytes (all of it when it is small): magic bytes, head, or the whole content. */
interface FileStart {
  bytes: Buffer;
  whole: boolean;
  /** The file's size in bytes. */
  size: number;
}

/** One open: the whole file when it has at most `READ_WHOLE_BYTES`, else its first `HEAD_BYTES`. */
async function readStart(path: string): Promise<FileStart> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const want = size <= READ_WHOLE_BYTES ? size : HEAD_BYTES;
    const buf = Buffer.alloc(want);
    let got = 0;
    for (let n = -1; got < want && n !== 0; got += n) n = (await fh.read(buf, got, want - got, got)).bytesRead;
    return { bytes: buf.subarray(0, got), whole: size <= READ_WHOLE_BYTES && got === size, size };
  } finally {
    await fh.close();
  }
}

/** The source for a file on disk: from the bytes already read when it was read whole, else streamed. */
async function fileSource(
  ctx: Ctx,
  abs: string,
  display: string,
  start: FileStart,
): Promise<{ source: ArtifactSource; whole: boolean; size: number }> {
  if (start.whole && ctx.wholeBytes + start.bytes.length <= READ_WHOLE_TOTAL) {
    ctx.wholeBytes += start.bytes.length;
    return { source: sourceFromBuffer(display, start.bytes), whole: true, size: start.size };
  }
  return {
    source: await sourceFromFile(abs, display, start.bytes.subarray(0, HEAD_BYTES)),
    whole: false,
    size: start.size,
  };
}

/**
 * Regular files under `dir`, sorted for a stable report. An unreadable subfolder is returned
 * as an entry with its error, so it is reported rather than silently dropped.
 */
async function walk(dir: string): Promise<{ abs: string; error?: Error }[]> {
  const out: { abs: string; error?: Error }[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    return [{ abs: dir, error: err as Error }];
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) pushAll(out, await walk(abs));
    } else if (e.isFile()) out.push({ abs });
  }
  return out;
}
