/**
 * Number and time formatting, below every stage: the only place that turns bytes into
 * "MiB"/"GiB", ratios into percentages, seconds into durations, epoch ms into the model's
 * ISO 8601 strings and those into the report's reading form. Rule reasons, advice and the
 * report all use it, so a number reads the same everywhere.
 *
 * Sizes use binary units (KiB = 1024 B), as the kernel and `kubectl` (`512Mi`) do:
 * `formatBytes(536870912)` → `"512 MiB"`, `formatBytes(2040109465)` → `"1.9 GiB"`,
 * `formatBytes(999)` → `"999 B"`.
 */

/** Binary unit names, index = power of 1024. */
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** What a missing value prints as in every table and sentence. */
export const UNKNOWN = "—";

/**
 * Formats a byte count in binary units.
 *
 * - below 1024: whole bytes (`999 B`);
 * - exact multiples print without decimals (`512 MiB`, `2 GiB`);
 * - otherwise one decimal (`1.9 GiB`, `2.0 GiB` for 2.03 GiB). A value just under a whole
 *   number is never rounded up to it (2143141888 B prints `1.99 GiB`, not `2.0 GiB`), so an
 *   anon-rss just under a 2 GiB limit never reads as equal to it.
 * - null, undefined, NaN or ±Infinity → `—`; negative values get a leading minus.
 *
 * @param n bytes
 */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  if (n < 0) return `-${formatBytes(-n)}`;
  if (n < 1024) return `${Math.round(n)} B`;
  let power = 0;
  while (power < UNITS.length - 1 && n >= 1024 ** (power + 1)) power++;
  const unit = UNITS[power];
  const value = n / 1024 ** power;
  if (Number.isInteger(value)) return `${value} ${unit}`;
  const oneDecimal = value.toFixed(1);
  if (Number(oneDecimal) > value && Number.isInteger(Number(oneDecimal))) {
    // 1.996 would print "2.0": show two decimals, truncated, so it stays visibly below 2.
    return `${(Math.floor(value * 100) / 100).toFixed(2)} ${unit}`;
  }
  return `${oneDecimal} ${unit}`;
}

/**
 * Formats a byte count with three significant digits, for computations whose inputs must be
 * readable exactly enough to redo them (`p99 working set 1.95 GiB × 1.5 = 2.93 GiB`):
 * `formatBytesPrecise(2093796556)` → `1.95 GiB`, `375809638` → `358 MiB`, `1062207488` → `1013 MiB`.
 * Whole values print without decimals; null and non-finite values print `—`.
 */
