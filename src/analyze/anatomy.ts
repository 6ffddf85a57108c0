/**
 * Memory anatomy at the kill: where the memcg's usage went (anon, page cache, shmem, kernel,
 * socket buffers), from a `memory.stat` snapshot of the subject or, failing that, from the
 * kernel OOM report's `Memory cgroup stats for …` block and its `memory:` counter.
 *
 * Keys (kernel `Documentation/admin-guide/cgroup-v2.rst` "memory.stat", `cgroup-v1/memory.rst` §5.2):
 * v2 `anon`, `file` (page cache *including* tmpfs/shmem), `shmem`, `active_file`,
 * `inactive_file`, `kernel` (slab, stacks, page tables, percpu, vmalloc…), `sock`;
 * v1 `rss`/`total_rss`, `cache`/`total_cache` (also includes shmem), `shmem`/`total_shmem`,
 * `(total_)active_file`, `(total_)inactive_file`; v1 kernel memory comes from the report's
 * `kmem:` counter. Sample (v2 memory.stat):
 * ```text
 * anon 521142272
 * file 4096000
 * kernel 9646080
 * shmem 0
 * inactive_file 1724416
 * ```
 *
 * Formulas (named, so the report can cite them):
 * - working set = usage − inactive_file (the kubelet's, `workingSet()` in model/units.ts);
 * - OOM risk = usage − (file − shmem): everything but the reclaimable page cache. Both v1 `cache`
 *   and v2 `file` already *include* shmem, which reclaim cannot drop (it can only be swapped), so
 *   DESIGN.md's "memory.current − file − shmem" would count shmem out twice; we subtract the
 *   reclaimable part of `file` only.
 */
import type { SubjectFacts } from "../correlate/index.js";
import { memcgPartFile, type MemcgCounter, type MemcgPressure, type MemcgSnapshot } from "../model/facts.js";
import type { AnatomyRow, Kill, MemoryAnatomy } from "../model/incident.js";
import { evidence, type Evidence, type SourceRef } from "../model/source.js";
import { isUnlimited, workingSet } from "../model/units.js";
import { formatBytes, formatPercent } from "../util/format.js";
import { maxOf } from "../util/arrays.js";

/** memory.stat normalised across cgroup v1 and v2, in bytes; null where the source has no such key. */
interface StatParts {
  anonBytes: number | null;
  /** v2 `file` / v1 `cache` (includes shmem). */
  fileBytes: number | null;
  shmemBytes: number | null;
  activeFileBytes: number | null;
  inactiveFileBytes: number | null;
  /** v2 `kernel`, else slab + kernel_stack + pagetables (+ percpu, vmalloc) where shown. */
  kernelBytes: number | null;
  sockBytes: number | null;
  slabBytes: number | null;
  /** The key each figure was read from (`total_rss`, `anon`, …), for evidence. */
  keys: Partial<Record<Exclude<keyof StatParts, "keys">, string[]>>;
}

/** The page cache is called a false alarm when it is at least this share of usage… */
const CACHE_ALARM_SHARE = 0.25;
/** …and the non-reclaimable part stays under this share of the limit. */
const RISK_WELL_UNDER = 0.8;

/** Reads the v1/v2 memory.stat keys into `StatParts` (hierarchical v1 `total_*` preferred). */
export function statParts(stat: Record<string, number>): StatParts {
  const keys: StatParts["keys"] = {};
  const pick = (part: Exclude<keyof StatParts, "keys">, ...names: string[]): number | null => {
    const name = names.find((n) => stat[n] !== undefined);
    if (name === undefined) return null;
    keys[part] = [name];
    return stat[name]!;
  };
  const kernelParts = ["slab", "kernel_stack", "pagetables", "percpu", "vmalloc"].filter((k) => stat[k] !== undefined);
  let kernelBytes = pick("kernelBytes", "kernel");
  if (kernelBytes === null && kernelParts.length > 0) {
    kernelBytes = kernelParts.reduce((a, k) => a + stat[k]!, 0);
    keys.kernelBytes = kernelParts;
  }
  return {
    anonBytes: pick("anonBytes", "anon", "total_rss", "rss"),
    fileBytes: pick("fileBytes", "file", "total_cache", "cache"),
    shmemBytes: pick("shmemBytes", "shmem", "total_shmem"),
    activeFileBytes: pick("activeFileBytes", "active_file", "total_active_file"),
    inactiveFileBytes: pick("inactiveFileBytes", "inactive_file", "total_inactive_file"),
    kernelBytes,
    sockBytes: pick("sockBytes", "sock"),
    slabBytes: pick("slabBytes", "slab"),
    keys,
  };
}

