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

const REPO = fileURLToPath(new URL("../../", import.meta.url));

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
    for (const abs of walk(root))
      out.push({ name: `${label}/${relative(root, abs)}`, text: readFileSync(abs, "utf8") });
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
    throw new Error(
      `${ing.kind}.parse threw on ${path} (${text.length} chars): ${(err as Error)?.stack ?? String(err)}\ninput head: ${JSON.stringify(text.slice(0, 300))}`,
      { cause: err },
    );
  }
  checkFacts(ing, path, text, facts);
  return facts;
}

const FACT_FIELDS = [
  "pods",
  "events",
  "ooms",
  "clockAnchors",
  "memcgSnapshots",
  "pmaps",
  "series",
  "runtimeConfigs",
  "diagnostics",
] as const;

/** Number-valued keys that are byte quantities or kernel counters printed unsigned (`%lu`). */
const NON_NEGATIVE_KEYS = new Set(["failcnt", "rawPoints"]);

/** Keys whose value is a record of byte quantities. */
const BYTE_RECORDS = new Set(["bytes", "stat"]);

/**
 * Fails the test with `message()` unless `ok`. The invariants are checked on every value of
 * thousands of parses: a plain condition first, and the assertion (with its message) only on a
 * violation, since an `expect` per value was most of the suite's time.
 */
function check(ok: boolean, message: () => string): void {
  if (!ok) expect.unreachable(message());
}

/** The diagnostic codes an ingester may emit: `<kind>/<kebab-case>`. */
const codeOf = (kind: string): RegExp => new RegExp(`^${kind}/[a-z0-9]+(?:-[a-z0-9]+)*$`);

/** Codes that only our own bugs produce. */
const BUG_CODE = /\/(?:internal-error|read-failed)$/;

function checkFacts(ing: Ingester, path: string, text: string, facts: FactSet): void {
  const ctx = () => `${ing.kind} on ${path} (input head ${JSON.stringify(text.slice(0, 120))})`;
  check(typeof facts === "object" && facts !== null, () => `${ctx()}: parse resolved to ${typeof facts}`);
  for (const field of FACT_FIELDS) check(Array.isArray(facts[field]), () => `${ctx()}: ${field} is not an array`);
  const maxLine = lineCount(text);
  const code = codeOf(ing.kind);
  const lineOk = (n: number | undefined): boolean => n === undefined || (Number.isInteger(n) && n >= 1 && n <= maxLine);
  for (const d of facts.diagnostics) {
    check(d.at.file === path, () => `${ctx()}: diagnostic ${d.code} names another file (${d.at.file})`);
    check(lineOk(d.at.line), () => `${ctx()}: diagnostic ${d.code} at line ${d.at.line}, input has ${maxLine} lines`);
    check(
      code.test(d.code),
      () => `${ctx()}: diagnostic code ${JSON.stringify(d.code)} is not ${ing.kind}/<kebab-case>`,
    );
    check(!BUG_CODE.test(d.code), () => `${ctx()}: ${d.code}: ${d.message}`);
    check(d.message.length > 0, () => `${ctx()}: empty diagnostic message`);
    check(d.severity === "warning" || d.severity === "error", () => `${ctx()}: severity ${JSON.stringify(d.severity)}`);
  }
  const where = (at: (string | number)[]) =>
    `facts${at.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}`;
  walkValues(facts, [], (value, key, parent, at) => {
    if (typeof value === "number") {
      check(!Number.isNaN(value), () => `${ctx()}: NaN at ${where(at)}`);
      if (BYTES_KEY.test(key) || NON_NEGATIVE_KEYS.has(key) || BYTE_RECORDS.has(parent)) {
        check(
          Number.isFinite(value) && value >= 0,
          () => `${ctx()}: ${where(at)} = ${value} (bytes/counts must be finite and ≥ 0)`,
        );
      }
    } else if (isSourceRef(value)) {
      check(value.file === path, () => `${ctx()}: SourceRef at ${where(at)} names another file (${value.file})`);
      for (const k of ["line", "endLine"] as const)
        check(lineOk(value[k]), () => `${ctx()}: ${where(at)}.${k} = ${value[k]}, input has ${maxLine} lines`);
    }
  });
}

/** A key naming a byte quantity: `limitBytes`, `anonRssBytes`. */
const BYTES_KEY = /Bytes$/;

function isSourceRef(v: unknown): v is { file: string; line?: number; endLine?: number } {
  return (
    v !== null &&
    typeof v === "object" &&
    !Array.isArray(v) &&
    typeof (v as { file?: unknown }).file === "string" &&
    Object.keys(v).every((k) => k === "file" || k === "line" || k === "endLine")
  );
}

/**
 * Visits every value under `value` with its key (array items keep their array's key), its
 * parent's key, and its path of keys and indexes (the array is reused: read it during the visit).
 */
function walkValues(
  value: unknown,
  path: (string | number)[],
  visit: (value: unknown, key: string, parent: string, path: (string | number)[]) => void,
  key = "",
  parent = "",
): void {
  visit(value, key, parent, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkValues(value[i], path, visit, key, parent);
      path.pop();
    }
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      path.push(k);
      walkValues(v, path, visit, k, key);
      path.pop();
    }
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
