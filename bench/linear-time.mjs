#!/usr/bin/env node
/**
 * `node bench/linear-time.mjs` (after `npm run build`): linear-time matching on adversarial lines
 * (issue 10), measured here and not in a timed test. Each ingester of the registry reads a real
 * capture of its kind (test/fixtures, samples) with a payload appended to a few of its lines, and
 * the redactor reads the payload after secret-looking prefixes. Payloads repeat units built from
 * the regexes' alphabets (digits, letters, spaces, brackets, `0:00:`, `a=`, quotes, braces, `#`,
 * `-a.`, `/a`, `@`, `kB `) up to SMALL and LARGE characters.
 *
 * Reported per ingester: the worst unit's growth, time(LARGE) ÷ time(SMALL), best of --repeat
 * runs each (linear work gives ×10, quadratic ×100), and its time at LARGE as a ratio to the floor
 * measured in the same run: the same ingester on the same capture with a plain `a…` payload of
 * LARGE characters. Exits 1 when a growth passes --max-growth (default 30), so it can gate CI.
 *
 * Options: --small 10000, --large 100000, --repeat 3, --max-growth 30, --only kernel-log,pmap.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const SMALL = Number(opt("small", "10000"));
const LARGE = Number(opt("large", "100000"));
const REPEAT = Number(opt("repeat", "3"));
const MAX_GROWTH = Number(opt("max-growth", "30"));
const ONLY = (opt("only", "") || "").split(",").filter(Boolean);
/** Times below this are timer noise: the SMALL run counts as at least this long. */
const FLOOR_MS = 3;

const { detectIngester, ingesters } = await import(join(ROOT, "dist/ingest/index.js"));
const { sourceFromString } = await import(join(ROOT, "dist/ingest/source.js"));
const { redactText } = await import(join(ROOT, "dist/util/redact.js"));

/** Repeating units built from the regexes' alphabets (what backtracking regexes choke on). */
const UNITS = [
  " ",
  "0",
  "a",
  "A",
  "[",
  "0:00:",
  "a:",
  "a=",
  "-a.",
  "\t",
  "{a}",
  "#",
  "a ",
  "x(",
  '"a\\"',
  "a@b.",
  "/a",
  "anon:",
  "kB ",
  ") ",
  ",task=",
  " from ",
  "(lasts",
  "-jdk",
];
const fill = (unit, n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const abs = join(dir, name);
    if (statSync(abs).isDirectory()) yield* walk(abs);
    else yield abs;
  }
}

/** Best of REPEAT runs of `run`, in ms. */
async function best(run) {
  let min = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await run();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const corpus = [...walk(join(ROOT, "test/fixtures")), ...walk(join(ROOT, "samples"))].map((abs) => ({
  abs,
  text: readFileSync(abs, "utf8"),
}));
const rows = [];
let failed = false;

for (const ing of ingesters) {
  if (ONLY.length > 0 && !ONLY.includes(ing.kind)) continue;
  const capture = corpus.find((f) => detectIngester(f.text.slice(0, 8192), f.abs)?.kind === ing.kind);
  if (!capture) {
    rows.push([ing.kind, "no capture of this kind in test/fixtures or samples", "", ""]);
    continue;
  }
  const lines = capture.text.split("\n").slice(0, 40);
  // The payload goes after a few real lines, so it meets the regexes of those lines' kinds.
  const text = (payload) => lines.map((l, i) => (i % 8 === 3 ? `${l}${payload}` : l)).join("\n");
  const parse = (t) => ing.parse(sourceFromString(`bundle/${ing.kind}.txt`, t));
  const floor = await best(() => parse(text(fill("a", LARGE))));
  let worst = { unit: "", growth: 0, large: 0 };
  for (const unit of UNITS) {
    const tSmall = await best(() => parse(text(fill(unit, SMALL))));
    const tLarge = await best(() => parse(text(fill(unit, LARGE))));
    const growth = tLarge / Math.max(tSmall, FLOOR_MS);
    if (growth > worst.growth) worst = { unit, growth, large: tLarge };
  }
  if (worst.growth > MAX_GROWTH) failed = true;
  rows.push([
    ing.kind,
    `${JSON.stringify(worst.unit)} ×${worst.growth.toFixed(1)}`,
    `${(worst.large / Math.max(floor, FLOOR_MS)).toFixed(1)}×`,
    `${worst.large.toFixed(0)} ms`,
  ]);
}

if (ONLY.length === 0 || ONLY.includes("redact")) {
  const prefixes = [
    "",
    "DB_PASSWORD=",
    "--password ",
    "postgres://u:",
    "-----BEGIN RSA PRIVATE KEY-----",
    "Bearer ",
    "ghp_",
    "eyJ",
    '{"name":"TOKEN","value":"',
  ];
  let salt = 0;
  // A new string on every run: redaction is memoised per distinct string.
  const floor = await best(() => redactText(`${fill("a", LARGE)}${salt++}`));
  let worst = { unit: "", growth: 0, large: 0 };
  for (const prefix of prefixes) {
    for (const unit of UNITS) {
      const tSmall = await best(() => redactText(`${prefix}${fill(unit, SMALL)}${salt++}`));
      const tLarge = await best(() => redactText(`${prefix}${fill(unit, LARGE)}${salt++}`));
      const growth = tLarge / Math.max(tSmall, FLOOR_MS);
      if (growth > worst.growth) worst = { unit: prefix + unit, growth, large: tLarge };
    }
  }
  if (worst.growth > MAX_GROWTH) failed = true;
  rows.push([
    "redactText",
    `${JSON.stringify(worst.unit)} ×${worst.growth.toFixed(1)}`,
    `${(worst.large / Math.max(floor, FLOOR_MS)).toFixed(1)}×`,
    `${worst.large.toFixed(0)} ms`,
  ]);
}

console.log(
  `| reader | worst payload: growth ${SMALL} → ${LARGE} chars (best of ${REPEAT}) | at ${LARGE}: ÷ plain payload | at ${LARGE} |`,
);
console.log("|---|---|---:|---:|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
if (failed) {
  console.error(`linear-time: a growth over ×${MAX_GROWTH} (quadratic work gives ×${(LARGE / SMALL) ** 2})`);
  process.exit(1);
}