export function formatBytesPrecise(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNKNOWN;
  if (n < 0) return `-${formatBytesPrecise(-n)}`;
  if (n < 1024) return `${Math.round(n)} B`;
  let power = 0;
  while (power < UNITS.length - 1 && n >= 1024 ** (power + 1)) power++;
  const value = n / 1024 ** power;
  const decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(decimals))} ${UNITS[power]}`;
}

/**
 * The model's ISO 8601 UTC form of an epoch-ms time: `1781002937000` → `2026-06-09T11:02:17Z`
 * (milliseconds only when non-zero: `…17.250Z`); null for null and for a time outside the
 * ±8.64e15 ms a `Date` can hold.
 */
export function iso(ms: number | null): string | null {
  return ms === null || !(Math.abs(ms) <= 8.64e15) ? null : new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * Formats an instant for the report, given as ISO 8601 or as UTC epoch ms:
 * `2026-06-09T11:02:17Z` or `1781002937000` → `2026-06-09 11:02:17 UTC` (milliseconds kept only
 * when non-zero: `11:02:17.250 UTC`). null/undefined, and epoch ms outside what a `Date` holds,
 * → `—`. A string that is not a parseable date is returned unchanged (the caller escapes it like
 * any other text).
 */
export function formatTime(time: string | number | null | undefined): string {
  const text = typeof time === "number" ? iso(time) : time;
  if (text === null || text === undefined || text === "") return UNKNOWN;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return text;
  const d = new Date(ms).toISOString(); // 2026-06-09T11:02:17.000Z
  const date = d.slice(0, 10);
  const clock = d.slice(11, 19);
  const millis = d.slice(20, 23);
  return `${date} ${clock}${millis === "000" ? "" : `.${millis}`} UTC`;
}

/**
 * A span of two instants (UTC epoch ms) for the report, the date said once when both fall on it:
 * `2026-04-14 09:46:11–09:53:40 UTC`; across days `2026-04-14 23:58:00 UTC … 2026-04-15 00:02:00 UTC`.
 */
export function formatTimeRange(fromMs: number, toMs: number): string {
  const from = formatTime(fromMs);
  const to = formatTime(toMs);
  return from.slice(0, 10) === to.slice(0, 10) && from.endsWith(" UTC") && to.endsWith(" UTC")
    ? `${from.slice(0, -4)}–${to.slice(11)}`
    : `${from} … ${to}`;
}

/**
 * Formats seconds since boot (raw dmesg timestamps) when no wall clock is known:
 * `12345.678901` → `uptime 12345.679 s`. null/undefined/non-finite → `—`.
 */
export function formatUptime(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return UNKNOWN;
  return `uptime ${Number(sec.toFixed(3))} s`;
}

/**
 * Formats a ratio as a percentage with at most one decimal: `0.998` → `99.8%`,
 * `0.75` → `75%`. A ratio that rounds to 100% without reaching it prints `99.9%`,
 * so "just under the limit" never reads as "at the limit". Non-finite → `—`.
 */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return UNKNOWN;
  const pct = ratio * 100;
  let rounded = Math.round(pct * 10) / 10;
  if (rounded === 100 && pct < 100) rounded = 99.9;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/**
 * `part` as a percentage of `whole` (`percentOf(2143141888, 2147483648)` → `99.8%`),
 * or `—` when either is missing or `whole` is not positive.
 */
export function percentOf(part: number | null | undefined, whole: number | null | undefined): string {
  if (part === null || part === undefined || whole === null || whole === undefined || !(whole > 0)) return UNKNOWN;
  return formatPercent(part / whole);
}

/**
 * Formats a coefficient of determination (R², 0..1) with two decimals, truncated so a fit
 * never reads better than it is: `0.998` → `0.99`, `1` → `1.00`, `0.4567` → `0.45`.
 * Non-finite → `—`.
 */
export function formatR2(r2: number | null | undefined): string {
  if (r2 === null || r2 === undefined || !Number.isFinite(r2)) return UNKNOWN;
  return (Math.floor(r2 * 100) / 100).toFixed(2);
}

/** Seconds per unit, largest first, for {@link formatDuration}. */
const DURATION_UNITS: [number, string][] = [
  [86400, "d"],
  [3600, "h"],
  [60, "min"],
  [1, "s"],
];

/**
 * Formats a duration in seconds with its two largest units: `45` → `45 s`,
 * `750` → `12 min 30 s`, `21737` → `6 h 2 min`, `190800` → `2 d 5 h`. Rounds to whole
 * seconds; null/undefined/negative/non-finite → `—`.
 */
export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec) || sec < 0) return UNKNOWN;
  let rest = Math.round(sec);
  const parts: string[] = [];
  for (const [size, unit] of DURATION_UNITS) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / size);
    if (n > 0 || (parts.length === 0 && size === 1)) parts.push(`${n} ${unit}`);
    else if (parts.length === 1) break;
    rest -= n * size;
  }
  return parts.join(" ");
}

/**
 * Formats a growth rate given in bytes per second as MiB per minute, signed:
 * `58254.2` → `+3.33 MiB/min`, `-1747.6` → `−0.1 MiB/min`, `0` → `0 MiB/min`. Two decimals
 * below 10 MiB/min, one above; a slow non-zero rate keeps two significant digits
 * (`+0.0051 MiB/min`, about 7 MiB a day) instead of reading as zero. Non-finite → `—`.
 */
export function formatRate(bytesPerSec: number | null | undefined): string {
  if (bytesPerSec === null || bytesPerSec === undefined || !Number.isFinite(bytesPerSec)) return UNKNOWN;
  const perMin = (bytesPerSec * 60) / 1024 ** 2;
  if (perMin === 0) return "0 MiB/min";
  const abs = Math.abs(perMin);
  const digits = abs >= 10 ? abs.toFixed(1) : abs >= 0.01 ? abs.toFixed(2) : String(Number(abs.toPrecision(2)));
  return `${perMin > 0 ? "+" : "−"}${Number(digits)} MiB/min`;
}
