/**
 * Kills carried by events, joined to pods the bundle knows only from events. A `kubectl get
 * events` table often holds node-problem-detector's `OOMKilling` (a node event whose message is
 * the kernel's `Killed process 2710331 (gateway)` line) next to the kubelet's events about the pod
 * it killed (`Created container gateway`, `Started container gateway`, `Back-off restarting failed
 * container gateway in pod edge-gateway-6d5c4b3a29-r2d2x_edge(3e1c2b4a-…)`), but no pod JSON or
 * describe. Such a kill is joined to the one container those events name that fits:
 *
 * - process (required): the victim's name against the container's name, or the image the pod's
 *   `Pulled` event names when the pod's events name one container (`namesProcess`);
 * - node: the OOMKilling event's node against the pod's node (`Scheduled`: `Successfully assigned
 *   edge/x to node-1`); another node excludes the pod;
 * - time: the container (re)started when the kill happened: its `Created`/`Started`/`Pulled`
 *   event within 5 min after the kill (absolute times from `-o json`, or ages of the same table:
 *   `14m` and `14m`, compared at the resolution kubectl printed).
 *
 * Process plus node or time, nothing against it, one candidate → joined, with the basis stated;
 * several → not joined, and a note says which. Nothing is invented: the pod carries only the
 * names, UID, node and image its events print.
 */
import { parseKubeDuration } from "../ingest/k8s-time.js";
import { blankContainer, blankPod, type ContainerFact, type KubeEvent } from "../model/facts.js";
import type { KillJoin } from "../model/incident.js";
import { killProcess, namesProcess, type KernelKill, type PodContainer } from "./attribute.js";
import { basisWords, joinSummary, sameNode, type JoinBasis, type JoinNote } from "./join.js";
import type { MergedPod } from "./pods.js";

/** kubelet `Created container gateway`, `Started container gateway`, `Stopping container gateway`, `Back-off restarting failed container gateway in pod …`. */
const NAMES_CONTAINER =
  /^(?:Created|Started|Stopping) container ([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)$|^Back-off restarting failed container ([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?) in pod /;
/** The pod UID the kubelet appends to a back-off message: `in pod edge-gateway-…_edge(3e1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8)`. */
const BACKOFF_UID = /\bin pod [^\s_]+_\S+?\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/;
/** default-scheduler `Successfully assigned edge/edge-gateway-… to ip-10-14-2-61.ec2.internal`. */
const SCHEDULED = /^Successfully assigned \S+ to (\S+)$/;
/** kubelet `Container image "acme/edge-gateway:1.30.2" already present on machine`, `Successfully pulled image "…"`, `Pulling image "…"`. */
const IMAGE = /\bimage "([^"\s]{1,512})"/;
/** Events that mark a container (re)starting. */
const START_REASONS = new Set(["Created", "Started", "Pulled"]);
/** A container restarts within this long after its kill (the kubelet's back-off caps at 5 min). */
const RESTART_WINDOW_MS = 5 * 60_000 + 10_000;
/** A start may be stamped a moment before the kill's event. */
const EARLY_MS = 5_000;
/** kubectl ages: `14m`, `4m12s`, `2d3h`, `45s`. */
const AGE = /^(?:\d+[smhdy])+$/;
/** The resolution of an age printed to its last unit. */
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, y: 365 * 86_400_000 };

/** What the join decided for the kills carried by events. */
interface EventJoin {
  joined: Map<KernelKill, { owner: PodContainer; join: KillJoin }>;
  notes: JoinNote[];
}

/**
 * Joins `kills` (not tied by ID or by the evidence join) to containers of pods that only events
 * describe. `known` are the bundle's pods from pod artifacts: their events make no new pod.
 */
export function joinToEventPods(kills: KernelKill[], events: KubeEvent[], known: MergedPod[]): EventJoin {
  const out: EventJoin = { joined: new Map(), notes: [] };
  if (kills.length === 0) return out;
  const candidates = eventOnlyContainers(events, known);
  if (candidates.length === 0) return out;
  for (const kill of kills) {
    const process = killProcess(kill);
    if (!process) continue;
    const fits = candidates
      .map((c) => weighEventPod(kill, c, events))
      .filter((w): w is { target: EventContainer; basis: JoinBasis[] } => w !== null);
    if (fits.length === 1) {
      const { target, basis } = fits[0]!;
      out.joined.set(kill, { owner: target, join: { method: "evidence", basis, summary: joinSummary(basis) } });
    } else if (fits.length > 1) {
      const list = fits
        .map((f) => `${podName(f.target)}/${f.target.container.name} (${basisWords(f.basis)})`)
        .join("; ");
      out.notes.push({
        kills: [kill],
        containers: [],
        text: `the kill of ${process} at ${kill.oom.source.file}:${kill.oom.source.line ?? "?"} fits several containers known from events equally: ${list}. Not joined: the pod's describe or JSON (its node, its container IDs) would decide`,
      });
    }
  }
  return out;
}

/** A container of a pod known only from its events, with the events that named it. */
interface EventContainer extends PodContainer {
  starts: KubeEvent[];
}

