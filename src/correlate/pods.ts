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
  for (const p of pods) {
    const same = merged.find((m) => samePod(m.pod, p));
    if (same) {
      same.pod = mergePod(same.pod, p);
      same.parts.push(p);
    } else merged.push({ pod: { ...p, containers: [...p.containers] }, parts: [p] });
  }
  return merged;
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
  return {
    ...fillNulls(a, b),
    containers,
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
