/**
 * What the archive readers hand to discover: one event per entry, in archive order. Paths are
 * as stored (`./sosreport-node1/sos_commands/kernel/dmesg`); `read.ts` checks and normalises them.
 *
 * Sample (one tar entry of a support bundle):
 * ```text
 * { type: "file", name: "support-bundle-2024-03-07T09_20_11/cluster-resources/pods/shop.json", size: 48213 }
 * ```
 */

/** An entry's bytes: iterate it to the end, or `resume()` to discard them. */
export type EntryBody = AsyncIterable<Buffer> & { resume(): unknown };

/** One entry of an archive. A `file`'s `body` must be consumed or resumed by the visitor. */
export type RawEntry =
  | { type: "file"; name: string; size: number | null; body: EntryBody }
  | { type: "directory"; name: string }
  | { type: "symlink" | "hardlink"; name: string; target: string }
  | { type: "other"; name: string; what: string };

/** Called for each entry; the reader waits for it before reading the next one. */
export type EntryVisitor = (entry: RawEntry) => Promise<void>;
