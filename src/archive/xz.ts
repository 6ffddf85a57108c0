/**
 * `.xz` (sosreport's default `.tar.xz`) decoded as a stream with lzma-native (liblzma's
 * `lzma_stream_decoder`): every decompressed byte is counted on the `Budget` as it comes out,
 * so a stream whose index lies about its size (or a plain xz bomb) stops at the budget instead
 * of inflating in memory; the decoder's own memory is capped by `XZ_MEMLIMIT` (an xz made with
 * a larger dictionary is refused by liblzma with a "memory usage limit" error, kept as a warning).
 * Format: xz file format 1.0.4 (stream header `fd 37 7a 58 5a 00`, blocks, index, footer `YZ`).
 *
 * Sample input (stream header, then the footer's last bytes):
 * ```text
 * fd 37 7a 58 5a 00 00 04 e6 d6 b4 46 …   … 06 72 9e 7a 10 00 00 00 00 04 59 5a
 * ```
 */
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import type LzmaNative from "lzma-native";
import { counter, openInput, type ArchiveInput } from "./gzip.js";
import type { Budget } from "./limits.js";
import { lazyRequire } from "../util/lazy-require.js";

/** Loaded on the first .xz only: the native addon costs ~8 MiB RSS in every other run. */
const lzmaNative = lazyRequire<typeof LzmaNative>("lzma-native");

/** Most memory liblzma may use for one decoder (`xz -9` needs 65 MiB to decode). */
const XZ_MEMLIMIT = 96 * 1024 ** 2;

/**
 * Compressed bytes given to liblzma per call. The decoder runs synchronously, so each call's
 * output is all it makes before the budget counts it: xz reaches about 4,000:1 on zeros, so 4 KiB
 * inflate to 16 MiB at most. With 64 KiB chunks and the addon's decoding thread, 1 GiB of zeros
 * (263 KB of xz) reached 573 MiB RSS before the budget stopped it; now 83 MiB, for ~10% more time
 * on ordinary files (136 MB of text from a 29 MB xz: 4.8 s → 5.4 s).
 */
const XZ_INPUT_CHUNK = 4 * 1024;

/**
 * The decompressed bytes of an `.xz` input, streamed. Compressed bytes in and decompressed
 * bytes out are counted on `budget`; the stream errors with `ArchiveLimitError` when a limit
 * trips, or with liblzma's error on corrupt, truncated or too-memory-hungry data.
 */
export function unxz(input: ArchiveInput, budget: Budget): Readable {
  const decoder = lzmaNative().createDecompressor({ memlimit: XZ_MEMLIMIT, synchronous: true });
  const out = counter((n) => budget.produced(n));
  pipeline(
    openInput(input, XZ_INPUT_CHUNK),
    counter((n) => budget.consumed(n)),
    decoder,
    out,
    (err) => {
      if (err && !out.destroyed) out.destroy(err);
    },
  );
  return out;
}
