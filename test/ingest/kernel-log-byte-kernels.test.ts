/**
 * The SIMD kernels of the kernel-log scan (`kernel-log/byte-kernels.ts`) against plain loops:
 * `count` counts every newline, and iterating `find` stops at exactly the positions where the
 * Teddy nibble test passes (each gram byte's low and high nibble both allowed by one bucket),
 * at every offset from a 16-byte block boundary, across blocks, and up to the end given, and
 * not where only a gram's first bytes are; with the plain swizzle and with relaxed SIMD's, which
 * every Node this project supports compiles (Node 20 behind a V8 flag that `relaxedSwizzle` sets).
 */
import { describe, expect, it } from "vitest";
import { ByteKernels, GRAM, relaxedSwizzle } from "../../src/ingest/kernel-log/byte-kernels.js";
import { BUCKETS } from "../../src/ingest/kernel-log/needles.js";

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

// The Teddy test at i, the slow way: some bucket allows every gram byte's low and high nibble.
function teddyAt(bytes: Uint8Array, i: number, buckets: readonly (readonly string[])[]): boolean {
  return buckets.some((grams) => {
    for (let k = 0; k < GRAM; k++) {
      const b = bytes[i + k]!;
      if (
        !grams.some((g) => (g.charCodeAt(k) & 15) === (b & 15)) ||
        !grams.some((g) => g.charCodeAt(k) >> 4 === b >> 4)
      )
        return false;
    }
    return true;
  });
}

describe("byte kernels", () => {
  it("relaxed SIMD's swizzle compiles on this Node", () => {
    expect(relaxedSwizzle()).toBe(true);
  });

  it.each([
    ["plain", false],
    ["relaxed", true],
  ])(
    "find (%s swizzle) stops at every position the nibble test passes, and count counts every newline",
    (_, relaxed) => {
      const size = 1 << 16;
      const k = new ByteKernels(size, BUCKETS, relaxed && relaxedSwizzle());
      const next = rng(5);
      const grams = BUCKETS.flat();
      const alphabet = Buffer.from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-:[]=\n\t.",
        "latin1",
      );
      for (let i = 0; i < size; i++) k.bytes[i] = alphabet[Math.floor(next() * alphabet.length)]!;
      // Grams planted at every offset from a block boundary, some straddling two blocks; every
      // other one without its last byte (find looks that byte up only where the first three match).
      for (let at = 5, n = 0; at + GRAM < size; at += 37 + Math.floor(next() * 40), n++) {
        const gram = grams[Math.floor(next() * grams.length)]!;
        k.bytes.write(n % 2 === 0 ? gram : gram.slice(0, GRAM - 1), at, "latin1");
      }
      for (const end of [size - GRAM, 4096 + 7, 17, 3]) {
        const expected: number[] = [];
        for (let i = 0; i + GRAM <= end; i++) if (teddyAt(k.bytes, i, BUCKETS)) expected.push(i);
        const found: number[] = [];
        for (let i = k.find(0, end); i < end; i = k.find(i + 1, end)) found.push(i);
        expect(
          found.filter((i) => i + GRAM <= end),
          `end ${end}`,
        ).toEqual(expected);
        expect(k.count(3, end), `end ${end}`).toBe(k.bytes.subarray(3, end).filter((b) => b === 0x0a).length);
      }
      expect(BUCKETS.length).toBeLessThanOrEqual(8);
    },
  );
});
