/** The part of lzma-native 8 (no bundled types) that `src/archive/xz.ts` uses. */
declare module "lzma-native" {
  import type { Transform } from "node:stream";
  /**
   * A liblzma stream decoder as a Transform; `memlimit` (bytes) bounds the decoder's own
   * allocation; `synchronous` decodes in the calling thread (no worker thread decoding ahead).
   */
  export function createDecompressor(options?: { memlimit?: number; synchronous?: boolean }): Transform;
  /** A liblzma `.xz` encoder as a Transform (`preset` 0–9). */
  export function createCompressor(options?: { preset?: number }): Transform;
  const lzma: { createDecompressor: typeof createDecompressor; createCompressor: typeof createCompressor };
  export default lzma;
}