/**
 * The snapshot of the subject that best describes the last kill: the latest one dated at or
 * before it (by `takenAtText`), else the last one in the bundle. Snapshots without stat keys and
 * without usage are skipped. Null when none.
 */
export function anatomySnapshot(s: SubjectFacts, kills: Kill[]): MemcgSnapshot | null {
  const usable = s.memcgSnapshots.filter((x) => Object.keys(x.stat).length > 0);
  if (usable.length === 0) return null;
  const killMs = lastKillMs(kills);
  const dated = usable.map((snap) => ({ snap, ms: takenMs(snap) }));
  if (killMs !== null) {
    const before = dated.filter((d) => d.ms !== null && d.ms <= killMs).sort((a, b) => a.ms! - b.ms!);
    if (before.length > 0) return before.at(-1)!.snap;
    // Every dated snapshot is from after the kill: only an undated one may still describe it.
    const undated = dated.filter((d) => d.ms === null);
    if (undated.length > 0) return undated.at(-1)!.snap;
    return s.kernelKills.some((k) => k.oom.memcgStats || k.oom.counters.length > 0) ? null : dated.at(-1)!.snap;
  }
  return dated.at(-1)!.snap;
}

/** The anatomy nearest before the last kill, or null when the bundle has no breakdown. */
export function memoryAnatomy(s: SubjectFacts, kills: Kill[]): MemoryAnatomy | null {
  const snap = anatomySnapshot(s, kills);
  if (snap) return fromSnapshot(snap, s);
  const oom = [...s.kernelKills]
    .reverse()
    .map((k) => k.oom)
    .find((o) => o.memcgStats || o.counters.some((c) => c.name === "memory"));
  if (!oom) return null;
  const memory = oom.counters.find((c) => c.name === "memory") ?? null;
  const kmem = oom.counters.find((c) => c.name === "kmem") ?? null;
  const statSrc = oom.memcgStats?.source ?? memory!.source;
  const stat = oom.memcgStats?.bytes ?? {};
  const at = (key: string): Evidence =>
    evidence(statSrc, `${key} ${stat[key] ?? "?"} (Memory cgroup stats for ${oom.memcgStats?.path ?? "?"})`);
  const limit = usableLimit(memory?.limitBytes ?? null) ?? usableLimit(s.limit?.bytes ?? null);
  const kill = kills.at(-1);
  return build({
    time: kill?.time ?? null,
    source: memory
      ? evidence(memory.source, memory.text)
      : evidence(statSrc, `Memory cgroup stats for ${oom.memcgStats?.path ?? "?"}`),
    usage: memory?.usageBytes ?? null,
    usageEvidence: memory ? evidence(memory.source, memory.text) : null,
    limit,
    parts: statParts(stat),
    at,
    kmem,
    events: null,
  });
}

// ---- private helpers ------------------------------------------------------------------------

interface BuildInput {
  time: string | null;
  source: Evidence;
  usage: number | null;
  usageEvidence: Evidence | null;
  limit: number | null;
  parts: StatParts;
  at: (key: string) => Evidence;
  kmem: MemcgCounter | null;
  events: { values: Record<string, number>; at: (key: string) => Evidence } | null;
  /** memory.pressure (PSI) of the snapshot, when read. */
  pressure?: { psi: MemcgPressure; at: Evidence } | null;
}

