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
export type CountResult = { ok: true; value: number; imprecise: boolean } | { ok: false; reason: string };

/** seq_printf("%llu") output: `7502163968`. */
const PLAIN_COUNT = /^\d+$/;

/** The same with thousands separators, as pasted from a spreadsheet or `printf "%'d"`: `1,234,567`. */
const GROUPED_COUNT = /^\d{1,3}(?:,\d{3})+$/;

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
  const value = Number(t.replace(/,/g, ""));
  return { ok: true, value, imprecise: !Number.isSafeInteger(value) };
}

/**
 * Reads the fields after `some`/`full` of one PSI line. Fields are read by key; unknown keys
 * are ignored. Returns null when one of avg10/avg60/avg300/total is missing or malformed.
 */
export function parsePsiFields(fields: string): PsiLine | null {
  const got: Record<string, number> = {};
  for (const token of fields.trim().split(/\s+/)) {
    const m = PSI_FIELD.exec(token);
    if (m) got[m[1]!] = Number(m[2]);
  }
  const { avg10, avg60, avg300, total } = got;
  if (avg10 === undefined || avg60 === undefined || avg300 === undefined || total === undefined) return null;
  return { avg10, avg60, avg300, totalUs: total };
}

/** Shortens a received value for a warning message. */
export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
