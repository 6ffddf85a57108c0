/**
 * The hostile-input properties of every ingester of the registry (`ingesters` in
 * src/ingest/index.ts, iterated so that new ones are covered without editing this file), over
 * a corpus: `ingesters.test.ts` runs them on the repository's fixtures and samples (npm test),
 * `ingesters.shared.test.ts` on the real captures of ../shared/realworld (npm run test:shared).
 * The invariants checked after every parse are in `invariants.ts`: terminate within a budget,
 * never throw, no internal-error or read-failed diagnostic, a FactSet of arrays, diagnostics
 * naming the file and a line inside the input, no NaN and no negative or infinite byte quantities.
 *
 * Inputs: arbitrary strings (every code point, lone surrogates included), arbitrary bytes read
 * as latin1, "line soup" (random sequences of real lines from the corpus), captures truncated
 * after a random line and in the middle of a line, and mutations of the captures the ingester
 * recognises: shuffled lines, repeated blocks, a giant line, digit runs replaced by
 * huge/negative/overflowing numbers.
 *
 * Every property is sized by its case count (in the test's name and its `numRuns`) and seeded
 * (fast-check prints the seed and the shrunk counterexample on failure), so a run is reproducible.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectIngester, ingesters } from "../../src/ingest/index.js";
import type { Ingester } from "../../src/ingest/types.js";
import { MAX_LINE_CHARS } from "../../src/ingest/source.js";
import { lineCount, parseAndCheck, pathFor, type CorpusFile } from "./invariants.js";

/** Generated cases per ingester and property (0: the property is not declared for this corpus). */
interface Runs {
  strings: number;
  bytes: number;
  soup: number;
  truncated: number;
  midLineCut: number;
  shuffled: number;
  repeated: number;
  numbers: number;
  giant: number;
}

/**
 * Per-test time limit: generous (a slow, loaded machine), so a failure means a runaway parse,
 * not a busy CI box; the case counts keep each file well under a minute on 2 cores.
 */
const TIMEOUT_MS = 120_000;

/** The captures `ing` would be given by discover (name hint + content), else every capture. */
function capturesOf(ing: Ingester, corpus: CorpusFile[]): CorpusFile[] {
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

/** Any code point, lone surrogates included (one arbitrary for all: it builds a table of every code point). */
const anyString = fc.string({ unit: "binary", maxLength: 2000 });

const latin1 = fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes).toString("latin1"));

/**
 * Declares the properties of every registered ingester on `corpus` (named `label` in the test
 * names), `runs` cases each; `seed` offsets every property's fixed seed (one corpus, one seed).
 */
export function hostileInputSuite(label: string, corpus: CorpusFile[], runs: Runs, seed: number): void {
  const allLines = corpus.flatMap((f) => f.text.split("\n")).filter((l) => l.trim() !== "");
  const soup = fc.array(fc.constantFrom(...allLines), { minLength: 1, maxLength: 120 }).map((ls) => ls.join("\n"));
  it(`has a ${label} corpus to start from`, () => {
    expect(corpus.length).toBeGreaterThan(10);
  });
  describe.each(ingesters.map((ing) => [ing.kind, ing] as const))(
    `ingester %s on hostile input (${label})`,
    (kind, ing) => {
      suiteFor(kind, ing, corpus, soup, runs, seed);
    },
  );
}

