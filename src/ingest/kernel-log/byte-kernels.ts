/**
 * Two SIMD loops over raw bytes, in WebAssembly (built by `wasm.ts`), for scanning a gigabyte
 * kernel log at the speed of memory: `count` counts newlines (to keep line numbers exact over
 * skipped bytes) and `find` finds the next place where one of the 4-byte strings ("grams",
 * e.g. `oom-`, `mm: `) of up to eight buckets starts. `find` is the "Teddy" technique (Hyperscan):
 * each byte's low and high nibble index a 16-byte table of bucket bits, ANDed over the four
 * positions, 16 positions at a time; a bucket bit survives where one of its grams starts
 * (and, for a bucket of several grams, where a mix of their nibbles does: callers confirm). Both read the data region of one WebAssembly memory, which callers fill
 * through `bytes` (so a file is read straight into it, one reused buffer).
 *
 * The nibble lookups use relaxed SIMD's swizzle where the VM has it (`relaxedSwizzle`): a nibble is
 * a lane index of 0-15, for which it gives the same lanes as the plain swizzle, without the plain
 * one's out-of-range fix-up (x64: one saturating add per lookup). 256 MiB of the bench's logs in
 * memory, best of 5: journal 5.8 -> 6.9-7.4 GB/s, raw dmesg 3.8-4.1 -> 4.3-4.5 GB/s.
 *
 * Sample use: `const k = new ByteKernels(1 << 20, [["oom-"], ["mm: "]]); k.bytes.write("x oom-kill\n");
 * k.count(0, 11) === 1; k.find(0, 11) === 2`.
 */
import { setFlagsFromString } from "node:v8";
import { moduleBytes, op, type Func } from "./wasm.js";

/** Where the eight 16-byte nibble tables (two per gram byte) sit in memory; the data region follows. */
const TABLES = 0;
const DATA = 128;
/** Bytes readable past the data region (`find` loads 16 bytes at offsets up to +GRAM-1). */
const SLACK = 32;
const PAGE = 65536;

// count(p, end): newlines in [p, end). 16 bytes at a time, per-lane counts in an i8x16 that is
// widened into i32 lanes every 255 blocks (before a lane could overflow), then a byte-wise tail.
const COUNT: Func = {
  params: ["i32", "i32"],
  result: "i32",
  locals: ["v128", "v128", "v128", "i32", "i32"],
  // locals: 0 p, 1 end, 2 acc (i8x16), 3 total (i32x4), 4 splat('\n'), 5 blocks left, 6 n
  body: [
    op.i32Const(10),
    op.i8x16Splat,
    op.localSet(4),
    op.loop,
    op.i32Const(255),
    op.localSet(5),
    op.block,
    op.loop,
    op.localGet(0),
    op.i32Const(16),
    op.i32Add,
    op.localGet(1),
    op.i32GtU,
    op.brIf(1),
    op.localGet(2),
    op.localGet(0),
    op.v128Load(),
    op.localGet(4),
    op.i8x16Eq,
    op.i8x16Sub,
    op.localSet(2),
    op.localGet(0),
    op.i32Const(16),
    op.i32Add,
    op.localSet(0),
    op.localGet(5),
    op.i32Const(1),
    op.i32Sub,
    op.localTee(5),
    op.brIf(0),
    op.end,
    op.end,
    op.localGet(3),
    op.localGet(2),
    op.i16x8ExtaddPairwiseI8x16U,
    op.i32x4ExtaddPairwiseI16x8U,
    op.i32x4Add,
    op.localSet(3),
    op.i32Const(0),
    op.i8x16Splat,
    op.localSet(2),
    op.localGet(0),
    op.i32Const(16),
    op.i32Add,
    op.localGet(1),
    op.i32GtU,
    op.i32Eqz,
    op.brIf(0),
    op.end,
    op.localGet(3),
    op.i32x4ExtractLane(0),
    op.localGet(3),
    op.i32x4ExtractLane(1),
    op.i32Add,
    op.localGet(3),
    op.i32x4ExtractLane(2),
    op.i32Add,
    op.localGet(3),
    op.i32x4ExtractLane(3),
    op.i32Add,
    op.localSet(6),
    op.block,
    op.loop,
    op.localGet(0),
    op.localGet(1),
    op.i32GeU,
    op.brIf(1),
    op.localGet(6),
    op.localGet(0),
    op.i32Load8U(),
    op.i32Const(10),
    op.i32Eq,
    op.i32Add,
    op.localSet(6),
    op.localGet(0),
    op.i32Const(1),
    op.i32Add,
    op.localSet(0),
    op.br(0),
    op.end,
    op.end,
    op.localGet(6),
  ],
};

