/**
 * Years for kernel lines that print none. BSD syslog (RFC 3164, `/var/log/messages`,
 * `kern.log`) and `journalctl -o short` stamp lines `Dec 20 03:17:52 host kernel: …`: the
 * ingester keeps that text (`KernelTime.wallText`) and leaves `wallMs` null. The year comes from
 * the bundle: first the same file's lines that carry a full date, else the other artifacts'
 * times (kubelet starts and finishes, events, metric points). Each line takes the year that puts
 * it nearest the latest such time, so a log spanning New Year keeps December in the year before.
 * The time stays the node's local wall clock (`clock: "local"`, zone unknown).
 */
import type { FactSet, OomEvent } from "../model/facts.js";
import { iso } from "../util/format.js";
import { monthIndex } from "../util/month-names.js";
import type { CorrelationNote } from "./index.js";

/** A time of the bundle to take the year from, with where it came from (for the note). */
export interface YearReference {
  ms: number;
  file: string;
}

// `Dec 20 03:17:52`, `jun 20 03:23:46.123456`, `Mär 13 …`, `10月 16 …` (the ingester keeps one
// space between the parts; the month is read by monthIndex, in any of its locales).
const BSD_TEXT = /^(\S+) (\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * Returns `ooms` with every year-less time placed (a new object where it changed) and one note
 * per file saying where its year came from. Times that cannot be read, or a bundle with no
 * reference time at all, stay unplaced.
 */
export function resolveYears(
  ooms: OomEvent[],
  references: YearReference[],
): { ooms: OomEvent[]; notes: CorrelationNote[] } {
  const placed = new Map<string, { years: Set<number>; from: string }>();
  const out = ooms.map((oom) => {
    const text = oom.time.wallMs === null ? oom.time.wallText : undefined;
    const parts = text ? BSD_TEXT.exec(text) : null;
    if (!parts) return oom;
    const file = oom.source.file;
    const own = ooms
      .filter((o) => o.source.file === file && o.time.wallMs !== null)
      .map((o) => ({ ms: o.time.wallMs!, file }));
    const refs = own.length > 0 ? own : references;
    if (refs.length === 0) return oom;
    const ref = refs.reduce((a, b) => (b.ms > a.ms ? b : a));
    const ms = nearestYear(parts, ref.ms);
    if (ms === null) return oom;
    const from =
      ref.file === file
        ? "the file's own dated lines"
        : `${ref.file} (its latest time, ${iso(ref.ms)?.slice(0, 10) ?? "?"})`;
    const entry = placed.get(file) ?? { years: new Set<number>(), from };
    entry.years.add(new Date(ms).getUTCFullYear());
    placed.set(file, entry);
    return { ...oom, time: { ...oom.time, wallMs: ms, clock: "local" as const } };
  });
  const notes = [...placed.entries()].map(([file, { years, from }]) => {
    const ys = [...years].sort((a, b) => a - b);
    return {
      file,
      text: `${file}: syslog/journal lines print no year; ${ys.length === 1 ? `the year ${ys[0]}` : `the years ${ys.join(" and ")} (each line the one nearest)`} taken from ${from}`,
    };
  });
  return { ooms: out, notes };
}

/** Reference times of a bundle: the kubelet's, the events', the metric points' (not kernel lines). */
export function yearReferences(facts: FactSet): YearReference[] {
  const refs: YearReference[] = [];
  const add = (ms: number | null | undefined, file: string) => {
    if (ms !== null && ms !== undefined && Number.isFinite(ms)) refs.push({ ms, file });
  };
  for (const p of facts.pods) {
    add(p.startTimeMs, p.source.file);
    for (const c of p.containers)
      for (const s of [c.state, c.lastState]) {
        add(s?.startedAtMs, p.source.file);
        add(s?.finishedAtMs, p.source.file);
      }
  }
  for (const e of facts.events) add(e.lastMs ?? e.firstMs, e.source.file);
  for (const s of facts.series) add(s.points.ms.at(-1), s.source.file);
  return refs;
}

/** A year-less syslog/journal stamp (`Nov 28 09:31:07`) in the year nearest `refMs` (epoch ms), or null. */
export function yearlessMs(wallText: string, refMs: number): number | null {
  const parts = BSD_TEXT.exec(wallText);
  return parts ? nearestYear(parts, refMs) : null;
}

// The month/day/time in the year (ref's, the one before or after) nearest `refMs`.
function nearestYear(parts: RegExpExecArray, refMs: number): number | null {
  const month = monthIndex(parts[1]!);
  if (month === null) return null;
  const [day, h, mi, s] = [2, 3, 4, 5].map((i) => Number(parts[i]));
  const fractionMs = Math.round(Number(`0.${parts[6] ?? "0"}`) * 1000);
  const year = new Date(refMs).getUTCFullYear();
  if (!Number.isFinite(year)) return null;
  const candidates = [year - 1, year, year + 1]
    .map((y) => Date.UTC(y, month, day!, h!, mi!, s!) + fractionMs)
    .filter((ms) => new Date(ms).getUTCDate() === day && h! < 24 && mi! < 60 && s! < 61);
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (Math.abs(b - refMs) < Math.abs(a - refMs) ? b : a));
}
