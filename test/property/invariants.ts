/**
 * Shared pieces of the property suite: a corpus loader (`test/fixtures/` and `samples/` for
 * `npm test`, `../shared/realworld/` for `npm run test:shared`), a parse wrapper, and the
 * invariants every ingester must keep on ANY input:
 *
 * - `parse` resolves (never throws, never rejects); a runaway parse is caught by vitest's
 *   hang guard (testTimeout), and speed is measured by `npm run bench` and
 *   `npm run bench:linear`, never by a timed assertion;
 * - no diagnostic is `<kind>/internal-error` or `<kind>/read-failed` (a bug, not bad input);
 * - the result is a FactSet whose nine fields are arrays;
 * - every diagnostic names the file (`at.file === source.path`) and, when `at.line` is set,
 *   a 1-based integer line within the input's line count; its code is `<kind>/<kebab-case>`;
 * - every SourceRef found anywhere in the facts obeys the same file/line rule;
 * - no number anywhere in the facts is NaN; byte quantities (`…Bytes`, `bytes`/`stat`
 *   records, memcg counters) are finite and ≥ 0, and so is the unsigned `failcnt`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { FactSet } from "../../src/model/facts.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { Ingester } from "../../src/ingest/types.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** One real capture or fixture, as text. */
export interface CorpusFile {
  /** `realworld/…`, `fixtures/…`, `samples/…` (for messages). */
  name: string;
  text: string;
}

const NOT_CAPTURES = new Set(["PROVENANCE.md", "cases.json", "README.md"]);

function walk(dir: string): string[] {
  let out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const abs = join(dir, entry);
    if (statSync(abs).isDirectory()) out = out.concat(walk(abs));
    else if (!NOT_CAPTURES.has(entry)) out.push(abs);
  }
  return out;
}

/** The roots of `npm test`'s corpus: every fixture and sample artifact in the repository. */
export const REPO_CORPUS: [string, string][] = [
  [join(REPO, "test/fixtures"), "fixtures"],
  [join(REPO, "samples"), "samples"],
];

/** Every file under the given `[directory, label]` roots present now (new ones are picked up). */
export function loadCorpus(roots: [string, string][]): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const [root, label] of roots) {
    for (const abs of walk(root)) out.push({ name: `${label}/${relative(root, abs)}`, text: readFileSync(abs, "utf8") });
  }
  return out;
}

/** The number of lines `lines()` can yield for `text` (an upper bound: every `\n` plus the tail). */
export function lineCount(text: string): number {
  return text.split("\n").length;
}

/** Runs `ing.parse` on `text` as file `path` and checks every invariant of the file header. */
export async function parseAndCheck(ing: Ingester, path: string, text: string): Promise<FactSet> {
  let facts: FactSet;
  try {
    facts = await ing.parse(sourceFromString(path, text));
  } catch (err) {
    throw new Error(`${ing.kind}.parse threw on ${path} (${text.length} chars): ${(err as Error)?.stack ?? String(err)}\ninput head: ${JSON.stringify(text.slice(0, 300))}`, { cause: err });
  }
  checkFacts(ing, path, text, facts);
  return facts;
}

const FACT_FIELDS = ["pods", "events", "ooms", "clockAnchors", "memcgSnapshots", "pmaps", "series", "runtimeConfigs", "diagnostics"] as const;

/** Number-valued keys that are byte quantities or kernel counters printed unsigned (`%lu`). */
const NON_NEGATIVE_KEYS = new Set(["failcnt", "rawPoints"]);

/** Keys whose value is a record of byte quantities. */
const BYTE_RECORDS = new Set(["bytes", "stat"]);

function checkFacts(ing: Ingester, path: string, text: string, facts: FactSet): void {
  const ctx = `${ing.kind} on ${path} (input head ${JSON.stringify(text.slice(0, 120))})`;
  expect(facts, ctx).toBeTypeOf("object");
  for (const field of FACT_FIELDS) expect(Array.isArray(facts[field]), `${ctx}: ${field} is not an array`).toBe(true);
  const maxLine = lineCount(text);
  for (const d of facts.diagnostics) {
    expect(d.at.file, `${ctx}: diagnostic ${d.code} names another file`).toBe(path);
    if (d.at.line !== undefined) {
      expect(Number.isInteger(d.at.line) && d.at.line >= 1 && d.at.line <= maxLine, `${ctx}: diagnostic ${d.code} at line ${d.at.line}, input has ${maxLine} lines`).toBe(true);
    }
    expect(d.code, ctx).toMatch(new RegExp(`^${ing.kind}/[a-z0-9]+(?:-[a-z0-9]+)*$`));
    expect(d.code, `${ctx}: ${d.message}`).not.toMatch(/\/(?:internal-error|read-failed)$/);
    expect(d.message.length, `${ctx}: empty diagnostic message`).toBeGreaterThan(0);
    expect(["warning", "error"], ctx).toContain(d.severity);
  }
  walkValues(facts, "facts", (value, key, where) => {
    if (typeof value === "number") {
      expect(Number.isNaN(value), `${ctx}: NaN at ${where}`).toBe(false);
      if (/Bytes$/.test(key) || NON_NEGATIVE_KEYS.has(key) || BYTE_RECORDS.has(parentKey(where))) {
        expect(Number.isFinite(value) && value >= 0, `${ctx}: ${where} = ${value} (bytes/counts must be finite and ≥ 0)`).toBe(true);
      }
    } else if (isSourceRef(value)) {
      expect(value.file, `${ctx}: SourceRef at ${where} names another file`).toBe(path);
      for (const k of ["line", "endLine"] as const) {
        const n = value[k];
        if (n !== undefined) expect(Number.isInteger(n) && n >= 1 && n <= maxLine, `${ctx}: ${where}.${k} = ${n}, input has ${maxLine} lines`).toBe(true);
      }
    }
  });
}


function parentKey(where: string): string {
  const parts = where.split(".");
  return parts.length >= 2 ? parts[parts.length - 2]! : "";
}

function isSourceRef(v: unknown): v is { file: string; line?: number; endLine?: number } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as { file?: unknown }).file === "string" && Object.keys(v).every((k) => k === "file" || k === "line" || k === "endLine");
}

function walkValues(value: unknown, where: string, visit: (value: unknown, key: string, where: string) => void, key = ""): void {
  visit(value, key, where);
  if (Array.isArray(value)) value.forEach((v, i) => walkValues(v, `${where}[${i}]`, visit, key));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkValues(v, `${where}.${k}`, visit, k);
  }
}

/** A file name the ingester would plausibly be given (content decides; the name is only a hint). */
export function pathFor(kind: string): string {
  const names: Record<string, string> = {
    "pod-json": "pod.json",
    "kubectl-describe": "describe-pod.txt",
    pmap: "pmap-x.txt",
    "memory-stat": "memory.stat",
    "kernel-log": "dmesg.txt",
    "metrics-csv": "metrics.csv",
    "runtime-config": "java-flags.txt",
  };
  return `bundle/${names[kind] ?? `${kind}.txt`}`;
}