function fromSnapshot(snap: MemcgSnapshot, s: SubjectFacts): MemoryAnatomy {
  const file = snap.source.file;
  const lineOf = (key: string): SourceRef => ({ file, line: snap.statLines[key] ?? snap.source.line });
  const cur = snap.valueSources?.currentBytes;
  const limit = usableLimit(snap.limitBytes) ?? (snap.limitUnlimited ? null : usableLimit(s.limit?.bytes ?? null));
  const ms = takenMs(snap);
  const eventsKnown = Object.keys(snap.events).length > 0;
  return build({
    time: ms !== null ? new Date(ms).toISOString() : null,
    source: evidence(
      snap.source,
      `memory.stat${snap.version ? ` (cgroup v${snap.version})` : ""}${snap.path ? ` of ${snap.path}` : ""}${snap.takenAtText ? `, taken ${snap.takenAtText}` : ""}`,
    ),
    usage: snap.currentBytes,
    usageEvidence:
      snap.currentBytes !== null
        ? evidence(
            cur ? { file: memcgPartFile(snap, "currentBytes"), line: cur.line } : snap.source,
            `${cur?.key ?? "memory.current"} ${snap.currentBytes}`,
          )
        : null,
    limit,
    parts: statParts(snap.stat),
    at: (key) => evidence(lineOf(key), `${key} ${snap.stat[key] ?? "?"}`),
    kmem: null,
    events: eventsKnown
      ? {
          values: snap.events,
          at: (key) =>
            evidence(
              { file: memcgPartFile(snap, "events"), line: snap.eventLines?.[key] ?? snap.source.line },
              `memory.events ${key} ${snap.events[key]}`,
            ),
        }
      : null,
    pressure: snap.pressure
      ? {
          psi: snap.pressure,
          at: evidence({ file: memcgPartFile(snap, "pressure"), line: snap.pressure.line }, "memory.pressure"),
        }
      : null,
  });
}

function build(i: BuildInput): MemoryAnatomy {
  const p = i.parts;
  const rows: AnatomyRow[] = [];
  const share = (b: number): number | null => (i.limit !== null && i.limit > 0 ? b / i.limit : null);
  const row = (part: string, bytes: number | null, keys: string[] | undefined, ev?: Evidence): void => {
    if (bytes === null) return;
    rows.push({
      part,
      bytes,
      shareOfLimit: share(bytes),
      evidence: ev ?? (keys && keys.length > 0 ? i.at(keys[0]!) : null),
    });
  };
  row("anon", p.anonBytes, p.keys.anonBytes);
  if (p.activeFileBytes !== null || p.inactiveFileBytes !== null) {
    row("page cache (active file)", p.activeFileBytes, p.keys.activeFileBytes);
    row("page cache (inactive file)", p.inactiveFileBytes, p.keys.inactiveFileBytes);
  } else if (p.fileBytes !== null) {
    row("page cache", Math.max(0, p.fileBytes - (p.shmemBytes ?? 0)), p.keys.fileBytes);
  }
  row("shmem / tmpfs", p.shmemBytes, p.keys.shmemBytes);
  if (p.kernelBytes !== null) row("kernel (slab, stacks, page tables)", p.kernelBytes, p.keys.kernelBytes);
  else if (i.kmem) row("kernel (kmem)", i.kmem.usageBytes, undefined, evidence(i.kmem.source, i.kmem.text));
  row("socket buffers", p.sockBytes, p.keys.sockBytes);

  const usage = i.usage;
  const workingSetBytes =
    usage !== null && p.inactiveFileBytes !== null ? workingSet(usage, p.inactiveFileBytes) : null;
  const reclaimable = p.fileBytes !== null ? Math.max(0, p.fileBytes - (p.shmemBytes ?? 0)) : null;
  const oomRiskBytes = usage !== null && reclaimable !== null ? Math.max(0, usage - reclaimable) : null;
  const notes: string[] = [];
  if (usage !== null && reclaimable !== null && oomRiskBytes !== null && reclaimable >= CACHE_ALARM_SHARE * usage) {
    const limitShare = i.limit ? oomRiskBytes / i.limit : null;
    if (limitShare === null || limitShare < RISK_WELL_UNDER) {
      const of =
        limitShare !== null
          ? `${formatPercent(limitShare)} of the ${formatBytes(i.limit)} limit`
          : `${formatPercent(oomRiskBytes / usage)} of the usage`;
      notes.push(
        `${formatBytes(reclaimable)} of the ${formatBytes(usage)} "usage" is reclaimable page cache; the non-reclaimable part is ${formatBytes(oomRiskBytes)} = ${of} (OOM risk = usage − (file − shmem)).`,
      );
    }
  }
  if (i.events) {
    const kills = i.events.values["oom_kill"];
    const ooms = i.events.values["oom"];
    if (kills === 0)
      notes.push(
        `memory.events says oom_kill 0${ooms !== undefined ? `, oom ${ooms}` : ""}: this cgroup did not OOM-kill.`,
      );
    else if (kills !== undefined)
      notes.push(`memory.events counts ${kills} OOM kill${kills === 1 ? "" : "s"} in this cgroup.`);
  }
  const warning = pressureWarning(usage, i.limit, i.events, i.pressure ?? null);
  if (warning) notes.push(warning);
  return {
    time: i.time,
    source: i.source,
    usageBytes: usage,
    limitBytes: i.limit,
    rows,
    workingSetBytes,
    oomRiskBytes,
    notes,
  };
}