/** Pods (by namespace/name) that events name and no pod artifact describes, with the containers their messages name. */
function eventOnlyContainers(events: KubeEvent[], known: MergedPod[]): EventContainer[] {
  const knownNames = new Set(known.map((p) => `${p.pod.namespace ?? ""}/${p.pod.name ?? ""}`));
  const byPod = new Map<string, KubeEvent[]>();
  for (const e of events) {
    const inv = e.involved;
    if (inv?.kind !== "Pod" || !inv.name) continue;
    const key = `${inv.namespace ?? ""}/${inv.name}`;
    if (knownNames.has(key) || knownNames.has(`/${inv.name}`)) continue;
    byPod.set(key, [...(byPod.get(key) ?? []), e]);
  }
  const out: EventContainer[] = [];
  for (const podEvents of byPod.values()) {
    const named = new Map<string, KubeEvent[]>();
    for (const e of podEvents) {
      const m = NAMES_CONTAINER.exec(e.message.trim());
      const name = m?.[1] ?? m?.[2];
      if (name) named.set(name, [...(named.get(name) ?? []), e]);
    }
    if (named.size === 0) continue;
    const first = podEvents[0]!;
    const uid =
      podEvents.map((e) => BACKOFF_UID.exec(e.message)?.[1] ?? e.involved?.uid ?? null).find((u) => u) ?? null;
    const node =
      podEvents
        .map((e) => (e.reason === "Scheduled" ? SCHEDULED.exec(e.message.trim())?.[1] : undefined))
        .find((n) => n) ?? null;
    // `Pulled` names no container: its image is the container's only when the pod's events name one.
    const image =
      named.size === 1
        ? (podEvents
            .map((e) => (e.reason === "Pulled" || e.reason === "Pulling" ? IMAGE.exec(e.message)?.[1] : undefined))
            .find((i) => i) ?? null)
        : null;
    const pulls = podEvents.filter((e) => e.reason === "Pulled");
    const pod = blankPod(first.source, {
      name: first.involved!.name,
      namespace: first.involved!.namespace,
      uid,
      node,
      containers: [...named.keys()].map((name) => containerFact(name, image, named.get(name)![0]!)),
    });
    const merged: MergedPod = { pod, parts: [pod] };
    for (const container of pod.containers) {
      const starts = [...named.get(container.name)!, ...(named.size === 1 ? pulls : [])].filter((e) =>
        START_REASONS.has(e.reason),
      );
      out.push({ pod: merged, container, starts });
    }
  }
  return out;
}

function containerFact(name: string, image: string | null, e: KubeEvent): ContainerFact {
  return blankContainer(name, e.source, { image });
}

/** The basis on which `kill` fits `target`, or null when it does not (no process match, another node, nothing besides the name). */
function weighEventPod(
  kill: KernelKill,
  target: EventContainer,
  events: KubeEvent[],
): { target: EventContainer; basis: JoinBasis[] } | null {
  const process = killProcess(kill);
  if (!namesProcess(target.container, process)) return null;
  const basis: JoinBasis[] = [
    {
      kind: "process",
      text: `process ${process} = container ${target.container.name}${target.container.image ? ` (image ${target.container.image})` : ""}`,
    },
  ];
  const host = kill.oom.host;
  if (host !== null) {
    const same = sameNode(host, target.pod.pod);
    if (same === false) return null;
    if (same) basis.push({ kind: "node", text: `node ${host}` });
  }
  const killEvent = events.find(
    (e) => e.source.file === kill.oom.source.file && e.source.line === kill.oom.source.line,
  );
  const restart = killEvent ? target.starts.map((s) => restartAfter(killEvent, s)).find((t) => t !== null) : null;
  if (restart) basis.push({ kind: "time", text: restart });
  return basis.length >= 2 ? { target, basis } : null;
}

/** Words for a start event that follows the kill's event closely, or null. */
function restartAfter(kill: KubeEvent, start: KubeEvent): string | null {
  const k = kill.lastMs ?? kill.firstMs;
  const s = start.lastMs ?? start.firstMs;
  if (k !== null && s !== null) {
    const d = s - k;
    return d >= -EARLY_MS && d <= RESTART_WINDOW_MS
      ? `${start.reason} ${Math.round(d / 1000)} s after the kill (${start.source.file}:${start.source.line ?? "?"})`
      : null;
  }
  if (kill.source.file !== start.source.file || !kill.ageText || !start.ageText) return null;
  const ka = age(kill.ageText);
  const sa = age(start.ageText);
  if (!ka || !sa) return null;
  // Ages of one table count back from one moment; each is printed rounded down to its last unit.
  const lo = ka.ms - RESTART_WINDOW_MS - sa.resolutionMs;
  const hi = ka.ms + ka.resolutionMs + EARLY_MS;
  return sa.ms >= lo && sa.ms <= hi
    ? `${start.reason} ${start.ageText} ago, as old as the kill (${kill.ageText}) in one table (${start.source.file}:${start.source.line ?? "?"})`
    : null;
}

/** A kubectl age (`4m12s`, `14m`) in ms with the resolution it was printed at (its last unit); null for `<unknown>` and other forms. */
function age(text: string): { ms: number; resolutionMs: number } | null {
  const t = text.trim().split(" ")[0]!;
  const ms = AGE.test(t) ? parseKubeDuration(t) : null;
  return ms === null ? null : { ms, resolutionMs: UNIT_MS[t.at(-1)!]! };
}

function podName(t: PodContainer): string {
  return `${t.pod.pod.namespace ? `${t.pod.pod.namespace}/` : ""}${t.pod.pod.name ?? "?"}`;
}
