/**
 * Signals several rules read: run lengths, kill intervals, the memcg breakdown at the kill,
 * the request/limit ratio. Each returns numbers with the evidence they came from.
 */
import type { MemcgCounter, MemcgSnapshot } from "../model/facts.js";
import { anatomySnapshot, statParts } from "../analyze/anatomy.js";
import { killedTask } from "../correlate/attribute.js";
import { iso } from "../util/format.js";
import { evidence, type Evidence } from "../model/source.js";
import { isOomEvent, type RuleContext } from "./types.js";

/** The last run's length (started → finished) from the kubelet's termination record, in ms. */
export function lastRunMs(ctx: RuleContext): { ms: number; evidence: Evidence } | null {
  const t = ctx.termination;
  if (!t || t.startedAtMs === null || t.finishedAtMs === null || t.finishedAtMs < t.startedAtMs) return null;
  return {
    ms: t.finishedAtMs - t.startedAtMs,
    evidence: evidence(
      t.source,
      `last run ${iso(t.startedAtMs)} → ${iso(t.finishedAtMs)} (${t.reason ?? "terminated"}, exit code ${t.exitCode ?? "?"})`,
    ),
  };
}

/** Kill lines a claim about all kills cites: the first and last few (a capture of 20k kills is not 20k citations). */
const KILLS_CITED = 10;

/**
 * Evidence for a claim about a whole list of kills: the first `KILLS_CITED / 2` and the last
 * `KILLS_CITED / 2` items of `lines` (one or more lines per kill, in kill order), all of them when fewer.
 */
export function killLines(lines: Evidence[]): Evidence[] {
  return lines.length <= KILLS_CITED ? lines : [...lines.slice(0, KILLS_CITED / 2), ...lines.slice(-KILLS_CITED / 2)];
}

/** Intervals between consecutive kernel kills placed in time, in ms, with their evidence. */
export function killIntervals(ctx: RuleContext): { intervals: number[]; evidence: Evidence[] } {
  const timed = ctx.facts.kernelKills.filter((k) => k.time.ms !== null || k.oom.time.uptimeSec !== null);
  // Uptime differences are valid within one file even when the file is not anchored.
  const at = (k: (typeof timed)[number]) => (k.time.ms !== null ? k.time.ms : k.oom.time.uptimeSec! * 1000);
  const sameClock = timed.every((k) => k.time.ms !== null) || new Set(timed.map((k) => k.oom.source.file)).size === 1;
  if (!sameClock || timed.length < 2) return { intervals: [], evidence: [] };
  const times = timed.map(at);
  return {
    intervals: times.slice(1).map((t, i) => t - times[i]!),
    evidence: killLines(
      timed.map((k) => {
        const task = killedTask(k);
        return evidence(task?.source ?? k.oom.source, task?.text ?? "kernel OOM report");
      }),
    ),
  };
}

/** Mean and coefficient of variation (stddev / mean) of a list. */
export function spread(values: number[]): { mean: number; cv: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, cv: mean > 0 ? sd / mean : 0 };
}

/** The memcg breakdown at a kill, normalised across cgroup v1 and v2 keys, in bytes. */
interface MemcgBreakdown {
  usageBytes: number | null;
  limitBytes: number | null;
  anonBytes: number | null;
  fileBytes: number | null;
  shmemBytes: number | null;
  /** v2 `kernel` (+ `sock`), or v1 `kmem:` usage (+ sock where shown). */
  kernelBytes: number | null;
  sockBytes: number | null;
  slabBytes: number | null;
  evidence: Evidence[];
}

