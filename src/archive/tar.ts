/**
 * tar (POSIX ustar, pax, GNU long names) read as a stream with tar-stream: entries are visited
 * in order, nothing is written to disk. Devices, FIFOs and pax headers are reported as `other`.
 * Format: POSIX.1-2001 pax / ustar header (name at 0, size at 124, typeflag at 156, `ustar` at 257).
 *
 * Sample input (a ustar header block, abridged):
 * ```text
 * sosreport-node1/sos_commands/kernel/dmesg\0… 0000644\0 … 00000041234\0 … 0 … ustar\000
 * ```
 */
import type { Readable } from "node:stream";
import type { EntryBody, EntryVisitor } from "./types.js";

/** Visits every entry of the tar stream `input`; rejects on a corrupt header or a failing input. */
export async function readTar(input: Readable, visit: EntryVisitor): Promise<void> {
  const { extract } = await import("tar-stream"); // loaded by the first tar only
  const ex = extract();
  input.on("error", (err) => ex.destroy(err));
  input.pipe(ex);
  try {
    for await (const entry of ex) {
      const h = entry.header;
      const name = h.name;
      if (h.type === "file" || h.type === "contiguous-file" || !h.type) {
        await visit({ type: "file", name, size: h.size ?? null, body: entry as unknown as EntryBody });
      } else {
        if (h.type === "directory") await visit({ type: "directory", name });
        else if (h.type === "symlink" || h.type === "link")
          await visit({ type: h.type === "link" ? "hardlink" : "symlink", name, target: h.linkname ?? "" });
        else await visit({ type: "other", name, what: h.type });
        entry.resume();
      }
      // A visitor that stopped early must not stall the archive: discard what is left.
      entry.resume();
    }
  } finally {
    // A stop half-way (limit, corrupt header) must not leave the file or zlib stream open.
    if (!input.destroyed) input.destroy();
  }
}
