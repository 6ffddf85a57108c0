/**
 * pod-json: Kubernetes API objects as `kubectl get pod -o json|yaml` and
 * `kubectl get events -o json|yaml` print them: a Pod, a List/PodList of pods, an Event,
 * an EventList (`core/v1` or `events.k8s.io/v1`), multi-document YAML (`---`), several JSON
 * values in a row, and pasted fragments of a pod's `status` (an indented `containerStatuses:`
 * list, a Lens copy starting mid-`conditions`). Every fact cites the line of its node
 * (`terminated:` / `"terminated": {`, `memory: 100Mi`, `- name: JAVA_TOOL_OPTIONS`, `reason:`).
 * Format: Kubernetes API types `core/v1` Pod, ContainerStatus, Event; `events.k8s.io/v1` Event.
 *
 * Sample input:
 * ```text
 * apiVersion: v1
 * kind: Pod
 * metadata:
 *   name: api-7d9f8b6c5-x2x9q
 *   namespace: shop
 *   uid: 0b7f3c52-9a41-4c7e-8f0e-2d6a1b9c4e11
 * spec:
 *   containers:
 *   - name: api
 *     image: registry.example.com/shop/api:1.42.0
 *     resources:
 *       limits:
 *         memory: 512Mi
 * status:
 *   phase: Running
 *   qosClass: Burstable
 *   containerStatuses:
 *   - name: api
 *     containerID: containerd://4f1c2e9a7b3d
 *     restartCount: 3
 *     lastState:
 *       terminated:
 *         exitCode: 137
 *         reason: OOMKilled
 *         startedAt: "2024-03-07T08:02:11Z"
 *         finishedAt: "2024-03-07T09:14:02Z"
 * ```
 */
import type { FactSet, PodFact } from "../model/facts.js";
import { emptyFacts } from "../model/facts.js";
import { mapEvent } from "./pod-json/event.js";
import { loadDocuments, sizeUp, streamDocuments } from "./pod-json/load.js";
import type { PodView } from "./pod-json/pod.js";
import { mapPod } from "./pod-json/pod.js";
import type { Ctx, MapNode, Node } from "./pod-json/tree.js";
import { child, describeNode, has, str, warn } from "./pod-json/tree.js";
import { HEAD_BYTES, looksBinary } from "./source.js";
import type { ArtifactSource, Ingester } from "./types.js";
import { isEvictionMessage } from "./shared/eviction-message.js";
import { minOf } from "../util/arrays.js";
import { EventBudget } from "./shared/event-budget.js";
import { compact, SharedStrings } from "../util/shared-strings.js";

/** What a JSON/YAML node is to this ingester. */
type Shape =
  | { is: "pod"; view: PodView; fragment: string | null }
  | { is: "event" }
  | { is: "list"; items: Node[]; itemKind: string | null }
  | { is: "other"; what: string };

/** TypeMeta in JSON: `"kind": "Pod"` (also PodList, Event, EventList; items of a kubectl `List`). */
const JSON_KIND = /"kind"\s*:\s*"(?:Pod|PodList|Event|EventList)"/;

