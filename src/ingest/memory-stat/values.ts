/**
 * Values of cgroup memory files: unsigned decimal counts (bytes for sizes, as both
 * `cgroup-v2.rst` and `cgroup-v1/memory.rst` document for memory.stat), `max` for "no limit",
 * and PSI lines (`Documentation/accounting/psi.rst`).
 *
 * Sample values: `7502163968`, `1,234,567` (hand-formatted paste), `max`,
 * `some avg10=0.00 avg60=0.00 avg300=0.00 total=0`.
 */
import type { PsiLine } from "../../model/facts.js";

/** A count read from the file: its value, or why it could not be read. */
type CountResult = { ok: true; value: number; imprecise: boolean } | { ok: false; reason: string };

/** seq_printf("%llu") output: `7502163968`. */
const PLAIN_COUNT = /^\d+$/;

/** The same with thousands separators, as pasted from a spreadsheet or `printf "%'d"`: `1,234,567`. */
const GROUPED_COUNT = /^\d{1,3}(?:,\d{3})+$/;

/**
 * A timestamp line pasted between dumps: coreutils `date` (`Tue Jun  9 11:01:17 UTC 2026`),
 * `date -R` (`Tue, 09 Jun 2026 11:01:17 +0000`) or ISO 8601 (`2026-06-09T11:01:17Z`, `date -Is`).
 */
export const DATE_LINE =
  /^(?:[A-Z][a-z]{2},? +(?:[A-Z][a-z]{2} +\d{1,2}|\d{1,2} +[A-Z][a-z]{2}) +(?:\d{4} +)?\d{2}:\d{2}:\d{2}(?: +(?:[A-Z]{2,5}|[+-]\d{4}))?(?: +\d{4})?|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5}))?)$/;

/** Thousands separator inside a grouped count. */
const THOUSANDS_SEPARATOR = /,/g;

/** Blanks between PSI fields. */
const BLANKS = /\s+/;

/** A PSI `key=value` field: `avg10=0.00`, `total=123456` (psi.c `psi_show()`: "%s avg10=%lu.%02lu … total=%llu"). */
const PSI_FIELD = /^(avg10|avg60|avg300|total)=(\d+(?:\.\d+)?)$/;

/**
 * Reads one unsigned count. Values above 2^53 lose precision as JS numbers: `imprecise` says so
 * (the v1 "unlimited" value 9223372036854771712 is one of them, and is expected).
 * Negative numbers, decimals and letters are rejected with a reason.
 */
export function parseCount(text: string): CountResult {
  const t = text.trim();
  if (!PLAIN_COUNT.test(t) && !GROUPED_COUNT.test(t)) {
    const why = t.startsWith("-") ? "a negative number" : t === "" ? "nothing" : `\`${clip(t)}\``;
    return { ok: false, reason: `expected an unsigned integer, received ${why}` };
  }
  const value = Number(t.replace(THOUSANDS_SEPARATOR, ""));
  // Property tests (test/property): a 400-digit count overflowed to Infinity and was kept as bytes.
  if (!Number.isFinite(value))
    return { ok: false, reason: `expected an unsigned integer below 2^1024, received ${t.length} digits` };
  return { ok: true, value, imprecise: !Number.isSafeInteger(value) };
}

/**
 * Reads the fields after `some`/`full` of one PSI line. Fields are read by key; unknown keys
 * are ignored. Returns null when one of avg10/avg60/avg300/total is missing or malformed.
 */
export function parsePsiFields(fields: string): PsiLine | null {
  const got: Record<string, number> = {};
  for (const token of fields.trim().split(BLANKS)) {
    const m = PSI_FIELD.exec(token);
    if (m) got[m[1]!] = Number(m[2]);
  }
  const { avg10, avg60, avg300, total } = got;
  if (avg10 === undefined || avg60 === undefined || avg300 === undefined || total === undefined) return null;
  return { avg10, avg60, avg300, totalUs: total };
}

/** Control characters (binary input) are shown as `?` in warning messages. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g;

/** Shortens a received value for a warning message and masks control characters. */
export function clip(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return shown.replace(CONTROL_CHARS, "?");
}
