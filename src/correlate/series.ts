/**
 * Which metric series and memcg snapshots speak about a subject. Series: by their
 * `pod`/`container`/`namespace` labels; snapshots: by the pod UID / container ID their cgroup
 * path encodes. Unlabelled series and path-less snapshots belong to every subject.
 */
import type { ContainerFact, MemcgSnapshot, MetricSeries } from "../model/facts.js";
import type { Subject } from "../model/incident.js";
import { knownContainerIds, sameContainerId, type PodContainer } from "./attribute.js";
import { parseMemcgPath, type MemcgPathInfo } from "./memcg-path.js";
import type { MergedPod } from "./pods.js";

/** A memcg snapshot with what its cgroup path says (parsed once) and whose it is, when the bundle tells. */
export interface SnapshotOwner {
  snap: MemcgSnapshot;
  info: MemcgPathInfo | null;
  pod: MergedPod | null;
  container: ContainerFact | null;
}

/**
 * Whose each snapshot is: the container whose current or killed ID its path names; else the pod
 * of its UID (and that pod's container when it has one app container); else, for a path naming
 * no pod, the bundle's only pod when it has one app container. Unknown parts stay null.
 */
export function snapshotOwners(snaps: MemcgSnapshot[], pods: MergedPod[]): SnapshotOwner[] {
  const containers: PodContainer[] = pods.flatMap((pod) => pod.pod.containers.map((container) => ({ pod, container })));
  const apps = (p: MergedPod) => p.pod.containers.filter((c) => !c.init);
  return snaps.map((snap) => {
    const info = snap.path ? parseMemcgPath(snap.path) : null;
    const byId = info?.containerId
      ? containers.find((c) => knownContainerIds(c.container).some((id) => sameContainerId(id, info.containerId)))
      : undefined;
    if (byId) return { snap, info, pod: byId.pod, container: byId.container };
    const byUid = info?.podUid ? pods.find((p) => p.pod.uid === info.podUid) : undefined;
    const only = !info?.podUid && pods.length === 1 && apps(pods[0]!).length === 1 ? pods[0] : undefined;
    const pod = byUid ?? only ?? null;
    return { snap, info, pod, container: pod && apps(pod).length === 1 && !info?.containerId ? apps(pod)[0]! : null };
  });
}

/**
 * The snapshots whose cgroup path names this subject's container (the killed one or its live
 * replacement) or pod, or no pod at all.
 */
export function snapshotsFor(subject: Subject, all: SnapshotOwner[]): MemcgSnapshot[] {
  return all
    .filter(({ info }) => {
      if (info?.containerId && (subject.containerId || subject.liveContainerId))
        return (
          sameContainerId(info.containerId, subject.containerId) ||
          sameContainerId(info.containerId, subject.liveContainerId ?? null)
        );
      if (info?.podUid && subject.podUid) return info.podUid === subject.podUid;
      return true;
    })
    .map((o) => o.snap);
}

/**
 * The series of `all` that are about `subject`. Labels: `pod`/`container`/`namespace`, or the
 * pre-1.16 cAdvisor `pod_name`/`container_name`, or `exported_*` (relabelled by a federating Prometheus).
 */
export function seriesFor(subject: Subject, all: MetricSeries[]): MetricSeries[] {
  return all.filter((s) => {
    const l = s.labels;
    const pod = l["pod"] ?? l["pod_name"] ?? l["exported_pod"];
    const container = l["container"] ?? l["container_name"] ?? l["exported_container"];
    const namespace = l["namespace"] ?? l["exported_namespace"];
    if (pod !== undefined && subject.pod !== null && pod !== subject.pod) return false;
    if (container !== undefined && subject.container !== null && container !== subject.container) return false;
    if (namespace !== undefined && subject.namespace !== null && namespace !== subject.namespace) return false;
    return true;
  });
}
