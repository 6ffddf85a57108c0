/**
 * A minimal WebAssembly binary writer: just what `byte-kernels.ts` needs (one memory, functions
 * of i32 parameters, SIMD instructions), so its kernels can be written as readable instruction
 * lists instead of an opaque blob. Format: WebAssembly Core Specification 2.0, §5 "Binary Format"
 * (sections, LEB128 integers) and the fixed-width SIMD proposal's opcodes (prefix 0xfd), plus
 * relaxed SIMD's `i8x16.relaxed_swizzle` (0xfd 0x100; Core Specification 3.0).
 *
 * Sample use: `fn(["i32", "i32"], "i32", ["v128"], [op.localGet(0), op.localGet(1), op.i32Add])`.
 */

/** Value types (§5.3.1). */
const type = { i32: 0x7f, v128: 0x7b } as const;
type ValueType = keyof typeof type;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];
/** memarg: alignment exponent, then offset. */
const memarg = (align: number, offset = 0): number[] => [...uleb(align), ...uleb(offset)];

/** The instructions the kernels use, each as its encoded bytes. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Load8U: (offset = 0) => [0x2d, ...memarg(0, offset)],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  v128Load: (offset = 0) => simd(0x00, ...memarg(0, offset)),
  i8x16Shuffle: (lanes: number[]) => simd(0x0d, ...lanes),
  i8x16Swizzle: simd(0x0e),
  /** Relaxed SIMD (WebAssembly 3.0): a lane index above 15 gives an implementation's choice, not 0. */
  i8x16RelaxedSwizzle: simd(0x100),
  i8x16Splat: simd(0x0f),
  i32x4ExtractLane: (lane: number) => simd(0x1b, lane),
  i8x16Eq: simd(0x23),
  i8x16Ne: simd(0x24),
  v128And: simd(0x4e),
  v128AnyTrue: simd(0x53),
  i8x16Bitmask: simd(0x64),
  i8x16ShrU: simd(0x6d),
  i8x16Sub: simd(0x71),
  i16x8ExtaddPairwiseI8x16U: simd(0x7d),
  i32x4ExtaddPairwiseI16x8U: simd(0x7f),
  i32x4Add: simd(0xae),
} as const;

/** One function: parameter types, result type, extra locals, body (without the final `end`). */
export interface Func {
  params: ValueType[];
  result: ValueType;
  locals: ValueType[];
  body: (number[] | readonly number[])[];
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * A module with one exported memory (`memory`, `pages` × 64 KiB) and the given functions,
 * exported under their names. Returns the binary, ready for `new WebAssembly.Module`.
 */
export function moduleBytes(pages: number, funcs: Record<string, Func>): Uint8Array<ArrayBuffer> {
  const entries = Object.entries(funcs);
  const types = entries.map(([, f]) => [0x60, ...vec(f.params.map((p) => [type[p]])), ...vec([[type[f.result]]])]);
  const code = entries.map(([, f]) => {
    const locals = vec(f.locals.map((l) => [1, type[l]]));
    const body = [...locals, ...f.body.flat(), 0x0b];
    return [...uleb(body.length), ...body];
  });
  const exports = [[...name("memory"), 0x02, 0], ...entries.map(([n], i) => [...name(n), 0x00, ...uleb(i)])];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(3, vec(entries.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(code)),
  ]);
}
