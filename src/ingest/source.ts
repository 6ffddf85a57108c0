/**
 * `ArtifactSource` implementations: from a string (tests, stdin already read) and from a file
 * on disk, streamed. Decoding is done here once for every ingester: UTF-8 (with or without
 * BOM), UTF-16 LE/BE with BOM (PowerShell `>` redirection), CRLF and lone CR line ends,
 * ANSI colour escapes (`kubectl` under `script`, coloured `dmesg`).
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { LineStarts } from "./shared/line-starts.js";
import type { ArtifactSource, ByteReader, Line } from "./types.js";

/** How many bytes `head` covers. */
export const HEAD_BYTES = 8192;

/** Lines longer than this are cut (and the cut is kept; a giant line must not exhaust memory). */
export const MAX_LINE_CHARS = 1 << 20;

/** CSI sequences such as `\x1b[31m` and `\x1b[0;1m`, and OSC hyperlinks. */
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/gi;

/** The encoding a file's first bytes announce. */
function detectEncoding(bytes: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  // UTF-16 without BOM: ASCII text has NUL in every other byte.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0 && bytes[2] !== 0) return "utf-16le";
  return "utf-8";
}

/** Removes ANSI escapes and a leading BOM. */
function cleanText(text: string): string {
  return text.replace(ANSI_ESCAPE, "").replace(/^\uFEFF/, "");
}

/**
 * Splits decoded chunks into lines, streaming. A line longer than `MAX_LINE_CHARS` is cut
 * there (its start kept, the rest dropped up to the next newline) so memory stays bounded.
 * @internal exported for its tests (not the public API)
 */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<Line> {
  for await (const batch of splitLineBatches(chunks)) yield* batch;
}

/**
 * `splitLines`, one array of lines per decoded chunk (about 64 KiB of text): the same lines,
 * numbers and cuts, with one `await` per chunk instead of one per line (a gigabyte journal has
 * millions of lines). Only the unfinished tail of a chunk is carried over to the next one.
 * @internal exported for its tests (not the public API)
 */
export async function* splitLineBatches(chunks: AsyncIterable<string>): AsyncGenerator<Line[]> {
  let pending = "";
  let line = 0;
  let skipping = false;
  for await (const chunk of chunks) {
    const out: Line[] = [];
    let nl = chunk.indexOf("\n");
    if (nl < 0) {
      if (!skipping) pending += chunk;
    } else {
      if (skipping) skipping = false;
      else out.push({ text: finishLine(pending + chunk.slice(0, nl)), line: ++line });
      let start = nl + 1;
      while ((nl = chunk.indexOf("\n", start)) >= 0) {
        out.push({ text: finishLine(chunk.slice(start, nl)), line: ++line });
        start = nl + 1;
      }
      pending = chunk.slice(start);
    }
    if (skipping) pending = "";
    else if (pending.length > MAX_LINE_CHARS) {
      out.push({ text: finishLine(pending.slice(0, MAX_LINE_CHARS)), line: ++line });
      pending = "";
      skipping = true;
    }
    if (out.length > 0) yield out;
  }
  if (pending.length > 0 && !skipping) yield [{ text: finishLine(pending), line: line + 1 }];
}

/**
 * The lines of `source` in arrays: its own `lineBatches()` when it offers them (one `await` per
 * chunk), else its `lines()` in arrays of up to 1,024.
 */