/** Bytes in a gram: each bucket holds strings of this many bytes. */
export const GRAM = 4;

// Locals of FIND: 0 p, 1 end, then the low/high nibble tables of each gram byte, the low and
// high nibbles of the block at p and of the one after it, the match, and splat(15).
const TABLE_LOCAL = 2;
const LO0 = TABLE_LOCAL + 2 * GRAM;
const HI0 = LO0 + 1;
const LO1 = LO0 + 2;
const HI1 = LO0 + 3;
const MATCH = LO0 + 4;
const SPLAT15 = LO0 + 5;

// The nibbles of bytes p+k … p+k+15, from those of the block at p and the next (k in 1..3).
const ahead = (k: number, cur: number, next: number): number[][] => [
  op.localGet(cur),
  op.localGet(next),
  op.i8x16Shuffle(Array.from({ length: 16 }, (_, j) => j + k)),
];

// Bucket bits of gram byte k at each of the 16 positions: lowTable[low nibble] & highTable[high nibble].
const nibbleMatch = (k: number, swizzle: readonly number[]): (readonly number[])[] => [
  op.localGet(TABLE_LOCAL + 2 * k),
  ...(k === 0 ? [op.localGet(LO0)] : ahead(k, LO0, LO1)),
  swizzle,
  op.localGet(TABLE_LOCAL + 2 * k + 1),
  ...(k === 0 ? [op.localGet(HI0)] : ahead(k, HI0, HI1)),
  swizzle,
  op.v128And,
];

// Splits the 16 bytes loaded at p+offset into low and high nibbles.
const nibbles = (offset: number, lo: number, hi: number): number[][] => [
  op.localGet(0),
  op.v128Load(offset),
  op.localTee(hi),
  op.localGet(SPLAT15),
  op.v128And,
  op.localSet(lo),
  op.localGet(hi),
  op.i32Const(4),
  op.i8x16ShrU,
  op.localSet(hi),
];

// find(p, end): the first i >= p where a gram starts (may be >= end when the block that
// holds it straddles end), else end. Each block's bytes are loaded and split into nibbles once;
// the grams' later bytes come from shuffles of this block's nibbles and the next one's. A gram's
// last byte is looked up only in a block where its first three match somewhere: on the bench's
// journal and syslog 20% less time (4.7 -> 5.7 GB/s), on raw dmesg 8%; looking up the last two
// lazily was 1.6x slower (two-byte prefixes match in most blocks, and the branch mispredicts).
const findFunc = (swizzle: readonly number[]): Func => ({
  params: ["i32", "i32"],
  result: "i32",
  locals: Array.from({ length: SPLAT15 - 1 }, () => "v128" as const),
  body: [
    ...Array.from({ length: 2 * GRAM }, (_, t) => [
      op.i32Const(TABLES),
      op.v128Load(t * 16),
      op.localSet(TABLE_LOCAL + t),
    ]).flat(),
    op.i32Const(15),
    op.i8x16Splat,
    op.localSet(SPLAT15),
    ...nibbles(0, LO0, HI0),
    op.block,
    op.loop,
    op.localGet(0),
    op.localGet(1),
    op.i32GeU,
    op.brIf(1),
    ...nibbles(16, LO1, HI1),
    ...nibbleMatch(0, swizzle),
    ...Array.from({ length: GRAM - 2 }, (_, k) => [...nibbleMatch(k + 1, swizzle), op.v128And]).flat(),
    op.localTee(MATCH),
    op.v128AnyTrue,
    op.if,
    op.localGet(MATCH),
    ...nibbleMatch(GRAM - 1, swizzle),
    op.v128And,
    op.localTee(MATCH),
    op.v128AnyTrue,
    op.if,
    op.localGet(MATCH),
    op.i32Const(0),
    op.i8x16Splat,
    op.i8x16Ne,
    op.i8x16Bitmask,
    op.i32Ctz,
    op.localGet(0),
    op.i32Add,
    op.return,
    op.end,
    op.end,
    op.localGet(LO1),
    op.localSet(LO0),
    op.localGet(HI1),
    op.localSet(HI0),
    op.localGet(0),
    op.i32Const(16),
    op.i32Add,
    op.localSet(0),
    op.br(0),
    op.end,
    op.end,
    op.localGet(1),
  ],
});

