/**
 * Property tests: every ingester of the registry (`ingesters` in src/ingest/index.ts, iterated
 * so that new ones are covered without editing this file) on hostile input. The invariants
 * checked after every parse are in `invariants.ts`: terminate within a budget, never throw,
 * a FactSet of arrays, diagnostics naming the file and a line inside the input, no NaN and no
 * negative or infinite byte quantities.
 *
 * Inputs: arbitrary strings (every code point, lone surrogates included), arbitrary bytes read
 * as latin1, "line soup" (random sequences of real lines from every capture), every capture
 * truncated after each of its lines (exhaustive, not sampled) and in the middle of a line,
 * and mutations of the real captures the ingester recognises: shuffled lines, repeated
 * blocks, a giant line, digit runs replaced by huge/negative/overflowing numbers.
 *
 * The number of generated cases is in each test's name and its `numRuns`; seeds are fixed
 * per test (fast-check prints the seed and the shrunk counterexample on failure).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectIngester, ingesters } from "../../src/ingest/index.js";
import type { Ingester } from "../../src/ingest/types.js";
import { MAX_LINE_CHARS } from "../../src/ingest/source.js";
import { lineCount, loadCorpus, parseAndCheck, pathFor, type CorpusFile } from "./invariants.js";

const corpus = loadCorpus();
const allLines = corpus.flatMap((f) => f.text.split("\n")).filter((l) => l.trim() !== "");

/** Generated cases per ingester and property (kept small enough for < ~60 s on 2 cores). */
/** Per-test time limit: the exhaustive truncations of the kernel-log captures take ~15 s on 2 cores. */
const TIMEOUT_MS = 90_000;

const RUNS = { strings: 150, bytes: 150, soup: 150, shuffled: 40, repeated: 40, numbers: 60, giant: 4, midLineCut: 60 } as const;

/** The captures `ing` would be given by discover (name hint + content), else every capture. */
function capturesOf(ing: Ingester): CorpusFile[] {
  const own = corpus.filter((f) => detectIngester(f.text.slice(0, 8192), f.name)?.kind === ing.kind);
  return own.length > 0 ? own : corpus;
}

/** A small deterministic PRNG (mulberry32) so a generated seed drives shuffles and picks. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Out-of-range replacements for a digit run. */
const BAD_NUMBERS = [
  "99999999999999999999999999",
  "18446744073709551616",
  "9223372036854775808",
  "-9223372036854775809",
  "-1",
  "-0",
  "0",
  "4294967296",
  "1e309",
  "NaN",
  "Infinity",
  "9".repeat(400),
  "0x7fffffffffffffff",
];

function shuffleLines(text: string, seed: number): string {
  const lines = text.split("\n");
  const r = rng(seed);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return lines.join("\n");
}

function repeatBlock(text: string, seed: number, times: number): string {
  const lines = text.split("\n");
  const r = rng(seed);
  const a = Math.floor(r() * lines.length);
  const b = Math.min(lines.length, a + 1 + Math.floor(r() * 40));
  const block = lines.slice(a, b);
  const at = Math.floor(r() * (lines.length + 1));
  const repeated: string[] = [];
  for (let i = 0; i < times; i++) repeated.push(...block);
  return [...lines.slice(0, at), ...repeated, ...lines.slice(at)].join("\n");
}

function replaceNumbers(text: string, seed: number): string {
  const r = rng(seed);
  // Each digit run: kept (half the time) or replaced by an out-of-range number.
  return text.replace(/\d+/g, (run) => (r() < 0.5 ? run : BAD_NUMBERS[Math.floor(r() * BAD_NUMBERS.length)]!));
}

function giantLine(text: string, seed: number): string {
  const lines = text.split("\n");
  const r = rng(seed);
  const model = lines[Math.floor(r() * lines.length)] || "x";
  // Longer than MAX_LINE_CHARS so the source's line cut is exercised too.
  const giant = model.repeat(Math.ceil((MAX_LINE_CHARS + 4096) / Math.max(1, model.length)));
  const at = Math.floor(r() * (lines.length + 1));
  return [...lines.slice(0, at), giant, ...lines.slice(at)].join("\n");
}

const latin1 = fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes).toString("latin1"));
const soup = fc.array(fc.constantFrom(...allLines), { minLength: 1, maxLength: 120 }).map((ls) => ls.join("\n"));

