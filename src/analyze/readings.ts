/**
 * Memory readings for cgroups with no kill: a memory.stat snapshot that no incident explains
 * still answers "is this dashboard number a problem?" (the page-cache false alarm of
 * DESIGN.md §3). Each snapshot is read with the same anatomy as an incident's.
 */
import type { Correlation } from "../correlate/index.js";
import { resolveLimit } from "../correlate/limit.js";
import type { SnapshotOwner } from "../correlate/series.js";
import type { FactSet } from "../model/facts.js";
import type { MemoryAnatomy, MemoryReading, Subject } from "../model/incident.js";
import { memoryAnatomy } from "./anatomy.js";

/**
 * Readings for the memcg snapshots that none of `used` (the subjects' anatomies) was read from. The subject is the one
 * correlate attributed the snapshot to (`Correlation.snapshots`: its cgroup path's container ID
 * or pod UID, or the bundle's only pod).
 */
export function memoryReadings(
  facts: FactSet,
  correlation: Correlation,
  anatomies: (MemoryAnatomy | null)[],
): MemoryReading[] {
  const used = new Set(anatomies.map((a) => a && `${a.source.file}:${a.source.line ?? ""}`));
  const readings: MemoryReading[] = [];
  for (const owner of correlation.snapshots) {
    const { snap, pod, container } = owner;
    if (Object.keys(snap.stat).length === 0) continue;
    const subject = subjectOf(owner);
    const facts1 = { container, kernelKills: [], memcgSnapshots: [snap], series: [] };
    const anatomy = memoryAnatomy(
      {
        subject,
        pod: pod?.pod ?? null,
        ...facts1,
        podEvents: [],
        nodeEvents: [],
        pmaps: [],
        runtimeConfigs: facts.runtimeConfigs,
        limit: resolveLimit(facts1),
      },
      [],
    );
    if (anatomy && !used.has(`${anatomy.source.file}:${anatomy.source.line ?? ""}`))
      readings.push({ subject, anatomy });
  }
  return readings;
}

function subjectOf({ info, pod, container }: SnapshotOwner): Subject {
  const p = pod?.pod ?? null;
  return {
    namespace: p?.namespace ?? null,
    pod: p?.name ?? null,
    podUid: p?.uid ?? info?.podUid ?? null,
    container: container?.name ?? null,
    containerId: info?.containerId ?? container?.containerId ?? null,
    node: p?.node ?? null,
  };
}
