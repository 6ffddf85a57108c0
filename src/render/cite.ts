/**
 * Evidence citations as Markdown: `file:line` code spans, alone, in a list or in a table
 * cell. Shared by the view-model builders (`view-model.ts`, `memory-view.ts`).
 *
 * Sample: `{file: "dmesg.txt", line: 11, text: "memory: usage 2097152kB, limit 2097152kB, failcnt 1843"}`
 * → list item `` `dmesg.txt:11` — `memory: usage 2097152kB, limit 2097152kB, failcnt 1843` ``,
 * table cell `` `dmesg.txt:11` ``.
 */
import type { Evidence } from "../model/source.js";
import { UNKNOWN } from "../util/format.js";
import { inlineCode } from "./markdown-escape.js";

/** `` `file:line` — `excerpt` `` (or just the reference when the excerpt is blank). */
export function evidenceItem(ev: Evidence): string {
  const ref = refCode(ev.file, ev.line);
  return ev.text.trim() === "" ? ref : `${ref} — ${inlineCode(ev.text)}`;
}

/** Comma-separated `file:line` code spans for a table cell, or `—`. */
export function evidenceRefs(list: Evidence[]): string {
  return list.length === 0 ? UNKNOWN : list.map((ev) => refCode(ev.file, ev.line, true)).join(", ");
}

/** `` `file:line` `` (or `` `file` `` without a line) as a code span; `table` escapes pipes for a cell. */
export function refCode(file: string, line: number | undefined | null, table = false): string {
  return inlineCode(line === undefined || line === null ? file : `${file}:${line}`, { table });
}