describe.each(ingesters.map((ing) => [ing.kind, ing] as const))("ingester %s on hostile input", (kind, ing) => {
  const path = pathFor(kind);
  const own = capturesOf(ing);
  const fileIndex = fc.nat({ max: own.length - 1 });

  it(`sniff never throws and parse keeps the invariants on ${RUNS.strings} arbitrary strings (any code point)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 2000 }), async (text) => {
        expect(typeof ing.sniff(text, path)).toBe("boolean");
        await parseAndCheck(ing, path, text);
      }),
      { numRuns: RUNS.strings, seed: 4001 },
    );
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.bytes} arbitrary byte strings read as latin1`, async () => {
    await fc.assert(
      fc.asyncProperty(latin1, async (text) => {
        expect(typeof ing.sniff(text, path)).toBe("boolean");
        await parseAndCheck(ing, path, text);
      }),
      { numRuns: RUNS.bytes, seed: 4002 },
    );
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.soup} "line soups" of real lines from ${corpus.length} captures`, async () => {
    await fc.assert(
      fc.asyncProperty(soup, async (text) => {
        await parseAndCheck(ing, path, text);
      }),
      { numRuns: RUNS.soup, seed: 4003 },
    );
  }, TIMEOUT_MS);

  const truncations = own.reduce((n, f) => n + cutPoints(lineCount(f.text)).length, 0);
  it(`parse keeps the invariants on each of its ${own.length} captures truncated after every line of the first ${EVERY_LINE_UP_TO} and at ${SPACED_CUTS} spaced lines beyond (${truncations} cases)`, async () => {
    let cases = 0;
    for (const f of own) {
      const lines = f.text.split("\n");
      for (const i of cutPoints(lines.length)) {
        await parseAndCheck(ing, path, lines.slice(0, i).join("\n"));
        cases++;
      }
    }
    expect(cases).toBe(truncations);
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.midLineCut} of its captures cut at a random character`, async () => {
    await fc.assert(
      fc.asyncProperty(fileIndex, fc.double({ min: 0, max: 1, noNaN: true }), async (i, at) => {
        const text = own[i]!.text;
        await parseAndCheck(ing, path, text.slice(0, Math.floor(text.length * at)));
      }),
      { numRuns: RUNS.midLineCut, seed: 4004 },
    );
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.shuffled} of its captures with lines shuffled`, async () => {
    await fc.assert(
      fc.asyncProperty(fileIndex, fc.integer(), async (i, seed) => {
        await parseAndCheck(ing, path, shuffleLines(own[i]!.text, seed));
      }),
      { numRuns: RUNS.shuffled, seed: 4005 },
    );
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.repeated} of its captures with a block repeated up to 100 times`, async () => {
    await fc.assert(
      fc.asyncProperty(fileIndex, fc.integer(), fc.integer({ min: 2, max: 100 }), async (i, seed, times) => {
        await parseAndCheck(ing, path, repeatBlock(own[i]!.text, seed, times));
      }),
      { numRuns: RUNS.repeated, seed: 4006 },
    );
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.numbers} of its captures with digit runs replaced by huge, negative and overflowing numbers`, async () => {
    await fc.assert(
      fc.asyncProperty(fileIndex, fc.integer(), async (i, seed) => {
        await parseAndCheck(ing, path, replaceNumbers(own[i]!.text, seed));
      }),
      { numRuns: RUNS.numbers, seed: 4007 },
    );
  }, TIMEOUT_MS);

  it(`parse keeps the invariants on ${RUNS.giant} of its captures with a line over ${MAX_LINE_CHARS} characters inserted`, async () => {
    await fc.assert(
      fc.asyncProperty(fileIndex, fc.integer(), async (i, seed) => {
        await parseAndCheck(ing, path, giantLine(own[i]!.text, seed));
      }),
      { numRuns: RUNS.giant, seed: 4008 },
    );
  }, TIMEOUT_MS);

  it("reads something from its own captures (so the mutations above start from real input)", async () => {
    for (const f of own.slice(0, 3)) {
      const facts = await parseAndCheck(ing, path, f.text);
      const total = Object.entries(facts).reduce((n, [field, v]) => n + (field !== "diagnostics" && Array.isArray(v) ? v.length : 0), 0);
      if (own === corpus) continue; // an ingester with no capture of its own yet: nothing to require
      expect(total, `${kind} read no fact from ${f.name}`).toBeGreaterThan(0);
    }
  }, TIMEOUT_MS);
});

/** Every line is a cut point in the first lines of a capture; long captures (CSV exports) get spaced cuts beyond. */
const EVERY_LINE_UP_TO = 300;
const SPACED_CUTS = 100;

/** The line counts a capture of `n` lines is truncated to: 1..300, then 100 evenly spaced, and `n`. */
function cutPoints(n: number): number[] {
  const cuts = new Set<number>();
  for (let i = 1; i <= Math.min(n, EVERY_LINE_UP_TO); i++) cuts.add(i);
  for (let k = 1; k <= SPACED_CUTS && n > EVERY_LINE_UP_TO; k++) cuts.add(EVERY_LINE_UP_TO + Math.round(((n - EVERY_LINE_UP_TO) * k) / SPACED_CUTS));
  cuts.add(n);
  return [...cuts].sort((a, b) => a - b);
}
