/**
 * Separately saved cgroup files of one cgroup merged into one reading. Users save
 * `memory.stat`, `memory.current`, `memory.max`, `memory.events` and `memory.pressure` of a
 * cgroup as files side by side (`kubectl exec POD -- cat /sys/fs/cgroup/memory.max >
 * memory.max`, …); each file alone is a partial snapshot with no cgroup path. Files in the same
 * folder of the bundle whose snapshots name no path, one snapshot per file and each part
 * (stat, current, limit, peak, events, pressure) from one file only, are one cgroup's reading:
 * they merge into one `MemcgSnapshot` whose `partFiles` say where each part was read. Folders
 * where a part comes from two files (two cgroups, or a series) are left as they are.
 *
 * Sample bundle: `memory.stat` (`anon 1020000256` …), `memory.current` (`1069547520`),
 * `memory.max` (`1073741824`), `memory.events` (`max 99231` …), `memory.pressure`
 * (`some avg10=41.20 avg60=35.77 avg300=20.04 total=918273645`).
 */
import { dirname } from "node:path/posix";
import type { MemcgPart, MemcgSnapshot } from "../../model/facts.js";

/** The snapshots with each folder's separately saved files merged; order kept (a merged one takes its first file's place). */
export function mergeSavedCgroupFiles(snaps: MemcgSnapshot[]): MemcgSnapshot[] {
  const groups = new Map<string, MemcgSnapshot[]>();
  for (const s of snaps) {
    if (s.path !== null) continue;
    const key = dirname(s.source.file);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const replaced = new Map<MemcgSnapshot, MemcgSnapshot | null>();
  for (const group of groups.values()) {
    const merged = group.length >= 2 ? mergeGroup(group) : null;
    if (!merged) continue;
    group.forEach((s, i) => replaced.set(s, i === 0 ? merged : null));
  }
  if (replaced.size === 0) return snaps;
  return snaps.flatMap((s) => (replaced.has(s) ? (replaced.get(s) ? [replaced.get(s)!] : []) : [s]));
}

// One snapshot from a folder's files, or null when they do not read as one cgroup's.
function mergeGroup(group: MemcgSnapshot[]): MemcgSnapshot | null {
  const files = new Set(group.map((s) => s.source.file));
  if (files.size !== group.length) return null;
  const owners = new Map<MemcgPart, MemcgSnapshot>();
  for (const s of group) {
    for (const part of partsOf(s)) {
      if (owners.has(part)) return null;
      owners.set(part, s);
    }
  }
  const versions = new Set(group.map((s) => s.version).filter((v) => v !== null));
  if (versions.size > 1) return null;
  const base = owners.get("stat") ?? group[0]!;
  const from = (part: MemcgPart): MemcgSnapshot | undefined => owners.get(part);
  const partFiles: Partial<Record<MemcgPart, string>> = {};
  for (const [part, s] of owners) if (s.source.file !== base.source.file) partFiles[part] = s.source.file;
  const valueSources: NonNullable<MemcgSnapshot["valueSources"]> = {};
  for (const part of ["currentBytes", "limitBytes", "peakBytes"] as const) {
    const at = from(part)?.valueSources?.[part];
    if (at) valueSources[part] = at;
  }
  const limitOwner = from("limitBytes");
  const merged: MemcgSnapshot = {
    source: base.source,
    path: null,
    version: [...versions][0] ?? null,
    stat: base.stat,
    statLines: base.statLines,
    currentBytes: from("currentBytes")?.currentBytes ?? null,
    limitBytes: limitOwner?.limitBytes ?? null,
    peakBytes: from("peakBytes")?.peakBytes ?? null,
    events: from("events")?.events ?? {},
    eventLines: from("events")?.eventLines ?? {},
    partFiles,
  };
  if (Object.keys(valueSources).length > 0) merged.valueSources = valueSources;
  if (limitOwner?.limitUnlimited !== undefined) merged.limitUnlimited = limitOwner.limitUnlimited;
  const pressure = from("pressure")?.pressure;
  if (pressure) merged.pressure = pressure;
  const takenAt = group.find((s) => s.takenAtText !== undefined)?.takenAtText;
  if (takenAt !== undefined) merged.takenAtText = takenAt;
  return merged;
}

// The parts a snapshot carries.
function partsOf(s: MemcgSnapshot): MemcgPart[] {
  const parts: MemcgPart[] = [];
  if (Object.keys(s.stat).length > 0) parts.push("stat");
  if (s.currentBytes !== null) parts.push("currentBytes");
  if (s.limitBytes !== null || s.limitUnlimited) parts.push("limitBytes");
  if (s.peakBytes !== null) parts.push("peakBytes");
  if (Object.keys(s.events).length > 0) parts.push("events");
  if (s.pressure) parts.push("pressure");
  return parts;
}
