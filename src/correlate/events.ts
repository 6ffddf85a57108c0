/**
 * Which events speak about a pod or a node. Events are indexed once by the pod they name (UID,
 * name) and by the describe section they were printed in, so a bundle of thousands of pods
 * costs one pass rather than one pass per subject.
 */
import type { KubeEvent } from "../model/facts.js";
import type { MergedPod } from "./pods.js";

/** Events of a bundle, looked up by pod or node. */
export interface EventIndex {
  /** The events that may be about `pod` (to be confirmed with `aboutPod`). */
  forPod(pod: MergedPod): KubeEvent[];
  /** Node events of `node`, of unnamed nodes, or of any node when `node` is null. */
  forNode(node: string | null): KubeEvent[];
}

/** Builds the index. */
export function indexEvents(events: KubeEvent[]): EventIndex {
  const byUid = new Map<string, KubeEvent[]>();
  const byName = new Map<string, KubeEvent[]>();
  const unnamedByFile = new Map<string, KubeEvent[]>();
  const nodeEvents: KubeEvent[] = [];
  const push = (m: Map<string, KubeEvent[]>, key: string, e: KubeEvent) => {
    const list = m.get(key);
    if (list) list.push(e);
    else m.set(key, [e]);
  };
  for (const e of events) {
    const inv = e.involved;
    if (inv?.kind === "Node") nodeEvents.push(e);
    else if (inv?.uid || inv?.name) {
      if (inv.uid) push(byUid, inv.uid, e);
      if (inv.name) push(byName, inv.name, e);
    } else push(unnamedByFile, e.source.file, e);
  }
  return {
    forPod(pod) {
      const found = new Set<KubeEvent>();
      const add = (list: KubeEvent[] | undefined) => list?.forEach((e) => found.add(e));
      if (pod.pod.uid) add(byUid.get(pod.pod.uid));
      if (pod.pod.name) add(byName.get(pod.pod.name));
      for (const part of pod.parts) {
        add(unnamedByFile.get(part.source.file));
        if (part.uid) add(byUid.get(part.uid));
      }
      return [...found];
    },
    forNode(node) {
      return nodeEvents.filter((e) => node === null || e.involved!.name === null || e.involved!.name === node);
    },
  };
}

/**
 * True when the event is about the pod: the same UID when both are known, else the same name
 * (and namespace when both are known); an event naming no object belongs to the pod printed in
 * the same describe section (or the only pod of its file).
 */
export function aboutPod(e: KubeEvent, pod: MergedPod): boolean {
  const inv = e.involved;
  if (inv?.kind === "Node") return false;
  if (!inv || (!inv.name && !inv.uid))
    return pod.parts.some(
      (p) => p.source.file === e.source.file && within(e.source.line, p.source.line, p.source.endLine),
    );
  if (inv.uid && pod.pod.uid) return inv.uid === pod.pod.uid;
  return (
    inv.name === pod.pod.name &&
    (inv.namespace === null || pod.pod.namespace === null || inv.namespace === pod.pod.namespace)
  );
}

// A line inside [start, end]; with no range known, any line.
function within(line: number | undefined, start: number | undefined, end: number | undefined): boolean {
  if (line === undefined || start === undefined || end === undefined) return true;
  return line >= start && line <= end;
}
