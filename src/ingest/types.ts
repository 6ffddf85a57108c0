/**
 * The ingester contract. One ingester per artifact kind (DESIGN.md §2), one file each,
 * file name = kind. Ingesters are pure over an `ArtifactSource`: they never touch the file
 * system, never throw on bad input, and return facts plus diagnostics.
 */
import type { ArtifactKind } from "../model/artifact.js";
import type { FactSet } from "../model/facts.js";
import type { LineStarts } from "./shared/line-starts.js";

/** One decoded line: text without the line terminator (CR stripped), 1-based line number. */
export interface Line {
  text: string;
  line: number;
}

/**
 * A file of the bundle, already decoded (UTF-8, UTF-8 BOM, UTF-16 LE/BE with BOM) with
 * CRLF normalised. `lines()` streams; `text()` reads it whole (for JSON/YAML).
 */
export interface ArtifactSource {
  /** Path relative to the bundle root (what evidence cites). */
  path: string;
  /** The first few KiB, decoded: what `sniff` looks at. */
  head: string;
  lines(): AsyncIterable<Line>;
  /**
   * Optional: the same lines as `lines()`, in arrays (one per decoded chunk, ~64 KiB), for
   * ingesters that read gigabyte files (one `await` per chunk instead of per line).
   */
  lineBatches?(): AsyncIterable<Line[]>;
  text(): Promise<string>;
  /**
   * Optional: the raw bytes, for ingesters that scan bytes (kernel-log). Offered only for UTF-8
   * (with or without BOM) content that needs no cleaning beyond what `lines()` does per line,
   * so a line decoded from these bytes equals the one `lines()` gives.
   */
  bytes?(): ByteReader;
  /**
   * Where lines of `bytes()` start, as far as a reader has noted them (given with `bytes()`): the
   * kernel-log scan notes them, the quotes start their reads there.
   */
  lineStarts?: LineStarts;
}

/** Reads of an artifact's bytes, in order unless told where, into a caller's buffer. */
export interface ByteReader {
  /**
   * Reads up to `length` bytes into `target` at `offset`: from byte `position` of the artifact
   * when given (later reads go on after it), else after the previous read; resolves to 0 at the end.
   */
  read(target: Uint8Array, offset: number, length: number, position?: number): Promise<number>;
  close(): Promise<void>;
  /** The artifact's size in bytes. */
  readonly size: number;
  /**
   * The file the bytes are read from, when they are one, as discovery named it (absolute, or from
   * the working directory when the bundle was named so): a helper thread may read it too.
   */
  readonly path?: string;
}

export interface Ingester {
  kind: ArtifactKind;
  /** One line for `--help` and the README's artifact list. */
  description: string;
  /** A file name this kind is often saved under: such a file has this `sniff` tried first (content decides). */
  nameHint?: RegExp;
  /**
   * Content sniffing: true when `head` looks like this kind. The file name is a hint only
   * (discover tries the ingester it hints at first); content decides.
   */
  sniff(head: string, path: string): boolean;
  /** Reads the artifact. Never throws: bad lines become diagnostics naming file and line. */
  parse(source: ArtifactSource): Promise<FactSet>;
}
