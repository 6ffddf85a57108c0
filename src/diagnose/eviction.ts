/**
 * The kubelet's eviction of a subject, as its eviction message tells (`ingest/shared/eviction-message.ts`):
 * which resource the node ran short of, how far below the threshold it was, and which containers
 * used more than they requested. Rules and advice read it here so they say the same thing.
 */
import type { SubjectFacts } from "../correlate/index.js";
import type { EvictionFact, EvictionQuantity, EvictionResource } from "../model/facts.js";
import type { IncidentEviction } from "../model/incident.js";
import { evidence, type Evidence } from "../model/source.js";
import { evictionAmount, evictionCountsBytes, evictionResourceName } from "../util/eviction-figures.js";

/** What each resource is, for a reader who does not know the kubelet's names. */
const RESOURCE_GLOSS: Partial<Record<EvictionResource, string>> = {
  "ephemeral-storage": "the node's local disk: container logs, writable layers, emptyDir volumes",
  inodes: "files on the node's disk",
  pids: "process IDs",
};

/** Every eviction message about the subject's pod: the pod's own `status.message` first, then its events. */
export function evictionsOf(s: SubjectFacts): EvictionFact[] {
  return [s.pod?.eviction ?? null, ...s.podEvents.map((e) => e.eviction ?? null)].filter(
    (e): e is EvictionFact => e !== null,
  );
}

/**
 * The subject's eviction message that says most: one that names the resource and the subject's
 * container, else one that names the resource, else the first. Null when the bundle has none.
 */
export function subjectEviction(s: SubjectFacts): EvictionFact | null {
  const all = evictionsOf(s);
  const name = s.container?.name ?? null;
  const score = (e: EvictionFact) =>
    (e.resource !== null ? 2 : 0) +
    (name !== null && e.containers.some((c) => c.name === name) ? 1 : 0) +
    (e.threshold ? 0.5 : 0);
  return all.reduce<EvictionFact | null>((best, e) => (best === null || score(e) > score(best) ? e : best), null);
}

/**
 * The message's figures in words, each with the text the kubelet printed. `head`: what the node
 * ran short of and what that resource is (null when the message does not say), with `tail`
 * (`, not memory` for a caller to pass) before the figures; `detail`: the containers and limits.
 * `the node was low on memory: 85.6 MiB (87608Ki) available against an eviction threshold of 100 MiB (100Mi)`,
 * `app was using 46.2 GiB (48458972Ki) against a request of 15 GiB (15Gi)`.
 */
export function evictionWords(e: EvictionFact, tail = ""): { head: string | null; detail: string } {
  const what = evictionResourceName(e);
  const bytes = evictionCountsBytes(e);
  const amount = (q: EvictionQuantity, b: boolean) => evictionAmount(q, b, true);
  const threshold =
    e.threshold && e.available
      ? `: ${amount(e.available, bytes)} available against an eviction threshold of ${amount(e.threshold, bytes)}`
      : "";
  const gloss = e.resource !== null && RESOURCE_GLOSS[e.resource] ? ` (${RESOURCE_GLOSS[e.resource]})` : "";
  const head = e.admission
    ? `the node had condition ${e.resourceText}${gloss} when the pod was admitted, so the kubelet refused it${tail}${threshold}`
    : what
      ? `the node was low on ${what}${gloss}${tail}${threshold}`
      : null;
  const detail = [
    ...e.containers.map(
      (c) =>
        `${c.name} was using ${amount(c.usage, bytes)} against a request of ${c.request.value === 0 ? "0 (none set)" : amount(c.request, bytes)}`,
    ),
    ...e.overLimit.map((l) =>
      l.scope === "container"
        ? `${l.name} exceeded its ephemeral-storage limit of ${l.limit.text}`
        : l.scope === "pod"
          ? `the pod exceeded its containers' total ephemeral-storage limit of ${l.limit.text}`
          : `emptyDir volume ${l.name} exceeded its sizeLimit of ${l.limit.text}`,
    ),
  ].join("; ");
  return { head, detail };
}

/** The message as evidence, cited at its line. */
export function evictionEvidence(e: EvictionFact): Evidence {
  return evidence(e.source, e.text);
}

/** The incident's `eviction` field: the figures of the subject's eviction message, or null. */
export function incidentEviction(s: SubjectFacts): IncidentEviction | null {
  const e = subjectEviction(s);
  if (!e) return null;
  return {
    resource: e.resource,
    resourceText: e.resourceText,
    admission: e.admission,
    threshold: e.threshold,
    available: e.available,
    containers: e.containers.map((c) => ({ name: c.name, usage: c.usage, request: c.request, resource: c.resource })),
    overLimit: e.overLimit,
    evidence: [evictionEvidence(e)],
  };
}
