/**
 * "What happened": the incident's timeline as a reader needs it. In the short report, the kills
 * (with the victim, its anon RSS and share of the limit), the container's starts and ends and
 * the warning events, at most {@link SHORT_ROWS} rows; `--detail full` lists every entry.
 * Each row cites the line that holds its value.
 */
import type { Incident, Kill, TimelineEntry } from "../model/incident.js";
import type { Citations } from "./cite.js";
import { formatBytes, formatPercent, formatTime, formatUptime, UNKNOWN } from "../util/format.js";
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";
import { killTime } from "./summary.js";

/** Rows of the short table. */
const SHORT_ROWS = 8;
/** Timeline entries of routine events (kept in the full table only). */
const ROUTINE = /^Normal /;

/** One row of the table. */
interface StoryRow {
  time: string;
  what: string;
  evidence: string;
}

/** The rows, and a line saying how many were left out (or null). */
export interface Story {
  rows: StoryRow[];
  more: string | null;
}

/** Builds the table; `full` lists every timeline entry. */
export function story(incident: Incident, cite: Citations, full: boolean): Story {
  // A kill with a kernel side replaces the one timeline entry that is it: same cited line, same
  // time when both have one. Other entries citing that line (the run's start) keep their own
  // text and time. A kill known only from a termination record (kubelet finishedAt, no pid,
  // process or RSS) is shown as that termination, which says its reason and exit code, never
  // as "OOM kill: process".
  const killByRef = new Map<string, Kill>();
  for (const k of incident.kills)
    for (const e of k.evidence.slice(0, 1)) if (hasKernelSide(k)) killByRef.set(`${e.file}:${e.line}`, k);
  const entries = incident.timeline ?? [];
  const rows = entries.map((e) => {
    const ref = `${e.evidence.file}:${e.evidence.line}`;
    const kill = killByRef.get(ref);
    const same = kill !== undefined && (kill.time === null || e.time === null || kill.time === e.time);
    if (same) killByRef.delete(ref);
    return { routine: !same && ROUTINE.test(e.what), row: same ? killRow(kill, cite) : entryRow(e, cite) };
  });
  const kept = full ? rows : rows.filter((r) => !r.routine);
  const shown = full ? kept : kept.length > SHORT_ROWS ? [...kept.slice(0, SHORT_ROWS - 1), kept.at(-1)!] : kept;
  const left = kept.length - shown.length + (rows.length - kept.length);
  return {
    rows: shown.map((r) => r.row),
    more:
      left > 0
        ? `${left} more ${left === 1 ? "entry" : "entries"} (routine events, repeated kills) with \`--detail full\`.`
        : null,
  };
}

function hasKernelSide(k: Kill): boolean {
  return k.pid !== null || k.process !== null || k.anonRssBytes !== null;
}

function killRow(k: Kill, cite: Citations): StoryRow {
  const share =
    k.anonRssBytes !== null && k.limitBytes
      ? ` (${formatPercent(k.anonRssBytes / k.limitBytes)} of the ${formatBytes(k.limitBytes)} limit)`
      : "";
  const who = `${k.process ? inlineCode(k.process, { table: true }) : "process"}${k.pid !== null ? ` pid ${k.pid}` : ""}`;
  const rss = k.anonRssBytes !== null ? `, anon RSS ${formatBytes(k.anonRssBytes)}${share}` : "";
  const group = k.group && k.group.members.length > 0 ? `; memory.oom.group killed ${k.group.members.length} more` : "";
  return {
    time: escapeMarkdown(killTime(k)),
    what: `OOM kill: ${who}${rss}${group}`,
    evidence: cite.refs(k.evidence.slice(0, 1)),
  };
}

function entryRow(e: TimelineEntry, cite: Citations): StoryRow {
  return {
    time: escapeMarkdown(e.time ? formatTime(e.time) : e.uptimeSec != null ? formatUptime(e.uptimeSec) : UNKNOWN),
    what: escapeMarkdown(e.what),
    evidence: cite.refs([e.evidence]),
  };
}
