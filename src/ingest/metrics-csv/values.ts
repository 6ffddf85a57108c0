/**
 * Cells of a metrics CSV export: timestamps, values (raw or with a unit, as Grafana's
 * "formatted data" download prints them) and Prometheus series names with labels.
 *
 * Sample cells: `1718000000`, `1718000000000`, `2026-06-09T11:00:00Z`, `2026-06-09 11:00:00`
 * (Grafana "Download CSV", browser-local time), `1.9 GiB`, `512 MiB`, `500 MB`, `1.2e9`,
 * `container_memory_working_set_bytes{container="app", pod="worker-7b9"}`.
 */

/** A parsed time cell: epoch ms, and whether it carried no zone (read as UTC). */
export type TimeResult = { ms: number; local: boolean } | null;

/** A parsed value cell: the number (bytes when a byte unit was printed) and whether it had a byte unit. */
export type ValueResult = { ok: true; value: number; byteUnit: boolean } | { ok: false; empty: boolean };

/** Epoch seconds or milliseconds, possibly fractional: `1718000000`, `1718000000.123`, `1718000000000`. */
const EPOCH = /^\d{9,14}(?:\.\d+)?$/;

/** ISO 8601 with `T` or a blank, with or without zone: `2026-06-09T11:00:00.000Z`, `2026-06-09 11:00:00+02:00`. */
const ISO_TIME =
  /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;

/** A number with an optional unit: `1.9 GiB`, `512MiB`, `500 MB`, `1.2e9`, `1,234,567`, `2Gi`. */
const VALUE_WITH_UNIT = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)\s*([A-Z%/]*)$/i;

/** Cells that mean "no sample": Grafana `null`/`undefined`, netdata `null`, pandas `NaN`, `-`. */
const NO_SAMPLE = /^(?:null|undefined|nan|none|-|n\/a)?$/i;

/** A `/s` or `%` after a unit: `MiB/s`, `%`. */
const RATE_OR_PERCENT_SUFFIX = /(?:\/s|%)$/;

/** Thousands separators inside a number. */
const THOUSANDS = /,/g;

/** `metric{k="v", …}` as Prometheus and Grafana print a series: name, then the label block. */
const SERIES_NAME = /^([A-Z_:][\w:]*)?\s*\{(.*)\}$/i;

/** One `key="value"` pair inside a label block (Prometheus escapes `\"` and `\\`). */
const LABEL_PAIR = /\b([A-Z_]\w*)\s*=\s*"((?:[^"\\]|\\.)*)"/gi;

/** A bare Prometheus metric name: `container_memory_working_set_bytes` (with a `_` inside: see isBareMetric). */
const BARE_METRIC = /^[a-z_:][\d:_a-z]+$/;

/** A backslash escape inside a label value. */
const LABEL_ESCAPE = /\\(.)/g;

/** Byte units → multiplier (SI decimal, IEC binary, Kubernetes quantities). */
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  ki: 1024,
  mi: 1024 ** 2,
  gi: 1024 ** 3,
  ti: 1024 ** 4,
};

/**
 * Count and rate units Grafana prints after a number (`simpleCountUnit` in its value formats:
 * reqps `req/s`, ops `ops/s`, rps, wps, iops `io/s`, opm `ops/min`, rpm `req/min`, cps `c/s`),
 * scaled by `K`/`Mil`/`Bil`/`Tri` before the unit: `43.6 req/s`, `1.50 K req/s`. The value read is
 * the count (times the scale).
 */
const COUNT_UNITS = new Set([
  "req/s",
  "ops/s",
  "rps",
  "wps",
  "io/s",
  "iops",
  "ops/min",
  "req/min",
  "rpm",
  "c/s",
  "cps",
  "reads/s",
  "writes/s",
]);

/** A number, a Grafana scale word and a unit: `1.50 K req/s`, `2 Mil ops/s`. */
const SCALED_COUNT = /^([+-]?(?:\d+(?:\.\d+)?|\.\d+))\s+(K|Mil|Bil|Tri)\s+(\S+)$/i;

/** Unit-less scale suffixes Grafana's "short" unit prints: `1.2 K`, `3 Mil`. */
const SCALE_UNITS: Record<string, number> = { k: 1e3, m: 1e6, mil: 1e6, g: 1e9, bil: 1e9, tri: 1e12, "": 1 };

/**
 * Reads a time cell as epoch ms. Numbers below 1e11 are epoch seconds, above are ms. Times
 * without a zone are read as UTC and flagged `local` (the caller warns once). Null when unreadable.
 */
export function parseTime(cell: string): TimeResult {
  const text = cell.trim();
  const fast = plainIsoTime(text);
  if (fast !== null) return fast;
  if (EPOCH.test(text)) {
    const n = Number(text);
    return { ms: Math.round(n < 1e11 ? n * 1000 : n), local: false };
  }
  const m = ISO_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Math.round(Number(`0.${frac ?? "0"}`) * 1000),
  );
  if (!Number.isFinite(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23) return null;
  if (!zone || zone === "Z" || zone === "UTC") return { ms, local: !zone };
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return { ms: ms - sign * offsetMin * 60_000, local: false };
}

/**
 * Reads a value cell. Byte units (`KiB`, `MB`, `Gi`, …) convert to bytes; "short" scale
 * suffixes (`K`, `Mil`) multiply; a trailing `/s` or `%` is dropped; Grafana's count and rate
 * units (`43.6 req/s`, `1.50 K req/s`) give the count. Empty and `null` cells are
 * `{ok:false, empty:true}` (skipped quietly); anything else unreadable is `{ok:false, empty:false}`.
 */