/** Reads the latest kernel report of the subject that printed memcg counters or stats. */
function memcgAtKill(ctx: RuleContext): MemcgBreakdown | null {
  const oom = [...ctx.facts.kernelKills]
    .reverse()
    .map((k) => k.oom)
    .find((o) => o.memcgStats || o.counters.length > 0);
  if (!oom) return null;
  const st = oom.memcgStats?.bytes ?? {};
  const pick = (...keys: string[]) => keys.map((k) => st[k]).find((v) => v !== undefined) ?? null;
  const memory = oom.counters.find((c) => c.name === "memory");
  const kmem = oom.counters.find((c) => c.name === "kmem");
  const sock = pick("sock");
  const v2Kernel = pick("kernel");
  const kernelBytes =
    v2Kernel !== null
      ? v2Kernel + (sock ?? 0)
      : (kmem?.usageBytes ?? sumOrNull(pick("slab"), pick("kernel_stack"), pick("pagetables"), sock));
  const ev: Evidence[] = oom.counters.map((c: MemcgCounter) => evidence(c.source, c.text));
  if (oom.memcgStats) ev.push(evidence(oom.memcgStats.source, `Memory cgroup stats for ${oom.memcgStats.path ?? "?"}`));
  return {
    usageBytes: memory?.usageBytes ?? null,
    limitBytes: memory?.limitBytes ?? null,
    anonBytes: pick("anon", "total_rss", "rss"),
    fileBytes: pick("file", "total_cache", "cache"),
    shmemBytes: pick("shmem", "total_shmem"),
    kernelBytes,
    sockBytes: sock,
    slabBytes: pick("slab"),
    evidence: ev,
  };
}

