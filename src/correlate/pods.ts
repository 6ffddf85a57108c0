/**
 * Merges the pods seen by several artifacts (describe text and pod JSON of the same pod) into
 * one view per pod, and containers of the same name into one container.
 */
import type { ContainerFact, PodFact } from "../model/facts.js";

/** A pod with every artifact that described it; fields taken from the first that had them. */
export interface MergedPod {
  pod: PodFact;
  /** All the facts that were merged, for evidence. */
  parts: PodFact[];
}

/**
 * Groups pod facts by UID, else by namespace/name; facts with neither (fragments) stay alone.
 * A fragment can still join a pod when one of its container IDs matches.
 */
export function mergePods(pods: PodFact[]): MergedPod[] {
  const merged: MergedPod[] = [];
  const index = new CandidateIndex();
  for (const p of pods) {
    const same = index.candidates(p, merged).find((i) => samePod(merged[i]!.pod, p));
    if (same !== undefined) {
      const m = merged[same]!;
      m.pod = mergePod(m.pod, p);
      m.parts.push(p);
      index.add(m.pod, same);
    } else {
      merged.push({ pod: { ...p, containers: [...p.containers] }, parts: [p] });
      index.add(p, merged.length - 1);
    }
  }
  return merged;
}

/**
 * Which merged pods can match a new fact, without comparing it with all of them (a
 * `kubectl get pods -A -o json` of 80k pods would take 3·10⁹ comparisons): those sharing its
 * uid or its name, and those without a name (matched by container id). A fact without a name
 * may match any pod without a uid, so it is compared with all. Positions are returned in
 * ascending order, so the first match is the one a linear search would find.
 */
class CandidateIndex {
  private readonly byUid = new Map<string, Set<number>>();
  private readonly byName = new Map<string, Set<number>>();
  private readonly nameless = new Set<number>();

  add(pod: PodFact, at: number): void {
    if (pod.uid) addTo(this.byUid, pod.uid, at);
    if (pod.name) addTo(this.byName, pod.name, at);
    else this.nameless.add(at);
  }

  candidates(p: PodFact, merged: MergedPod[]): number[] {
    if (!p.name) return merged.map((_, i) => i);
    const out = new Set<number>(this.nameless);
    for (const i of (p.uid && this.byUid.get(p.uid)) || []) out.add(i);
    for (const i of this.byName.get(p.name) ?? []) out.add(i);
    return [...out].sort((a, b) => a - b);
  }
}

function addTo(map: Map<string, Set<number>>, key: string, at: number): void {
  const set = map.get(key);
  if (set) set.add(at);
  else map.set(key, new Set([at]));
}

function samePod(a: PodFact, b: PodFact): boolean {
  if (a.uid && b.uid) return a.uid === b.uid;
  if (a.name && b.name) return a.name === b.name && (a.namespace === b.namespace || !a.namespace || !b.namespace);
  const ids = new Set(a.containers.map((c) => c.containerId).filter(Boolean));
  return b.containers.some((c) => c.containerId !== null && ids.has(c.containerId));
}

function mergePod(a: PodFact, b: PodFact): PodFact {
  const containers = [...a.containers];
  for (const c of b.containers) {
    const i = containers.findIndex((x) => x.name === c.name && x.init === c.init);
    if (i >= 0) containers[i] = mergeContainer(containers[i]!, c);
    else containers.push(c);
  }
  // An unnamed, empty container stands in for an evicted pod's unknown containers
  // (shared/event-eviction.ts): once another artifact names them, it goes.
  const placeholder = (c: ContainerFact) =>
    c.name === "" && c.containerId === null && c.state === null && c.lastState === null;
  const kept = containers.some((c) => c.name !== "") ? containers.filter((c) => !placeholder(c)) : containers;
  return {
    ...fillNulls(a, b),
    containers: kept,
    volumes: a.volumes.length > 0 ? a.volumes : b.volumes,
  };
}

function mergeContainer(a: ContainerFact, b: ContainerFact): ContainerFact {
  return {
    ...fillNulls(a, b),
    command: a.command.length > 0 ? a.command : b.command,
    args: a.args.length > 0 ? a.args : b.args,
    env: a.env.length > 0 ? a.env : b.env,
    volumeMounts: a.volumeMounts.length > 0 ? a.volumeMounts : b.volumeMounts,
  };
}

/** `a` with every null/undefined field taken from `b`. */
function fillNulls<T extends object>(a: T, b: T): T {
  const out = { ...a } as Record<string, unknown>;
  for (const [k, v] of Object.entries(b)) if (out[k] === null || out[k] === undefined) out[k] = v;
  return out as T;
}
