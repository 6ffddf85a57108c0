/**
 * A pod the kubelet evicted, as an `Evicted` event about it tells (kubelet `eviction_manager.go`
 * `evictPod` posts it with the same message it sets as the pod's `status.message`): when the
 * bundle has the events but not the pod, the event alone makes the pod known as evicted, in
 * phase `Failed` (what the kubelet sets), with the containers the message names
 * (`Container export was using 3313152Ki, …`, read by `eviction-message.ts`) and the message's
 * figures. Nothing else about the pod is invented.
 *
 * Sample message (kubelet 1.28+):
 * `The node was low on resource: memory. Threshold quantity: 100Mi, available: 91212Ki. Container export was using 3313152Ki, request is 512Mi, has larger consumption of memory.`
 */
import { blankContainer, blankPod, type KubeEvent, type PodFact } from "../../model/facts.js";

/** Longer messages are not the kubelet's. */
const MAX_MESSAGE = 8192;

/** The evicted pod an `Evicted` event about a pod describes, or null for any other event. */
export function podFromEviction(e: KubeEvent): PodFact | null {
  const inv = e.involved;
  if (e.reason !== "Evicted" || inv?.kind !== "Pod" || !inv.name || e.message.length > MAX_MESSAGE) return null;
  return withEvictedContainers(
    blankPod(e.source, {
      name: inv.name,
      namespace: inv.namespace,
      uid: inv.uid ?? null,
      phase: "Failed",
      reason: "Evicted",
      message: e.message,
      eviction: e.eviction ?? null,
    }),
  );
}

/**
 * An evicted pod whose containers the capture does not show (an `Evicted` event, a `status`
 * fragment, a describe cut before `Containers:`) gets the containers its eviction message names,
 * or one unnamed container, so the eviction has a subject. Any other pod is returned as is.
 */
export function withEvictedContainers(pod: PodFact): PodFact {
  if (pod.containers.length > 0 || (pod.reason !== "Evicted" && !pod.eviction)) return pod;
  const names = [...new Set((pod.eviction?.containers ?? []).map((c) => c.name))];
  return {
    ...pod,
    containers: (names.length > 0 ? names : [""]).map((name) =>
      blankContainer(name, pod.eviction?.source ?? pod.source),
    ),
  };
}
