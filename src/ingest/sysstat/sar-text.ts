/**
 * `sar -r` (and `-S`, `-B`, or those sections of `sar -A`) text output (sysstat `sar.c`,
 * `pr_stats.c`): a title line `Linux 5.15.0 (host) \t11/24/2025 \t_x86_64_\t(4 CPU)` with the
 * date in the locale's format, then per section a header `03:30:01 PM kbmemfree kbavail …`
 * and rows `03:31:01 PM   1072003   1786672 …`, `Average:` rows and `LINUX RESTART` lines.
 * Times are the node's local time (sar prints no zone; `S_TIME_FORMAT=ISO` gives ISO dates),
 * 12-hour with AM/PM or 24-hour; a time earlier than the previous row starts the next day.
 */
import { TEXT_COLUMNS, type SysstatRow } from "./fields.js";
import type { Line } from "../types.js";

/** The title line: kernel, host, date. */
const TITLE = /^Linux\s+\S+\s+\(([^)\s]+)\)\s+(\S+)/;
/** A row or header: time (12- or 24-hour), then the cells. */
const ROW = /^(\d{1,2}):(\d{2}):(\d{2})(?:\s*([AP]M))?\s+(\S.*)$/;
/** Dates sar prints: ISO, US `11/24/2025`, day-first `24/11/2025` or `24.11.2025`, two-digit years. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SLASH_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$/;

/** What the text gives. */
interface SarText {
  node: string | null;
  rows: SysstatRow[];
  /** Lines of rows that could not be placed (no date line). */
  undated: number[];
}

/** Reads sar text lines; lines of other sections and anything unreadable are skipped. */
export async function readSarText(lines: AsyncIterable<Line>): Promise<SarText> {
  const out: SarText = { node: null, rows: [], undated: [] };
  let titleDay: number | null = null;
  let day: number | null = null;
  let cols: (string | null)[] | null = null;
  let lastSec = -1;
  const byTime = new Map<number, SysstatRow>();
  for await (const { text, line } of lines) {
    const t = text.trim();
    const title = TITLE.exec(t);
    if (title) {
      out.node = title[1]!;
      titleDay = day = parseDate(title[2]!);
      lastSec = -1;
      continue;
    }
    const m = ROW.exec(t);
    if (!m) continue;
    const cells = m[5]!.split(/\s+/);
    if (cells.some((c) => c in TEXT_COLUMNS)) {
      // Each section starts again at the title's date.
      cols = cells.map((c) => TEXT_COLUMNS[c] ?? null);
      day = titleDay;
      lastSec = -1;
      continue;
    }
    if (!cols || cells.length !== cols.length || !cells.every((c) => /^\d+(?:[.,]\d+)?$/.test(c))) continue;
    const hour = m[4] === undefined ? Number(m[1]) : (Number(m[1]) % 12) + (m[4] === "PM" ? 12 : 0);
    const sec = hour * 3600 + Number(m[2]) * 60 + Number(m[3]);
    if (day === null) {
      out.undated.push(line);
      continue;
    }
    if (lastSec >= 0 && sec + 3600 < lastSec) day += 86_400_000;
    lastSec = sec;
    const ms = day + sec * 1000;
    // Sections of one interval (`-r` then `-S` in `sar -A`) fill the same row.
    const row = byTime.get(ms) ?? { ms, local: true, values: {}, line };
    cols.forEach((field, i) => {
      if (field) row.values[field] = Number(cells[i]!.replace(",", "."));
    });
    if (!byTime.has(ms)) {
      byTime.set(ms, row);
      out.rows.push(row);
    }
  }
  return out;
}

// The title's date as epoch ms of its midnight (UTC), or null when unreadable.
function parseDate(text: string): number | null {
  const iso = ISO_DATE.exec(text);
  if (iso) return utc(+iso[1]!, +iso[2]!, +iso[3]!);
  const s = SLASH_DATE.exec(text);
  if (!s) return null;
  const [a, b] = [+s[1]!, +s[2]!];
  const year = s[3]!.length === 2 ? 2000 + +s[3]! : +s[3]!;
  // US month-first unless the first number cannot be a month or the separator is a dot (day-first locales).
  const dayFirst = a > 12 || text.includes(".");
  return dayFirst ? utc(year, b, a) : utc(year, a, b);
}

function utc(y: number, mo: number, d: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return Date.UTC(y, mo - 1, d);
}