/** Usage at or above this share of the limit, with memory.events `max` > 0: the cgroup lives at its limit. */
const NEAR_LIMIT = 0.9;
/** PSI `full` avg60 (or `some` avg60 at twice this) at or above this percentage: sustained stalls on memory. */
const PSI_FULL_SUSTAINED = 5;

/**
 * The early warning (kernel `Documentation/accounting/psi.rst`, cgroup-v2.rst "memory.events"):
 * usage near the limit with `max` events (allocations that hit memory.max and were reclaimed),
 * or sustained memory pressure (tasks stalled on reclaim), with the readings. Null when neither.
 */
function pressureWarning(
  usage: number | null,
  limit: number | null,
  events: BuildInput["events"],
  pressure: BuildInput["pressure"],
): string | null {
  const share = usage !== null && limit !== null && limit > 0 ? usage / limit : null;
  const max = events?.values["max"];
  const psi = pressure?.psi ?? null;
  const cite = (e: Evidence): string => `(${e.file}${e.line !== undefined ? `:${e.line}` : ""})`;
  const atLimit = share !== null && share >= NEAR_LIMIT && max !== undefined && max > 0;
  const stalled = (psi?.full?.avg60 ?? 0) >= PSI_FULL_SUSTAINED || (psi?.some?.avg60 ?? 0) >= 2 * PSI_FULL_SUSTAINED;
  if (!atLimit && !stalled) return null;
  const parts: string[] = [];
  if (share !== null)
    parts.push(`usage ${formatBytes(usage)} is ${formatPercent(share)} of the ${formatBytes(limit)} limit`);
  if (max !== undefined)
    parts.push(
      `memory.events counts max ${max} ${cite(events!.at("max"))} (allocations that hit the limit and forced reclaim)`,
    );
  const line = (kind: "some" | "full"): string | null => {
    const p = psi?.[kind];
    return p ? `${kind} avg10 ${p.avg10}% avg60 ${p.avg60}% avg300 ${p.avg300}%` : null;
  };
  const psiText = [line("full"), line("some")].filter((x) => x !== null).join(", ");
  if (psiText) parts.push(`memory.pressure (PSI) ${psiText} ${cite(pressure!.at)}`);
  return `Early warning: ${parts.join("; ")}: ${stalled ? "tasks are stalling on memory reclaim" : "the cgroup runs at its limit"}, the state that precedes an OOM kill unless the working set shrinks or the limit rises.`;
}

function usableLimit(b: number | null): number | null {
  return b !== null && b > 0 && !isUnlimited(b) ? b : null;
}

function takenMs(snap: MemcgSnapshot): number | null {
  if (!snap.takenAtText) return null;
  const ms = Date.parse(snap.takenAtText);
  return Number.isFinite(ms) ? ms : null;
}

function lastKillMs(kills: Kill[]): number | null {
  const times = kills.map((k) => (k.time ? Date.parse(k.time) : NaN)).filter(Number.isFinite);
  return times.length > 0 ? maxOf(times, 0) : null;
}