export async function* lineBatchesOf(source: ArtifactSource): AsyncGenerator<Line[]> {
  if (source.lineBatches) {
    yield* source.lineBatches();
    return;
  }
  let batch: Line[] = [];
  for await (const l of source.lines()) {
    batch.push(l);
    if (batch.length >= 1024) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * One decoded line as `lines()` gives it: the CR of CRLF and any stray CR (terminal captures)
 * removed, then ANSI escapes and a leading BOM. (Checked with `includes` first: most lines have
 * neither, and a regex replace per line costs.)
 */
export function finishLine(raw: string): string {
  const text = raw.includes("\r") ? raw.replace(/\r/g, "") : raw;
  return text.includes("\x1b") || text.charCodeAt(0) === 0xfeff ? cleanText(text) : text;
}

/** Whole-text normalisation matching `lines()`: CRLF and stray CR removed, ANSI stripped. */
function normalizeText(text: string): string {
  return cleanText(text.replace(/\r/g, ""));
}

/** An artifact held in memory (tests, stdin). */
export function sourceFromString(path: string, text: string): ArtifactSource {
  const head = cleanText(text.slice(0, HEAD_BYTES));
  return {
    path,
    head,
    lines: () =>
      splitLines(
        (async function* () {
          yield text;
        })(),
      ),
    lineBatches: () =>
      splitLineBatches(
        (async function* () {
          yield text;
        })(),
      ),
    text: async () => normalizeText(text),
    bytes: () => memoryBytes(Buffer.from(text, "utf8")),
    lineStarts: new LineStarts(),
  };
}

/** Reads `bytes` in order (an artifact held in memory). */
function memoryBytes(bytes: Uint8Array): ByteReader {
  let at = 0;
  return {
    size: bytes.length,
    read: async (target, offset, length, position = at) => {
      at = Math.min(position, bytes.length);
      const n = Math.min(length, bytes.length - at);
      target.set(bytes.subarray(at, at + n), offset);
      at += n;
      return n;
    },
    close: async () => {},
  };
}

/**
 * Reads a file in order, opened at the first read. Reads are synchronous: the pipeline reads one
 * file at a time, and a gigabyte read through the thread pool spends more time waiting for its
 * turn than copying (the kernel-log scan of 1 GiB: 1.15 s CPU with a read in flight in the pool,
 * 0.98 s reading in place; the kernel's own read-ahead still overlaps the disk).
 */
function fileBytes(absPath: string): ByteReader {
  let fd: number | null = null;
  let at = 0;
  return {
    // Asked for by the kernel-log scan only: not a stat for every file streamed.
    get size() {
      return statSync(absPath).size;
    },
    path: absPath,
    read: async (target, offset, length, position = at) => {
      fd ??= openSync(absPath, "r");
      const n = readSync(fd, target, offset, length, position);
      at = position + n;
      return n;
    },
    close: async () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** Bytes read from disk at a time (fewer, larger reads are markedly faster on big files). */
const READ_BYTES = 1 << 20;

/**
 * The bytes of a file in pieces of up to `READ_BYTES`, read into one buffer that is reused: a
 * piece is valid until the next one is asked for (`decodeStream` decodes it first). A read
 * stream allocates a fresh buffer per chunk, and the dead ones (external memory, freed only
 * by a full GC) held ~55 MiB of the RSS of a 125 MB CSV.
 */
async function* fileChunks(absPath: string): AsyncGenerator<Buffer> {
  const reader = fileBytes(absPath);
  const buf = Buffer.allocUnsafe(READ_BYTES);
  try {
    for (let n = await reader.read(buf, 0, READ_BYTES); n > 0; n = await reader.read(buf, 0, READ_BYTES))
      yield buf.subarray(0, n);
  } finally {
    await reader.close();
  }
}

/** Text decoded at a time: line strings are slices of a decoded piece, and keep it alive. */
const DECODE_BYTES = 1 << 16;

/**
 * Decodes a byte stream of the given encoding into strings of at most `DECODE_BYTES` bytes each
 * (a kept line, e.g. evidence, pins the string it was sliced from, so that string stays small).
 */
async function* decodeStream(stream: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  for await (const chunk of stream) {
    for (let i = 0; i < chunk.length; i += DECODE_BYTES)
      yield decoder.decode(chunk.subarray(i, i + DECODE_BYTES), { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * A file on disk, streamed: `lines()` holds one line at a time in memory.
 * `displayPath` is what evidence cites (relative to the bundle); `firstBytes`, its first
 * `HEAD_BYTES` when the caller has read them already (else they are read here).
 */
export async function sourceFromFile(
  absPath: string,
  displayPath: string,
  firstBytes?: Uint8Array,
): Promise<ArtifactSource> {
  const headBytes = firstBytes ?? (await readHeadBytes(absPath));
  const encoding = detectEncoding(headBytes);
  const head = cleanText(new TextDecoder(encoding).decode(headBytes));
  const chunks = () => decodeStream(fileChunks(absPath), encoding);
  return {
    path: displayPath,
    head,
    lines: () => splitLines(chunks()),
    lineBatches: () => splitLineBatches(chunks()),
    text: async () => {
      let all = "";
      for await (const c of chunks()) all += c;
      return normalizeText(all);
    },
    ...(encoding === "utf-8" ? { bytes: () => fileBytes(absPath), lineStarts: new LineStarts() } : {}),
  };
}

// The first HEAD_BYTES of a file.
async function readHeadBytes(absPath: string): Promise<Uint8Array> {
  const fh = await open(absPath, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** True when the head looks binary (NUL bytes in UTF-8 text, or many control characters). */
export function looksBinary(head: string): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return true;
    if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) control++;
  }
  return control / head.length > 0.1;
}

/**
 * An artifact held in memory as raw bytes (an entry read out of an archive), decoded like a
 * file: UTF-8 with or without BOM, UTF-16 LE/BE. `displayPath` is what evidence cites
 * (`bundle.tgz!/bundle/dmesg.txt`). `lines()` decodes chunk by chunk, so only the bytes are
 * held whole, never a second full copy as a string (unless `text()` is called).
 */
export function sourceFromBuffer(displayPath: string, bytes: Uint8Array): ArtifactSource {
  const headBytes = bytes.subarray(0, HEAD_BYTES);
  const encoding = detectEncoding(headBytes);
  const head = cleanText(new TextDecoder(encoding).decode(headBytes));
  const chunks = () =>
    decodeStream(
      (async function* () {
        for (let i = 0; i < bytes.length; i += 1 << 16)
          yield Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(1 << 16, bytes.length - i));
      })(),
      encoding,
    );
  return {
    path: displayPath,
    head,
    lines: () => splitLines(chunks()),
    lineBatches: () => splitLineBatches(chunks()),
    text: async () => normalizeText(new TextDecoder(encoding).decode(bytes)),
    ...(encoding === "utf-8" ? { bytes: () => memoryBytes(bytes), lineStarts: new LineStarts() } : {}),
  };
}

/**
 * First line of a `script(1)` capture (util-linux): `Script started on 2026-10-02 08:40:11+00:00 [TERM="xterm" …]`;
 * the last is `Script done on 2026-10-02 08:40:19+00:00 [COMMAND_EXIT_CODE="0"]`.
 */
const SCRIPT_MARKER = /^Script (?:started|done) on /;

/**
 * A shell prompt with the command typed after it, as a capture shows it once ANSI/OSC codes are
 * gone: `[sre@bastion ~]$ kubectl …`, `sre@bastion:~$ dmesg -T`, `root@node:/# dmesg`, `$ kubectl …`.
 */
const SHELL_PROMPT = /^(?:\[[^\]\n]*\]|[^\s$#]*)[$#] /;

/** Blanks before a line's text. */
const LEADING_SPACE = /^\s+/;

/** The `exit` typed to end a capture, alone on its line. */
const EXIT_LINE = /^exit\s*$/;

/**
 * Terminal noise that decoding leaves in: backspaces (`x\bx` overstrike from `less`/`man`, typing
 * corrected with `\b \b`) are applied, and in a `script(1)` capture (head starts with
 * `Script started on`) its header and footer, prompt lines and `exit` become blank lines, so line
 * numbers still match the file. Returns `source` itself when its head shows neither.
 * Backspaces first seen after the head are not applied.
 */
export function withoutTerminalNoise(source: ArtifactSource): ArtifactSource {
  const script = SCRIPT_MARKER.test(source.head.replace(LEADING_SPACE, ""));
  if (!script && !source.head.includes("\b")) return source;
  const fix = (text: string): string => {
    const t = text.includes("\b") ? applyBackspaces(text) : text;
    if (!script) return t;
    const trimmed = t.replace(LEADING_SPACE, "");
    return SCRIPT_MARKER.test(trimmed) || SHELL_PROMPT.test(trimmed) || EXIT_LINE.test(trimmed) ? "" : t;
  };
  const fixText = (text: string) => text.split("\n").map(fix).join("\n");
  const batches = source.lineBatches?.bind(source);
  return {
    path: source.path,
    head: fixText(source.head),
    lines: async function* () {
      for await (const l of source.lines()) yield { text: fix(l.text), line: l.line };
    },
    ...(batches
      ? {
          lineBatches: async function* () {
            for await (const batch of batches()) yield batch.map((l) => ({ text: fix(l.text), line: l.line }));
          },
        }
      : {}),
    text: async () => fixText(await source.text()),
  };
}

// Each backspace erases the character before it: `R\bRe\bea` → `Rea`, `kubectx\b \bl` → `kubectl`.
function applyBackspaces(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === "\b") out.pop();
    else out.push(ch);
  }
  return out.join("");
}
