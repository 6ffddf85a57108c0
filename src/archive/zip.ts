/**
 * zip read in place with yauzl (central directory first, then each entry's data on demand);
 * nothing is written to disk. Names are decoded here (CP437 or UTF-8 by flag bit 11) so that a
 * bad name refuses that entry only, not the whole archive. Symlinks (Unix mode `0120000` in the
 * external attributes) are reported with their target. Encrypted entries and unknown
 * compression methods are reported as `other`.
 * Format: PKWARE APPNOTE.TXT 6.3 (local header `PK\x03\x04`, central directory `PK\x01\x02`).
 *
 * Sample input (a local file header, abridged):
 * ```text
 * 50 4b 03 04 14 00 00 08 08 00 … "must-gather.local.5/namespaces/shop/core/events.yaml"
 * ```
 */
import { Readable } from "node:stream";
import type { Entry, ZipFile } from "yauzl";
import type { ArchiveInput } from "./gzip.js";
import { counter, inflateCounted } from "./gzip.js";
import type { Budget } from "./limits.js";
import type { EntryVisitor } from "./types.js";

/** Unix file type bits of `externalFileAttributes >> 16`. */
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/**
 * Visits every entry of a zip. Deflated entries are inflated here (not by yauzl) so that
 * compressed bytes in are counted as zlib takes them, capped at the file size (overlapping-entry
 * bombs still show their ratio); decompressed bytes out are counted as they stream.
 */
export async function readZip(input: ArchiveInput, budget: Budget, visit: EntryVisitor): Promise<void> {
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false };
  const { default: yauzl } = await import("yauzl"); // loaded by the first zip only
  const zip =
    "file" in input
      ? await yauzl.openPromise(input.file, options)
      : await yauzl.fromBufferPromise(input.buffer, options);
  try {
    let consumed = 0;
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) return;
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (name.endsWith("/") || mode === S_IFDIR) {
        await visit({ type: "directory", name });
        continue;
      }
      if (entry.isEncrypted() || !entry.canDecodeFileData()) {
        await visit({
          type: "other",
          name,
          what: entry.isEncrypted() ? "encrypted entry" : `compression method ${entry.compressionMethod}`,
        });
        continue;
      }
      const raw = await zip.openReadStreamPromise(entry, { decodeFileData: false });
      const body =
        entry.compressionMethod === 8
          ? inflateCounted(raw, budget, "deflate-raw", consumed, zip.fileSize)
          : raw.pipe(counter((n) => (budget.consumed(n), budget.produced(n))));
      if (entry.compressionMethod !== 8) raw.on("error", (err) => body.destroy(err));
      consumed = Math.min(consumed + entry.compressedSize, zip.fileSize);
      if (mode === S_IFLNK) {
        const target = (await readSmall(body, 4096)).toString("utf8");
        await visit({ type: "symlink", name, target });
        continue;
      }
      await visit({ type: "file", name, size: entry.uncompressedSize, body });
    }
  } finally {
    zip.close();
  }
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off("entry", onEntry).off("end", onEnd).off("error", onError);
    };
    const onEntry = (e: Entry) => (cleanup(), resolve(e));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = (err: Error) => (cleanup(), reject(err));
    zip.on("entry", onEntry).on("end", onEnd).on("error", onError);
    zip.readEntry();
  });
}

async function readSmall(stream: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    if (size < max) parts.push(c);
    size += c.length;
  }
  return Buffer.concat(parts).subarray(0, max);
}
