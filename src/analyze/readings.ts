/**
 * Memory readings for cgroups with no kill: a memory.stat snapshot that no incident explains
 * still answers "is this dashboard number a problem?" (the page-cache false alarm of
 * DESIGN.md §3). Each snapshot is read with the same anatomy as an incident's.
 */
import type { Correlation } from "../correlate/index.js";
import { parseMemcgPath } from "../correlate/memcg-path.js";
import type { FactSet, MemcgSnapshot, PodFact } from "../model/facts.js";
import type { Incident, MemoryReading, Subject } from "../model/incident.js";
import { memoryAnatomy } from "./anatomy.js";

/**
 * Readings for the memcg snapshots that no incident's anatomy used. The subject is taken from
 * the snapshot's cgroup path (pod UID, container ID) and, when the bundle describes exactly one
 * pod with one container, from that pod.
 */
export function memoryReadings(facts: FactSet, correlation: Correlation, incidents: Incident[]): MemoryReading[] {
  const used = new Set(incidents.map((i) => i.anatomy && `${i.anatomy.source.file}:${i.anatomy.source.line ?? ""}`));
  const pods = correlation.pods.map((m) => m.pod);
  const readings: MemoryReading[] = [];
  for (const snap of facts.memcgSnapshots) {
    if (Object.keys(snap.stat).length === 0) continue;
    const { subject, pod } = subjectOf(snap, pods);
    const container = pod?.containers.find((c) => c.name === subject.container) ?? null;
    const anatomy = memoryAnatomy(
      { subject, pod, container, kernelKills: [], podEvents: [], nodeEvents: [], memcgSnapshots: [snap], pmaps: [], series: [], runtimeConfigs: facts.runtimeConfigs },
      [],
    );
    if (anatomy && !used.has(`${anatomy.source.file}:${anatomy.source.line ?? ""}`)) readings.push({ subject, anatomy });
  }
  return readings;
}

function subjectOf(snap: MemcgSnapshot, pods: PodFact[]): { subject: Subject; pod: PodFact | null } {
  const info = snap.path ? parseMemcgPath(snap.path) : null;
  const byUid = info?.podUid ? pods.find((p) => p.uid === info.podUid) : undefined;
  const only = pods.length === 1 && pods[0]!.containers.filter((c) => !c.init).length === 1 && !info?.podUid ? pods[0] : undefined;
  const pod = byUid ?? only ?? null;
  const container = pod ? (pod.containers.find((c) => info?.containerId && c.containerId?.startsWith(info.containerId)) ?? (pod.containers.length === 1 ? pod.containers[0]! : null)) : null;
  return {
    pod,
    subject: {
      namespace: pod?.namespace ?? null,
      pod: pod?.name ?? null,
      podUid: pod?.uid ?? info?.podUid ?? null,
      container: container?.name ?? null,
      containerId: container?.containerId ?? info?.containerId ?? null,
      node: pod?.node ?? null,
    },
  };
}