function suiteFor(
  kind: string,
  ing: Ingester,
  corpus: CorpusFile[],
  soup: fc.Arbitrary<string>,
  RUNS: Runs,
  seed: number,
): void {
  const path = pathFor(kind);
  const own = capturesOf(ing, corpus);
  /** `it`, declared only when the property has cases to run. */
  const itWith = (cases: number): ((name: string, fn: () => Promise<void>, timeout: number) => void) =>
    cases > 0 ? it : () => undefined;
  const fileIndex = fc.nat({ max: own.length - 1 });
  const fileAndLine = fileIndex.chain((i) =>
    fc.tuple(fc.constant(i), fc.integer({ min: 1, max: lineCount(own[i]!.text) })),
  );

  itWith(RUNS.strings)(
    `sniff never throws and parse keeps the invariants on ${RUNS.strings} arbitrary strings (any code point)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(anyString, async (text) => {
          expect(typeof ing.sniff(text, path)).toBe("boolean");
          await parseAndCheck(ing, path, text);
        }),
        { numRuns: RUNS.strings, seed: seed + 1 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.bytes)(
    `parse keeps the invariants on ${RUNS.bytes} arbitrary byte strings read as latin1`,
    async () => {
      await fc.assert(
        fc.asyncProperty(latin1, async (text) => {
          expect(typeof ing.sniff(text, path)).toBe("boolean");
          await parseAndCheck(ing, path, text);
        }),
        { numRuns: RUNS.bytes, seed: seed + 2 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.soup)(
    `parse keeps the invariants on ${RUNS.soup} "line soups" of lines from ${corpus.length} captures`,
    async () => {
      await fc.assert(
        fc.asyncProperty(soup, async (text) => {
          await parseAndCheck(ing, path, text);
        }),
        { numRuns: RUNS.soup, seed: seed + 3 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.truncated)(
    `parse keeps the invariants on ${RUNS.truncated} of its ${own.length} captures truncated after a random line`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileAndLine, async ([i, n]) => {
          await parseAndCheck(ing, path, own[i]!.text.split("\n").slice(0, n).join("\n"));
        }),
        { numRuns: RUNS.truncated, seed: seed + 9 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.midLineCut)(
    `parse keeps the invariants on ${RUNS.midLineCut} of its captures cut at a random character`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileIndex, fc.double({ min: 0, max: 1, noNaN: true }), async (i, at) => {
          const text = own[i]!.text;
          await parseAndCheck(ing, path, text.slice(0, Math.floor(text.length * at)));
        }),
        { numRuns: RUNS.midLineCut, seed: seed + 4 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.shuffled)(
    `parse keeps the invariants on ${RUNS.shuffled} of its captures with lines shuffled`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileIndex, fc.integer(), async (i, mutation) => {
          await parseAndCheck(ing, path, shuffleLines(own[i]!.text, mutation));
        }),
        { numRuns: RUNS.shuffled, seed: seed + 5 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.repeated)(
    `parse keeps the invariants on ${RUNS.repeated} of its captures with a block repeated up to 100 times`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileIndex, fc.integer(), fc.integer({ min: 2, max: 100 }), async (i, mutation, times) => {
          await parseAndCheck(ing, path, repeatBlock(own[i]!.text, mutation, times));
        }),
        { numRuns: RUNS.repeated, seed: seed + 6 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.numbers)(
    `parse keeps the invariants on ${RUNS.numbers} of its captures with digit runs replaced by huge, negative and overflowing numbers`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileIndex, fc.integer(), async (i, mutation) => {
          await parseAndCheck(ing, path, replaceNumbers(own[i]!.text, mutation));
        }),
        { numRuns: RUNS.numbers, seed: seed + 7 },
      );
    },
    TIMEOUT_MS,
  );

  itWith(RUNS.giant)(
    `parse keeps the invariants on ${RUNS.giant} of its captures with a line over ${MAX_LINE_CHARS} characters inserted`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fileIndex, fc.integer(), async (i, mutation) => {
          await parseAndCheck(ing, path, giantLine(own[i]!.text, mutation));
        }),
        { numRuns: RUNS.giant, seed: seed + 8 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "reads something from its own captures (so the mutations above start from real input)",
    async () => {
      for (const f of own.slice(0, 3)) {
        const facts = await parseAndCheck(ing, f.name, f.text);
        const total = Object.entries(facts).reduce(
          (n, [field, v]) => n + (field !== "diagnostics" && Array.isArray(v) ? v.length : 0),
          0,
        );
        if (own === corpus) continue; // an ingester with no capture of its own yet: nothing to require
        expect(total, `${kind} read no fact from ${f.name}`).toBeGreaterThan(0);
      }
    },
    TIMEOUT_MS,
  );
}