export function parseValue(cell: string): ValueResult {
  const text = cell.trim();
  const plain = plainNumber(text);
  if (plain !== null) return { ok: true, value: plain, byteUnit: false };
  if (NO_SAMPLE.test(text)) return { ok: false, empty: true };
  const m = VALUE_WITH_UNIT.exec(text);
  if (!m) return scaledCount(text);
  const n = Number(m[1]!.replace(THOUSANDS, ""));
  if (!Number.isFinite(n)) return { ok: false, empty: false };
  if (COUNT_UNITS.has(m[2]!.toLowerCase())) return { ok: true, value: n, byteUnit: false };
  const unit = m[2]!.toLowerCase().replace(RATE_OR_PERCENT_SUFFIX, "");
  const bytes = BYTE_UNITS[unit];
  if (bytes !== undefined) return { ok: true, value: n * bytes, byteUnit: true };
  const scale = SCALE_UNITS[unit];
  if (scale !== undefined) return { ok: true, value: n * scale, byteUnit: false };
  return { ok: false, empty: false };
}

// `1.50 K req/s`: Grafana's scale word between the number and a count unit.
function scaledCount(text: string): ValueResult {
  const m = SCALED_COUNT.exec(text);
  if (!m || !COUNT_UNITS.has(m[3]!.toLowerCase())) return { ok: false, empty: false };
  return { ok: true, value: Number(m[1]) * SCALE_UNITS[m[2]!.toLowerCase()]!, byteUnit: false };
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const isDigit = (c: number): boolean => c >= DIGIT_0 && c <= DIGIT_9;

/**
 * The common cell read without a regex: `-?\d*\.?\d+` (`402653184`, `0.75`, `-3`), as
 * `VALUE_WITH_UNIT` reads it; null for anything else (which takes the general path).
 */
function plainNumber(text: string): number | null {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  let digitsAfterDot = -1;
  if (i === n) return null;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      if (digitsAfterDot >= 0) digitsAfterDot++;
    } else if (c === 46 /* . */ && digitsAfterDot < 0) digitsAfterDot = 0;
    else return null;
  }
  if (digitsAfterDot === 0) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

// `2026-06-09 11:00:00` (or `…T11:00:00`, optionally `Z`) as character classes: 9 a digit,
// anything else itself (`T` stands for `T` or a blank).
const ISO_SHAPE = "9999-99-99T99:99:99";

/** `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` or either with `Z`, read without a regex; else null. */
function plainIsoTime(text: string): TimeResult {
  const n = text.length;
  if (n !== 19 && !(n === 20 && text.charCodeAt(19) === 90 /* Z */)) return null;
  for (let i = 0; i < 19; i++) {
    const c = text.charCodeAt(i);
    const want = ISO_SHAPE.charCodeAt(i);
    if (want === 57 /* 9 */ ? !isDigit(c) : c !== want && !(i === 10 && c === 32)) return null;
  }
  const two = (at: number): number => (text.charCodeAt(at) - DIGIT_0) * 10 + text.charCodeAt(at + 1) - DIGIT_0;
  const y = two(0) * 100 + two(2);
  const mo = two(5);
  const d = two(8);
  const h = two(11);
  if (mo > 12 || d > 31 || h > 23) return null;
  // Date.UTC(y, mo - 1, d, h, mi, s) is the day's ms plus the time's (ECMA-262 MakeDate/MakeTime
  // are linear); the day is computed once per run of rows on the same date.
  const day = (y * 100 + mo) * 100 + d;
  if (day !== lastDay.key) lastDay = { key: day, ms: Date.UTC(y, mo - 1, d) };
  const ms = lastDay.ms + h * 3_600_000 + two(14) * 60_000 + two(17) * 1000;
  return { ms, local: n === 19 };
}

/** The last date `plainIsoTime` read (`yyyymmdd`) and its midnight in epoch ms. */
let lastDay = { key: -1, ms: 0 };

/** A series name split into its metric and labels: `m{a="1"}` → `{metric:"m", labels:{a:"1"}}`. */
export function parseSeriesName(name: string): { metric: string | null; labels: Record<string, string> } {
  const trimmed = name.trim();
  const m = SERIES_NAME.exec(trimmed);
  if (!m) return { metric: isBareMetric(trimmed) ? trimmed : null, labels: {} };
  const labels: Record<string, string> = {};
  for (const pair of m[2]!.matchAll(LABEL_PAIR)) labels[pair[1]!] = pair[2]!.replace(LABEL_ESCAPE, "$1");
  return { metric: m[1] ?? labels["__name__"] ?? null, labels };
}

/** Words in a series or file name that mean memory in bytes. */
const MEMORY_WORDS = /memory|bytes|rss|cache|working_?set|\bmem\b|heap/i;
/** Words that mean a per-second rate. */
const RATE_WORDS = /\b(?:i?rate|deriv)\(|per_?second|_rate\b|\/s\b|rps|qps|requests?\/|req\/s/i;
/** Restart counters (`kube_pod_container_status_restarts_total`). */
const RESTART_WORD = /restart/i;
/** Words that mean a count. */
const COUNT_WORDS = /restart|_count\b|oom_?kill|_total\b/i;

/** The unit a series' name implies: bytes for memory, per-second for rates, count for restarts/counters. */
export function unitOfName(name: string): "bytes" | "count" | "per-second" | "unknown" {
  if (RATE_WORDS.test(name)) return "per-second";
  if (RESTART_WORD.test(name)) return "count";
  if (MEMORY_WORDS.test(name)) return "bytes";
  if (COUNT_WORDS.test(name)) return "count";
  return "unknown";
}

/** A lower-case metric name with a `_` between its first and last character: `node_memory_MemAvailable` is not, `container_memory_rss` is. */
function isBareMetric(name: string): boolean {
  return BARE_METRIC.test(name) && name.slice(1, -1).includes("_");
}
