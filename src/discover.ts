/**
 * discover: walks a bundle (a folder, a single file, or `-` for stdin) and decides each file's
 * kind from its content (the name is only a hint). Unknown, empty and binary files are listed,
 * never silently dropped. The bundle is only read.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { UsageError } from "./errors.js";
import { detectIngester } from "./ingest/index.js";
import { looksBinary, sourceFromFile, sourceFromString } from "./ingest/source.js";
import type { ArtifactSource, Ingester } from "./ingest/types.js";

/** A file of the bundle with the ingester that will read it (null: not recognised). */
export interface DiscoveredFile {
  source: ArtifactSource;
  ingester: Ingester | null;
  /** Why it was not recognised (empty, binary, unknown content). */
  skipReason: string | null;
}

/** Folders that are never artifacts. */
const SKIP_DIRS = new Set([".git", "node_modules"]);

/**
 * Lists and classifies the files of `bundlePath`. `stdinText` is used for `-`.
 * Throws `UsageError` when the path does not exist or cannot be read.
 */
export async function discover(bundlePath: string, stdinText?: string): Promise<DiscoveredFile[]> {
  if (bundlePath === "-") return [classify(sourceFromString("stdin", stdinText ?? ""))];
  const info = await stat(bundlePath).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${bundlePath}: ${err.code === "ENOENT" ? "no such file or folder" : err.message}`);
  });
  if (info.isFile()) {
    const source = await sourceFromFile(bundlePath, basename(bundlePath)).catch((err: Error) => {
      throw new UsageError(`cannot read ${bundlePath}: ${err.message}`);
    });
    return [classify(source)];
  }
  if (!info.isDirectory()) throw new UsageError(`${bundlePath} is neither a file nor a folder`);
  const files: DiscoveredFile[] = [];
  for (const { abs, error } of await walk(bundlePath)) {
    const display = relative(bundlePath, abs).split("\\").join("/") || ".";
    try {
      if (error) throw error;
      files.push(classify(await sourceFromFile(abs, display)));
    } catch (err) {
      files.push({ source: sourceFromString(display, ""), ingester: null, skipReason: `unreadable: ${(err as Error).message}` });
    }
  }
  return files;
}

function classify(source: ArtifactSource): DiscoveredFile {
  if (source.head.trim() === "") return { source, ingester: null, skipReason: "empty file" };
  if (looksBinary(source.head)) return { source, ingester: null, skipReason: "binary content (not a text artifact)" };
  const ingester = detectIngester(source.head, source.path);
  return { source, ingester, skipReason: ingester ? null : "content not recognised as any artifact kind" };
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
      if (!SKIP_DIRS.has(e.name)) out.push(...(await walk(abs)));
    } else if (e.isFile()) out.push({ abs });
  }
  return out;
}