/**
 * V8's flag for relaxed SIMD where it is not on by default (Node 20's V8 11.3; Node 22's ships it).
 * @public for scripts/code-cache.mjs (through dist/), which puts it back before saving the code cache
 */
export const RELAXED_SIMD_FLAG = "--experimental-wasm-relaxed-simd";

let relaxed: boolean | undefined;

/**
 * True when this VM compiles `i8x16.relaxed_swizzle`, after turning on `RELAXED_SIMD_FLAG` if it
 * must (once per thread; the flag is the process's). First asked when the scan makes its kernels,
 * after the launcher's early helper has started; a helper the scan starts itself (a log not named
 * on the command line) starts after the flag, ~40 ms slower (`tiering.ts`), as every helper did
 * before the flags moved out of the launcher.
 * @internal exported for its tests (not the public API)
 */
export function relaxedSwizzle(): boolean {
  if (relaxed === undefined) {
    const probe = moduleBytes(1, {
      probe: {
        params: [],
        result: "i32",
        locals: ["v128"],
        body: [op.localGet(0), op.localGet(0), op.i8x16RelaxedSwizzle, op.v128AnyTrue],
      },
    });
    if (!WebAssembly.validate(probe)) setFlagsFromString(RELAXED_SIMD_FLAG);
    relaxed = WebAssembly.validate(probe);
  }
  return relaxed;
}

/**
 * The compiled kernels by memory size in pages (the size is part of the module) and swizzle: the
 * scan, the quotes reader and the scan's helper thread each ask for their own.
 */
const compiled = new Map<string, WebAssembly.Module>();

/** Newline counting and gram search over one reusable buffer of `capacity` bytes. */
export class ByteKernels {
  /** The data region: fill it, then scan offsets within it. */
  readonly bytes: Buffer;
  private readonly countAt: (p: number, end: number) => number;
  private readonly findAt: (p: number, end: number) => number;

  /**
   * Throws when WebAssembly SIMD is unavailable (callers fall back to decoding every line).
   * `relaxed`: whether `find` uses relaxed SIMD's swizzle (default: where the VM has it; tests ask for each).
   */
  constructor(capacity: number, buckets: readonly (readonly string[])[], relaxed = relaxedSwizzle()) {
    if (buckets.length > 8 || buckets.flat().some((t) => t.length !== GRAM))
      throw new Error(`ByteKernels: at most 8 buckets of ${GRAM}-byte grams`);
    const pages = Math.ceil((DATA + capacity + SLACK) / PAGE);
    const key = `${pages} ${relaxed}`;
    let module = compiled.get(key);
    if (!module) {
      const swizzle = relaxed ? op.i8x16RelaxedSwizzle : op.i8x16Swizzle;
      module = new WebAssembly.Module(moduleBytes(pages, { count: COUNT, find: findFunc(swizzle) }));
      compiled.set(key, module);
    }
    const instance = new WebAssembly.Instance(module, {});
    const memory = instance.exports["memory"] as WebAssembly.Memory;
    const count = instance.exports["count"] as (p: number, end: number) => number;
    const find = instance.exports["find"] as (p: number, end: number) => number;
    this.countAt = (p, end) => count(DATA + p, DATA + end);
    this.findAt = (p, end) => find(DATA + p, DATA + end) - DATA;
    const tables = new Uint8Array(memory.buffer, TABLES, 32 * GRAM);
    buckets.forEach((grams, bucket) => {
      for (const t of grams) {
        for (let k = 0; k < GRAM; k++) {
          const c = t.charCodeAt(k);
          tables[k * 32 + (c & 15)]! |= 1 << bucket;
          tables[k * 32 + 16 + (c >> 4)]! |= 1 << bucket;
        }
      }
    });
    this.bytes = Buffer.from(memory.buffer, DATA, capacity);
  }

  /** Newlines in `bytes[start, end)`. */
  count(start: number, end: number): number {
    return end > start ? this.countAt(start, end) : 0;
  }

  /** Where the first gram at or after `start` begins, or `end` when none begins before `end`. */
  find(start: number, end: number): number {
    if (start >= end) return end;
    return Math.min(this.findAt(start, end), end);
  }
}
