/**
 * Which metric series and memcg snapshots speak about a subject. Series: by their
 * `pod`/`container`/`namespace` labels; snapshots: by the pod UID / container ID their cgroup
 * path encodes. Unlabelled series and path-less snapshots belong to every subject.
 */
import type { MemcgSnapshot, MetricSeries } from "../model/facts.js";
import type { Subject } from "../model/incident.js";
import { sameContainerId } from "./attribute.js";
import { parseMemcgPath } from "./memcg-path.js";

/** The memcg snapshots of `all` whose cgroup path names this subject's container or pod, or no pod at all. */
export function snapshotsFor(subject: Subject, all: MemcgSnapshot[]): MemcgSnapshot[] {
  return all.filter((snap) => {
    const info = snap.path ? parseMemcgPath(snap.path) : null;
    if (info?.containerId && subject.containerId) return sameContainerId(info.containerId, subject.containerId);
    if (info?.podUid && subject.podUid) return info.podUid === subject.podUid;
    return true;
  });
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