function sumOrNull(...xs: (number | null)[]): number | null {
  const present = xs.filter((x): x is number => x !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/** The share of `part` in the memcg's usage (or, without a `memory:` line, in anon+file+kernel). */
export function shareOfUsage(b: MemcgBreakdown, part: number | null): number | null {
  if (part === null) return null;
  const total = b.usageBytes ?? sumOrNull(b.anonBytes, b.fileBytes, b.kernelBytes);
  return total && total > 0 ? part / total : null;
}

/** requests.memory / limits.memory of the container, with evidence. */
export function requestRatio(ctx: RuleContext): { ratio: number; evidence: Evidence[] } | null {
  const c = ctx.facts.container;
  if (!c || c.limitBytes === null || c.requestBytes === null || c.limitBytes <= 0) return null;
  return {
    ratio: c.requestBytes / c.limitBytes,
    evidence: c.limitSource ? [evidence(c.limitSource, `limit ${c.limitBytes} B, request ${c.requestBytes} B`)] : [],
  };
}

/** The container's limit in bytes: its `limits.memory`, else the limit the kernel reported. */
export function limitOf(ctx: RuleContext): number | null {
  return ctx.facts.limit?.bytes ?? null;
}

/**
 * The container's memory at one moment before the kill, as a share of its limit, with the line
 * as evidence: its working set from `kubectl top` (metrics-server) or an untimed cAdvisor
 * sample, or a process's `VmRSS` from `/proc/<pid>/status` (a lower bound of the container's
 * usage). The highest reading when there are several; null without one or without a limit.
 */
export function usageReading(
  ctx: RuleContext,
): { bytes: number; share: number; what: string; evidence: Evidence } | null {
  const limit = limitOf(ctx);
  if (limit === null || limit <= 0) return null;
  const obs = ctx.facts.observations;
  const readings = [
    ...(obs?.top ?? [])
      .filter((r) => r.memoryBytes !== null)
      .map((r) => ({
        bytes: r.memoryBytes!,
        what: r.origin ?? "kubectl top",
        ev: evidence(r.source, `${r.origin ?? "kubectl top"}: ${r.text}`),
      })),
    ...(obs?.processes ?? [])
      .filter((p) => p.vmRssBytes !== null)
      .map((p) => ({
        bytes: p.vmRssBytes!,
        what: `/proc/${p.pid ?? "<pid>"}/status VmRSS`,
        ev: evidence(
          { file: p.source.file, line: p.lines["VmRSS"] ?? p.source.line },
          `VmRSS ${p.vmRssBytes} B${p.name ? ` (${p.name}${p.pid !== null ? `, pid ${p.pid}` : ""})` : ""}`,
        ),
      })),
  ];
  if (readings.length === 0) return null;
  const top = readings.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return { bytes: top.bytes, share: top.bytes / limit, what: top.what, evidence: top.ev };
}

/** Where the container's limit was read (`limits.memory`, else the kernel's `memory:` line at the kill), for evidence. */
export function limitEvidence(ctx: RuleContext): Evidence[] {
  const c = ctx.facts.container;
  if (c?.limitBytes !== null && c?.limitBytes !== undefined && c.limitSource)
    return [evidence(c.limitSource, `limits.memory ${c.limitBytes} B`)];
  const counter = ctx.kills.flatMap((k) => k.evidence).find((e) => /\bmemory: usage \d+kB, limit \d+kB/.test(e.text));
  return counter ? [counter] : [];
}

/** Restart count, when the kubelet's view is in the bundle. */
export function restarts(ctx: RuleContext): number | null {
  return ctx.facts.container?.restartCount ?? null;
}

/**
 * The memcg breakdown from the subject's memory.stat snapshot that best describes the last kill
 * (see `anatomySnapshot`), with `fromSnapshot: true` so reasons can say "in memory.stat" rather
 * than "at the kill". Null without a usable snapshot.
 */
function memcgFromSnapshot(
  ctx: RuleContext,
): (MemcgBreakdown & { fromSnapshot: true; snapshot: MemcgSnapshot }) | null {
  const snap = anatomySnapshot(ctx.facts, ctx.kills);
  if (!snap) return null;
  const p = statParts(snap.stat);
  const line = (keys: string[] | undefined) => (keys?.[0] !== undefined ? snap.statLines[keys[0]] : undefined);
  const ev: Evidence[] = [];
  for (const [keys, value] of [
    [p.keys.shmemBytes, p.shmemBytes],
    [p.keys.kernelBytes, p.kernelBytes],
    [p.keys.sockBytes, p.sockBytes],
    [p.keys.anonBytes, p.anonBytes],
    [p.keys.fileBytes, p.fileBytes],
  ] as const) {
    const l = line(keys);
    if (keys && value !== null)
      ev.push(
        evidence(l !== undefined ? { file: snap.source.file, line: l } : snap.source, `${keys.join("+")} ${value}`),
      );
  }
  const kernel = p.kernelBytes !== null || p.sockBytes !== null ? (p.kernelBytes ?? 0) + (p.sockBytes ?? 0) : null;
  return {
    usageBytes: snap.currentBytes,
    limitBytes: snap.limitBytes,
    anonBytes: p.anonBytes,
    fileBytes: p.fileBytes,
    shmemBytes: p.shmemBytes,
    kernelBytes: kernel,
    sockBytes: p.sockBytes,
    slabBytes: p.slabBytes,
    evidence: ev,
    fromSnapshot: true,
    snapshot: snap,
  };
}

/**
 * The kernel report's breakdown at the kill (`memcgAtKill`) when it has one, else (for an OOM
 * event only: a snapshot of a healthy container says nothing about a SIGKILL) the memory.stat
 * snapshot's.
 */
export function memcgBreakdown(ctx: RuleContext): (MemcgBreakdown & { fromSnapshot: boolean }) | null {
  // Marked in place (it is this call's own object): in V8 a `{ ...atKill, fromSnapshot }` copy gets a
  // hidden class of its own, made in the old generation, for every rule of every incident.
  const found = memcgAtKill(ctx);
  const atKill = found && Object.assign(found, { fromSnapshot: false });
  if (atKill && (atKill.shmemBytes !== null || atKill.kernelBytes !== null || atKill.anonBytes !== null)) return atKill;
  return (isOomEvent(ctx.event) ? memcgFromSnapshot(ctx) : null) ?? atKill;
}
