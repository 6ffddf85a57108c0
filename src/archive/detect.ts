/**
 * Archive detection by magic bytes (the file name is only a hint, never decisive), and entry
 * path checks. Formats: gzip (RFC 1952 `1f 8b`), xz (`fd 37 7a 58 5a 00`), zip (local header
 * `50 4b 03 04`, or `50 4b 05 06` for an empty zip), POSIX/GNU tar (`ustar` at offset 257),
 * and two recognised-but-unsupported compressors, bzip2 (`BZh`) and zstd (`28 b5 2f fd`).
 *
 * Sample input (the first bytes of a `.tar.gz`):
 * ```text
 * 1f 8b 08 00 00 00 00 00 00 03 ed 9d 5b 73 db 38 …
 * ```
 */

/** What a file's first bytes say it is. */
export type ArchiveFormat = "gzip" | "xz" | "zip" | "tar" | "bzip2" | "zstd";

/** How many leading bytes `sniffArchive` needs to see every magic (tar's is at 257–262). */
export const MAGIC_BYTES = 512;

/** The archive format announced by `bytes` (a file's first `MAGIC_BYTES`), or null for anything else. */
export function sniffArchive(bytes: Uint8Array): ArchiveFormat | null {
  const at = (i: number, ...sig: number[]) => sig.every((b, k) => bytes[i + k] === b);
  if (at(0, 0x1f, 0x8b)) return "gzip";
  if (at(0, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return "xz";
  if (at(0, 0x50, 0x4b, 0x03, 0x04) || at(0, 0x50, 0x4b, 0x05, 0x06)) return "zip";
  // "ustar\0" (POSIX) or "ustar " (GNU) at offset 257 of the first header block.
  if (at(257, 0x75, 0x73, 0x74, 0x61, 0x72)) return "tar";
  if (at(0, 0x42, 0x5a, 0x68)) return "bzip2";
  if (at(0, 0x28, 0xb5, 0x2f, 0xfd)) return "zstd";
  return null;
}

/** Backslash separators of names stored by Windows tools: `bundle\\dmesg.txt`. */
const BACKSLASH = /\\/g;

/** A drive-letter absolute path once separators are unified: `C:/Windows/x`. */
const DRIVE_ABSOLUTE = /^[A-Z]:\//i;

/** Why an entry path was refused, or the normalised path (`./a//b` → `a/b`). */
type EntryPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Normalises an entry name and refuses one that would land outside the archive's folder if
 * extracted: absolute (`/etc/passwd`, `C:\x`), or climbing with `..` past its root.
 * Backslashes (zips made on Windows) count as separators.
 */
export function checkEntryPath(name: string): EntryPath {
  const unified = name.replace(BACKSLASH, "/");
  if (unified.startsWith("/") || DRIVE_ABSOLUTE.test(unified)) return { ok: false, reason: "absolute path" };
  const parts: string[] = [];
  for (const part of unified.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return { ok: false, reason: "path climbs out of the archive with ../" };
      parts.pop();
    } else parts.push(part);
  }
  return { ok: true, path: parts.join("/") };
}

/**
 * True when a link at `entryPath` pointing to `target` stays inside the archive
 * (a relative target that never climbs past the root).
 */
export function linkStaysInside(entryPath: string, target: string): boolean {
  const unified = target.replace(BACKSLASH, "/");
  if (unified.startsWith("/") || DRIVE_ABSOLUTE.test(unified)) return false;
  const dir = entryPath.split("/").slice(0, -1).join("/");
  return checkEntryPath(dir ? `${dir}/${unified}` : unified).ok;
}
