/**
 * `.xz` (sosreport's default `.tar.xz`) through @napi-rs/lzma, which decodes whole buffers only.
 * So before decoding, the decompressed size is read from the stream's index (xz file format
 * 1.0.4, §4 "Index": a list of records `unpadded size, uncompressed size`, multibyte integers),
 * and the buffer is decoded only when that size fits `limits.xzBytes`, the ratio and the total cap.
 *
 * Sample input (stream header, then the footer's last bytes):
 * ```text
 * fd 37 7a 58 5a 00 00 04 e6 d6 b4 46 …   … 06 72 9e 7a 10 00 00 00 00 04 59 5a
 * ```
 */
import { readFile } from "node:fs/promises";
import { xz } from "@napi-rs/lzma";
import type { ArchiveInput } from "./gzip.js";
import { ArchiveLimitError, type Budget } from "./limits.js";

/** Footer magic `YZ`. */
const FOOTER_MAGIC = [0x59, 0x5a];

/** The decompressed bytes of an `.xz` input; throws `ArchiveLimitError` (nothing decoded) or lzma's error. */
export async function unxz(input: ArchiveInput, budget: Budget): Promise<Buffer> {
  const limit = budget.limits.xzBytes;
  const data = "file" in input ? await readFile(input.file) : input.buffer;
  budget.consumed(data.length);
  const declared = declaredSize(data);
  if (declared === null) throw new Error("xz index unreadable — expected a complete .xz stream — received a truncated or corrupt file");
  if (declared > limit) {
    throw new ArchiveLimitError(`decompression not started: the .xz declares ${declared} bytes, more than the ${limit}-byte limit for .xz decoded in memory (extract it and point at the folder)`);
  }
  // Check the ratio and total cap against the declared size before allocating anything.
  budget.produced(declared);
  const out = await xz.decompress(data);
  if (out.length !== declared) budget.produced(Math.max(0, out.length - declared));
  return out;
}

/**
 * Sum of the uncompressed sizes in the indexes of every stream of `data` (streams may be
 * concatenated, with zero padding between them), or null when the structure is not intact.
 */
export function declaredSize(data: Uint8Array): number | null {
  let end = data.length;
  let total = 0;
  while (end > 0) {
    while (end >= 4 && data[end - 1] === 0 && data[end - 2] === 0 && data[end - 3] === 0 && data[end - 4] === 0) end -= 4;
    if (end < 24 || data[end - 2] !== FOOTER_MAGIC[0] || data[end - 1] !== FOOTER_MAGIC[1]) return null;
    const backwardSize = (readU32(data, end - 8) + 1) * 4;
    const indexStart = end - 12 - backwardSize;
    if (indexStart < 12 || data[indexStart] !== 0) return null;
    let pos = indexStart + 1;
    const count = readVarint(data, pos);
    if (!count) return null;
    pos = count.next;
    let blocks = 0;
    for (let i = 0; i < count.value; i++) {
      const unpadded = readVarint(data, pos);
      if (!unpadded) return null;
      const uncompressed = readVarint(data, unpadded.next);
      if (!uncompressed) return null;
      pos = uncompressed.next;
      blocks += Math.ceil(unpadded.value / 4) * 4;
      total += uncompressed.value;
    }
    end = indexStart - blocks - 12;
    if (end < 0) return null;
  }
  return total;
}

function readU32(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16)) + data[at + 3]! * 0x1000000;
}

// xz multibyte integer: 7 bits per byte, little-endian, high bit = more (at most 9 bytes).
function readVarint(data: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0; i < 9 && at + i < data.length; i++) {
    const b = data[at + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return null;
}