/** TypeMeta in YAML: `kind: Pod`, `  kind: Event` (an item of `kind: List`). */
const YAML_KIND = /^[ \t]*(?:-[ \t]+)?kind:[ \t]*["']?(?:Pod|PodList|Event|EventList)["']?[ \t]*(?:#.*)?$/m;

/**
 * Pod-status / event keys in JSON, as the API spells them: `"containerStatuses": [`, `"lastState": {`;
 * also a pod status that holds only the kubelet's eviction (`"reason": "Evicted"`, `"message": "The node was low on resource: …"`).
 */
const JSON_MARKER_KEY =
  /"(?:containerStatuses|initContainerStatuses|lastState|involvedObject|exitCode)"\s*:|"reason"\s*:\s*"Evicted"|"message"\s*:\s*"The node (?:was low on resource|had condition)/;

/** The same keys in YAML: `containerStatuses:`, `- lastState:`, `exitCode: 137`, `involvedObject:`, `reason: Evicted`, `message: 'The node was low on resource: …`. */
const YAML_MARKER_KEY =
  /^[ \t]*(?:-[ \t]+)?(?:(?:containerStatuses|initContainerStatuses|lastState|involvedObject|exitCode):(?:[ \t]|$)|reason:[ \t]*["']?Evicted\b|message:[ \t]*["']?The node (?:was low on resource|had condition))/m;

/**
 * kubectl describe labels (`    Exit Code:    137`, `    Last State:     Terminated`, `QoS Class:`):
 * keys with a space, which API objects never have. Such a file belongs to `kubectl-describe`.
 */
const DESCRIBE_LABEL =
  /^[ \t]*(?:Exit Code|Last State|Restart Count|Container ID|Image ID|QoS Class|Controlled By|Start Time|Priority Class Name|Termination Grace Period):[ \t]/m;

/**
 * First meaningful line of a JSON/YAML document: `{`, `[{`, `---`, `- item`, `key:` (any
 * indentation, for fragments), or the `kubectl get …` command line pasted above the output.
 */
const DOCUMENT_START =
  /^[ \t]*(?:\{|\[[ \t]*(?:$|[{["])|---|-(?:[ \t]|$)|[A-Za-z_"'][\w./"'-]*[ \t]*:(?:[ \t]|$)|(?:\$[ \t]*|>[ \t]*)?kubectl[ \t])/;

/** Blank and `#` comment lines, skipped when looking for the document start. */
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?$/;

/** Carriage returns of CRLF files (the head is not normalised). */
const CARRIAGE_RETURN = /\r/g;

/** Keys of a pod `status` (a fragment holding only the status). */
const POD_STATUS_KEYS = [
  "containerStatuses",
  "initContainerStatuses",
  "qosClass",
  "phase",
  "conditions",
  "hostIP",
  "podIP",
  "startTime",
];

/** Keys of one core/v1 ContainerStatus. */
const CONTAINER_STATUS_KEYS = ["lastState", "state", "restartCount", "containerID"];

/**
 * Keys of one core/v1 ContainerStateTerminated (`jq '.status.containerStatuses[].lastState.terminated'`
 * prints such objects alone): `exitCode` with `reason`, `signal` or a time, and none of a status's own keys.
 */
const TERMINATED_KEYS = ["reason", "signal", "finishedAt", "startedAt"];

/** Nested lists deeper than this are not followed. */
const MAX_LIST_DEPTH = 4;

/**
 * The `pod-json` ingester. `sniff` accepts JSON/YAML whose head shows a Pod/PodList/Event/
 * EventList `kind` or the API's camelCase status keys (`containerStatuses`, `lastState`,
 * `exitCode`, `involvedObject`), and rejects `kubectl describe` text (`Exit Code:    137`).
 * `parse` yields `pods` and `events`; it never throws: empty, binary, truncated or foreign
 * content becomes `pod-json/*` warnings with the line concerned.
 */
export const podJson: Ingester = {
  kind: "pod-json",
  description: "kubectl get pod|events -o json|yaml: pods, lists, events, multi-document YAML, pasted status fragments",
  nameHint: /\.(json|ya?ml)$/i,

  sniff(rawHead: string): boolean {
    const head = rawHead.replace(CARRIAGE_RETURN, "");
    if (looksBinary(head) || DESCRIBE_LABEL.test(head)) return false;
    const firstLine = head.split("\n", 50).find((l) => !BLANK_OR_COMMENT.test(l));
    if (firstLine === undefined || !DOCUMENT_START.test(firstLine)) return false;
    return JSON_KIND.test(head) || YAML_KIND.test(head) || JSON_MARKER_KEY.test(head) || YAML_MARKER_KEY.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const ctx: Ctx = { file: source.path, diagnostics: facts.diagnostics };
    const skipped: Tally = {
      kinds: new Map(),
      quietPods: 0,
      droppedPods: 0,
      events: new EventBudget("pod-json", source.path),
      strings: new SharedStrings(),
    };
    const size = await sizeUp(source);
    if (size.large) {
      if (looksBinary(source.head)) {
        warn(
          ctx,
          "binary",
          "file is binary — expected a Pod, List or Event as JSON or YAML text — received NUL/control bytes",
          1,
        );
        return facts;
      }
      for await (const doc of streamDocuments(source, size.first, ctx)) {
        // A top-level array's items were read one by one; what is left of it is `[]`.
        if (!doc.item && doc.root.type === "seq") continue;
        read(doc.root, doc.item ? itemKindOf(doc.listKind) : null, null, doc.item ? 1 : 0, ctx, facts, skipped);
      }
      warnSkipped(ctx, skipped);
      return facts;
    }
    const text = await source.text();
    if (text.trim() === "") {
      warn(ctx, "empty", "file is empty — expected a Pod, List or Event as JSON or YAML — received no content");
      return facts;
    }
    if (looksBinary(text.slice(0, HEAD_BYTES))) {
      warn(
        ctx,
        "binary",
        "file is binary — expected a Pod, List or Event as JSON or YAML text — received NUL/control bytes",
        1,
      );
      return facts;
    }
    for (const doc of loadDocuments(text, ctx, (root) => shape(root, null).is !== "other")) {
      read(doc.root, null, doc.repair, 0, ctx, facts, skipped);
    }
    warnSkipped(ctx, skipped);
    return facts;
  },
};

/**
 * Pods per file kept when nothing in their status shows trouble (running, never restarted, no
 * last state): past this, such pods are counted, not kept. A `kubectl get pods -A -o json` of
 * 500 MiB holds about 43,600 full pods (12 KB each as kubectl indents them; `npm run bench`), kept
 * as about 2.3 KiB of facts each (`compact`: 4.3 KiB as mapped); the ones that matter to an OOM
 * postmortem restarted or terminated. Pods that show trouble are always kept.
 *
 * @internal exported for its tests (not the public API)
 */
export const MAX_QUIET_PODS = 10_000;

/** What a file's lists held besides what was kept: item kinds skipped, quiet pods counted. */
interface Tally {
  kinds: Map<string, { count: number; line: number }>;
  quietPods: number;
  droppedPods: number;
  events: EventBudget;
  /** The strings of the pods kept from this file, each value once. */
  strings: SharedStrings;
}

function warnSkipped(ctx: Ctx, tally: Tally): void {
  tally.events.reportTo(ctx.diagnostics);
  if (tally.droppedPods > 0) {
    warn(
      ctx,
      "pod-budget",
      `${tally.droppedPods} pods without restarts or terminations not kept — expected at most ${MAX_QUIET_PODS} such pods per file — a kernel OOM kill in one of them is reported without its pod`,
    );
  }
  if (tally.kinds.size === 0) return;
  const kinds = [...tally.kinds].map(([k, v]) => `${v.count} × ${k}`).join(", ");
  warn(
    ctx,
    "unsupported-item",
    `list items skipped: ${kinds} — expected Pod or Event items`,
    minOf(
      [...tally.kinds.values()].map((v) => v.line),
      1,
    ),
  );
}

/** Keeps `pod` (a compact copy: see `src/util/shared-strings.ts`) unless it is quiet and the budget is spent. */
function keepPod(pod: PodFact, facts: FactSet, tally: Tally): void {
  if (quiet(pod) && ++tally.quietPods > MAX_QUIET_PODS) tally.droppedPods++;
  else facts.pods.push(compact(pod, tally.strings));
}

/** True when no container of `pod` restarted, terminated or waits, and the pod did not fail. */
function quiet(pod: PodFact): boolean {
  if (pod.reason !== null || pod.phase === "Failed") return false;
  return pod.containers.every(
    (c) => !c.restartCount && c.lastState === null && (c.state === null || c.state.kind === "running"),
  );
}

/** The kind of the items a list kind implies: `PodList` → `Pod`, `EventList` → `Event`, else null. */
function itemKindOf(listKind: string | null): string | null {
  return listKind === "PodList" ? "Pod" : listKind === "EventList" ? "Event" : null;
}

/** Reads one node (a document root or a list item) into `facts`. */
function read(
  node: Node,
  hint: string | null,
  repair: string | null,
  depth: number,
  ctx: Ctx,
  facts: FactSet,
  skipped: Tally,
): void {
  const s = shape(node, hint);
  if (repair !== null && !(s.is === "pod" && s.fragment !== null))
    warn(ctx, "fragment", `the file is a fragment: ${repair}`, node.line);
  switch (s.is) {
    case "pod":
      if (s.fragment !== null) {
        const how = repair ?? `read from line ${node.line}`;
        warn(
          ctx,
          "fragment",
          `the file is a fragment of a Pod: ${how}; it holds ${s.fragment} — pod name, namespace and uid are unknown`,
          node.line,
        );
      }
      keepPod(mapPod(s.view, ctx), facts, skipped);
      return;
    case "event": {
      // Like the events table (kubectl-get-events.ts): with the kill node-problem-detector's
      // OOMKilling carries, and the pod an Evicted event names.
      skipped.events.add(facts, mapEvent(node, ctx));
      return;
    }
    case "list":
      if (depth >= MAX_LIST_DEPTH) return;
      for (const item of s.items) read(item, s.itemKind, null, depth + 1, ctx, facts, skipped);
      return;
    case "other":
      if (depth === 0) {
        warn(
          ctx,
          "not-a-pod",
          `no Pod, pod status or Event here — expected kind Pod, PodList/List, Event/EventList or a status fragment — received ${s.what}`,
          node.line,
        );
      } else {
        const entry = skipped.kinds.get(s.what) ?? { count: 0, line: node.line };
        entry.count++;
        skipped.kinds.set(s.what, entry);
      }
  }
}

/** Classifies a node; `hint` is the item kind its list implies (`PodList` → `Pod`). */
function shape(node: Node, hint: string | null): Shape {
  if (node.type === "seq") {
    if (node.items.length > 0 && node.items.every(isTerminatedState)) {
      return statusFragment(
        node,
        { containerStatuses: { ...node, items: node.items.map(asLastState) } },
        "a list of terminated container states",
      );
    }
    if (node.items.some((i) => CONTAINER_STATUS_KEYS.some((k) => has(i, k)))) {
      return statusFragment(node, { containerStatuses: node }, "a list of container statuses");
    }
    if (!node.items.some((i) => i.type === "map")) return { is: "other", what: describeNode(node) };
    return { is: "list", items: node.items, itemKind: hint };
  }
  if (node.type !== "map") return { is: "other", what: describeNode(node) };
  const kind = str(child(node, "kind")) ?? hint;
  const metadata = child(node, "metadata");
  const spec = child(node, "spec");
  const status = child(node, "status");
  if (kind === "Pod") return { is: "pod", view: { node, metadata, spec, status }, fragment: null };
  if (kind === "Event") return { is: "event" };
  if (has(node, "items") && (kind === null || kind.endsWith("List"))) {
    const items = child(node, "items");
    return { is: "list", items: items?.type === "seq" ? items.items : [], itemKind: itemKindOf(kind) };
  }
  if (kind !== null) return { is: "other", what: `kind ${kind}` };
  if (has(node, "involvedObject") || has(node, "regarding")) return { is: "event" };
  if (metadata?.type === "map" && (spec?.type === "map" || status?.type === "map"))
    return { is: "pod", view: { node, metadata, spec, status }, fragment: null };
  if (spec?.type === "map" || status?.type === "map")
    return { is: "pod", view: { node, spec, status }, fragment: "`spec`/`status` without `kind`/`metadata`" };
  const keys = [...node.entries.keys()];
  const statusKeys = keys.filter(
    (k) =>
      POD_STATUS_KEYS.includes(k) ||
      (k === "reason" && str(child(node, k)) === "Evicted") ||
      (k === "message" && isEvictionMessage(str(child(node, k)))),
  );
  if (statusKeys.length > 0) {
    return {
      is: "pod",
      view: { node, status: node },
      fragment: `a pod \`status\` (${statusKeys.join(", ")}) without \`kind\`/\`metadata\``,
    };
  }
  if (has(node, "containers") || has(node, "initContainers"))
    return { is: "pod", view: { node, spec: node }, fragment: "a pod `spec` without `kind`/`metadata`" };
  if (isTerminatedState(node)) {
    const list: Node = { type: "seq", items: [asLastState(node)], line: node.line, endLine: node.endLine };
    return statusFragment(
      node,
      { containerStatuses: list },
      "one terminated container state (as `lastState.terminated` or `state.terminated` print it; which of the two is not shown)",
    );
  }
  if (keys.some((k) => CONTAINER_STATUS_KEYS.includes(k))) {
    const list: Node = { type: "seq", items: [node], line: node.line, endLine: node.endLine };
    return statusFragment(node, { containerStatuses: list }, "one container status");
  }
  return { is: "other", what: describeNode(node) };
}

/** A ContainerStateTerminated printed alone: `{"exitCode": 137, "reason": "OOMKilled", "finishedAt": …}`. */
function isTerminatedState(node: Node): boolean {
  if (node.type !== "map" || !has(node, "exitCode")) return false;
  if (CONTAINER_STATUS_KEYS.some((k) => k !== "containerID" && has(node, k)) || has(node, "name")) return false;
  return TERMINATED_KEYS.some((k) => has(node, k));
}

// A terminated state seen alone becomes the last state of an unnamed container status, with the
// state's `containerID` as the status's (it names the container that terminated).
function asLastState(node: Node): Node {
  const entries = new Map<string, Node>([
    ["lastState", { type: "map", entries: new Map([["terminated", node]]), line: node.line, endLine: node.endLine }],
  ]);
  const id = child(node, "containerID");
  if (id) entries.set("containerID", id);
  return { type: "map", entries, line: node.line, endLine: node.endLine };
}

// A pod whose status is made up around `entries` (a bare containerStatuses list or item).
function statusFragment(node: Node, entries: Record<string, Node>, what: string): Shape {
  const status: MapNode = {
    type: "map",
    entries: new Map(Object.entries(entries)),
    line: node.line,
    endLine: node.endLine,
  };
  return { is: "pod", view: { node, status }, fragment: `${what} without \`kind\`/\`metadata\`` };
}
