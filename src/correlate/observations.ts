/**
 * Observations of a subject from the kinds beyond the kill record: the VerticalPodAutoscaler
 * recommendation for its container, `kubectl top` readings of it and of its node, `/proc/<pid>`
 * memory of its processes, BCC memleak reports. Matching is by the names the artifacts print
 * (namespace, pod, container, node, the VPA's target workload); an artifact that names nothing
 * (a `/proc/1/status`, a memleak report) belongs to every subject of the bundle.
 */
import type {
  AllocationReport,
  FactSet,
  ProcessMemoryFact,
  TopReading,
  VpaContainerRecommendation,
  VpaFact,
} from "../model/facts.js";
import type { Subject } from "../model/incident.js";

/** What the bundle's other kinds say about one subject. */
export interface SubjectObservations {
  /** The VPA recommendation for this container (with the VPA it came from), when one targets its workload. */
  vpa: { vpa: VpaFact; recommendation: VpaContainerRecommendation }[];
  /** `kubectl top pod [--containers]` rows of this pod/container. */
  top: TopReading[];
  /** `kubectl top node` rows of the subject's node (all nodes when the node is unknown). */
  nodeTop: TopReading[];
  /** `/proc/<pid>/status` and `smaps_rollup` readings. */
  processes: ProcessMemoryFact[];
  /** BCC memleak reports. */
  allocations: AllocationReport[];
}

/** The observations of `facts` that are about `subject`. */
export function observationsFor(
  subject: Subject,
  owner: { kind: string; name: string } | null,
  facts: FactSet,
): SubjectObservations {
  return {
    vpa: vpaFor(subject, owner, facts.vpas ?? []),
    top: (facts.topReadings ?? []).filter(
      (r) =>
        r.scope !== "node" &&
        sameName(r.pod, subject.pod) &&
        sameName(r.namespace, subject.namespace) &&
        sameName(r.container, subject.container),
    ),
    nodeTop: (facts.topReadings ?? []).filter((r) => r.scope === "node" && sameName(r.node, subject.node)),
    processes: facts.processes ?? [],
    allocations: facts.allocations ?? [],
  };
}

/**
 * A VPA is about the subject when its namespace agrees, its `targetRef` names the pod's workload
 * (the Deployment `ledger-api` of pod `ledger-api-6f7a8b9c0d-k8mzt`, the pod's controller, or the
 * pod itself) and it has a recommendation for the container. A VPA whose target cannot be
 * compared (no pod name known) still matches by container name.
 */
function vpaFor(
  subject: Subject,
  owner: { kind: string; name: string } | null,
  vpas: VpaFact[],
): SubjectObservations["vpa"] {
  const out: SubjectObservations["vpa"] = [];
  for (const v of vpas) {
    if (!sameName(v.namespace, subject.namespace)) continue;
    if (!targets(v, subject, owner)) continue;
    const rec =
      v.containers.find((c) => c.container === subject.container) ??
      (subject.container === null && v.containers.length === 1 ? v.containers[0] : undefined);
    if (rec) out.push({ vpa: v, recommendation: rec });
  }
  return out;
}

function targets(v: VpaFact, subject: Subject, owner: { kind: string; name: string } | null): boolean {
  const name = v.targetRef?.name ?? null;
  if (name === null || subject.pod === null) return true;
  if (owner && (owner.name === name || owner.name.startsWith(`${name}-`))) return true;
  return subject.pod === name || subject.pod.startsWith(`${name}-`);
}

// Two names agree when either is unknown or they are equal.
function sameName(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}
