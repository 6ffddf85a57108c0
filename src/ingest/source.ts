/**
 * `ArtifactSource` implementations: from a string (tests, stdin already read) and from a file
 * on disk, streamed. Decoding is done here once for every ingester: UTF-8 (with or without
 * BOM), UTF-16 LE/BE with BOM (PowerShell `>` redirection), CRLF and lone CR line ends,
 * ANSI colour escapes (`kubectl` under `script`, coloured `dmesg`).
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { ArtifactSource, Line } from "./types.js";

/** How many bytes `head` covers. */
export const HEAD_BYTES = 8192;

/** Lines longer than this are cut (and the cut is kept; a giant line must not exhaust memory). */
export const MAX_LINE_CHARS = 1 << 20;

/** CSI sequences such as `\x1b[31m` and `\x1b[0;1m`, and OSC hyperlinks. */
const ANSI_ESCAPE = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The encoding a file's first bytes announce. */
export function detectEncoding(bytes: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  // UTF-16 without BOM: ASCII text has NUL in every other byte.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0 && bytes[2] !== 0) return "utf-16le";
  return "utf-8";
}

/** Removes ANSI escapes and a leading BOM. */
export function cleanText(text: string): string {
  return text.replace(ANSI_ESCAPE, "").replace(/^\uFEFF/, "");
}

/**
 * Splits decoded chunks into lines, streaming. A line longer than `MAX_LINE_CHARS` is cut
 * there (its start kept, the rest dropped up to the next newline) so memory stays bounded.
 */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<Line> {
  let pending = "";
  let line = 0;
  let skipping = false;
  for await (const chunk of chunks) {
    pending += chunk;
    let start = 0;
    for (;;) {
      const nl = pending.indexOf("\n", start);
      if (nl < 0) break;
      if (skipping) skipping = false;
      else yield { text: finishLine(pending.slice(start, nl)), line: ++line };
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (skipping) pending = "";
    else if (pending.length > MAX_LINE_CHARS) {
      yield { text: finishLine(pending.slice(0, MAX_LINE_CHARS)), line: ++line };
      pending = "";
      skipping = true;
    }
  }
  if (pending.length > 0 && !skipping) yield { text: finishLine(pending), line: ++line };
}

// Strips the CR of CRLF and any stray CR (terminal captures), then ANSI escapes.
function finishLine(raw: string): string {
  return cleanText(raw.includes("\r") ? raw.replace(/\r/g, "") : raw);
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
    lines: () => splitLines((async function* () { yield text; })()),
    text: async () => normalizeText(text),
  };
}

/** Decodes a byte stream of the given encoding into strings, chunk by chunk. */
async function* decodeStream(stream: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false });
  for await (const chunk of stream) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * A file on disk, streamed: `lines()` holds one line at a time in memory.
 * `displayPath` is what evidence cites (relative to the bundle).
 */
export async function sourceFromFile(absPath: string, displayPath: string): Promise<ArtifactSource> {
  const fh = await open(absPath, "r");
  let headBytes: Uint8Array;
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    headBytes = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const encoding = detectEncoding(headBytes);
  const head = cleanText(new TextDecoder(encoding).decode(headBytes));
  const chunks = () => decodeStream(createReadStream(absPath), encoding);
  return {
    path: displayPath,
    head,
    lines: () => splitLines(chunks()),
    text: async () => {
      let all = "";
      for await (const c of chunks()) all += c;
      return normalizeText(all);
    },
  };
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
