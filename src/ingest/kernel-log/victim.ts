/**
 * The victim lines of a kernel OOM report: the legacy selection (`Kill process … or sacrifice
 * child`, ≤ 5.0) and the kill itself (`Killed process …`), in every kernel layout, plus the
 * check that tells a line hard-wrapped by a mail client or terminal from a complete one.
 * Format: mm/oom_kill.c `oom_kill_process()` and `__oom_kill_process()`.
 *
 * Sample input:
 * ```text
 * Memory cgroup out of memory: Kill process 1381 (gunpowder-memho) score 1046 or sacrifice child
 * Killed process 1381 (gunpowder-memho) total-vm:2121528kB, anon-rss:18624kB, file-rss:2140kB, shmem-rss:0kB
 * Out of memory: Killed process 517 (clamd) total-vm:2361456kB, anon-rss:1689296kB, file-rss:0kB, shmem-rss:0kB, UID:111 pgtables:4292kB oom_score_adj:0
 * Killed process 799153 (node), UID 1000, total-vm:606096kB, anon-rss:68308kB, file-rss:13648kB, shmem-rss:0kB
 * ```
 */
import { kib } from "../../model/units.js";
import type { OomVictim } from "../../model/facts.js";

/** A victim line's fields (mm/oom_kill.c `__oom_kill_process`), sizes in bytes: `OomVictim` without its source. */
export type VictimFields = Omit<OomVictim, "source" | "text">;

// oom_kill_process() (≤ 5.0): "%s: Kill process %d (%s) score %u or sacrifice child"
// `Memory cgroup out of memory: Kill process 1012 (heapster) score 1035 or sacrifice child`
const SELECTED =
  /^(?:(Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Kill process (\d+) \((.*)\) score (\d+) or sacrifice child/;

// __oom_kill_process(): "%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB,
// shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd" (≤ 4.x no prefix; ≤ 4.8 no shmem-rss;
// RHEL 6 `Killed process %d, UID %d, (%s) …`; RHEL 7 `Killed process %d (%s), UID %d, total-vm:…`)
// (the lookahead checks once that the line holds no line break, so no `) ` is retried against one)
const VICTIM =
  /^(?=.*$)(?:(Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Killed process (\d+)(?:, UID (\d+),)? \((.*)\)(?:, UID (\d+),)?(?: (.*))?$/;
const TOTAL_VM = /total-vm:(\d+)kB/;
const ANON_RSS = /anon-rss:(\d+)kB/;
const FILE_RSS = /file-rss:(\d+)kB/;
const SHMEM_RSS = /shmem-rss:(\d+)kB/;
const UID_FIELD = /UID:(\d+)/;
const PGTABLES = /pgtables:(\d+)kB/;
const VICTIM_SCORE_ADJ = /oom_score_adj:(-?\d+)/;
const NUMBER_RUN = /-?\d+/g;

// The victim line's field list in every kernel version, digits replaced by 9: a line that is a
// strict prefix of one of these was cut (mail client, terminal) and continues on the next line.
const VICTIM_TAIL_SHAPES = [
  "total-vm:9kB, anon-rss:9kB, file-rss:9kB",
  "total-vm:9kB, anon-rss:9kB, file-rss:9kB, shmem-rss:9kB",
  "total-vm:9kB, anon-rss:9kB, file-rss:9kB, shmem-rss:9kB, UID:9",
  "total-vm:9kB, anon-rss:9kB, file-rss:9kB, shmem-rss:9kB, UID:9 pgtables:9kB oom_score_adj:9",
];

/** True for a `… Killed process N (comm) …` line (prefix removed). */
export function isVictimLine(m: string): boolean {
  return VICTIM.test(m);
}

/** True for a legacy `… Kill process N (comm) score S or sacrifice child` line. */
export function isSelectedLine(m: string): boolean {
  return SELECTED.test(m);
}

/** Legacy `… Kill process N (comm) score S or sacrifice child`. */
export function parseSelected(
  m: string,
): { pid: number; process: string; score: number; scope: "memcg" | "global" | null } | null {
  const s = SELECTED.exec(m);
  return s ? { pid: Number(s[2]), process: s[3]!, score: Number(s[4]), scope: scopeOf(s[1]) } : null;
}

/** A `Killed process` line's fields, kB → bytes; absent fields are null. */
export function parseVictim(m: string): VictimFields | null {
  const v = VICTIM.exec(m);
  if (!v) return null;
  const tail = v[6] ?? "";
  const kb = (re: RegExp): number | null => {
    const x = re.exec(tail);
    const bytes = x ? kib(Number(x[1])) : null;
    return bytes !== null && Number.isFinite(bytes) ? bytes : null; // 400 digits: Infinity → unknown
  };
  return {
    pid: Number(v[2]),
    process: v[4]!,
    scope: scopeOf(v[1]),
    totalVmBytes: kb(TOTAL_VM),
    anonRssBytes: kb(ANON_RSS),
    fileRssBytes: kb(FILE_RSS),
    shmemRssBytes: kb(SHMEM_RSS),
    uid: num(UID_FIELD.exec(tail)?.[1] ?? v[3] ?? v[5]),
    pgtablesBytes: kb(PGTABLES),
    oomScoreAdj: num(VICTIM_SCORE_ADJ.exec(tail)?.[1]),
  };
}

/**
 * How a `Killed process` line ends, judged by the known field layouts: `complete` (a full layout,
 * or one we do not know), `cut` (strictly part-way through every layout that fits: it was
 * wrapped), `extendable` (a full older layout that is also the start of a newer one, e.g. 5.1's
 * `…, UID:0`, which a wrap could have cut before ` pgtables:…`).
 */
export function victimLineEnd(m: string): "complete" | "cut" | "extendable" {
  const v = VICTIM.exec(m);
  if (!v) return "complete";
  const shape = (v[6] ?? "").replace(NUMBER_RUN, "9");
  const longer = VICTIM_TAIL_SHAPES.some((s) => s.length > shape.length && s.startsWith(shape));
  if (VICTIM_TAIL_SHAPES.includes(shape)) return longer ? "extendable" : "complete";
  return longer ? "cut" : "complete";
}

/**
 * Joins a cut victim line with the next line when the result still follows a known layout:
 * glued (`anon-rss:159` + `5164kB, …`) or with a space (`file-rss:76kB,` + `shmem-rss:…`).
 * Returns the joined message, or null when the next line does not continue it.
 */
export function joinVictimLine(cut: string, next: string): string | null {
  for (const candidate of [cut + next, `${cut} ${next}`]) {
    const v = VICTIM.exec(candidate);
    if (!v || v[4] !== VICTIM.exec(cut)?.[4]) continue;
    const shape = (v[6] ?? "").replace(NUMBER_RUN, "9");
    if (shape.length > 0 && VICTIM_TAIL_SHAPES.some((s) => s.startsWith(shape))) return candidate;
  }
  return null;
}

// `Memory cgroup out of memory` → memcg, `Out of memory` (any variant) → global, none → null.
function scopeOf(prefix: string | undefined): "memcg" | "global" | null {
  if (prefix === undefined) return null;
  return prefix.startsWith("Memory cgroup") ? "memcg" : "global";
}

function num(text: string | undefined): number | null {
  return text === undefined ? null : Number(text);
}
