/**
 * kubectl-describe: `kubectl describe pod` (one or many pods), fragments of it as posted in
 * issues, and `kubectl describe node`.
 * Extracts pods (phase, reason, QoS, owner, node), containers (id, image, command/args, state and
 * last state with reason, exit code, signal and times, restart count, memory limit and request,
 * liveness probe, env, mounts), memory-backed emptyDir volumes, and the events table (pod events;
 * node events such as SystemOOM / OOMKilling, and a MemoryPressure=True node condition).
 * Format: kubectl `pkg/describe/describe.go` (`describePod`, `describeContainers`,
 * `describeStatus`, `DescribeEvents`, `describeNode`); times RFC1123Z in the client's zone,
 * ages from apimachinery `HumanDuration`.
 *
 * Sample input:
 * ```text
 * Name:             giant-narwhal-db7507c805-7ss9f
 * Namespace:        app-02
 * Node:             node-bh8i6y/10.119.243.14
 * Status:           Running
 * Containers:
 *   main:
 *     Container ID:  containerd://d7c98883b998ccb69e91faa4185bc082a5e8b05d916e8d6d01de2ca474e8826c
 *     State:          Waiting
 *       Reason:       CrashLoopBackOff
 *     Last State:     Terminated
 *       Reason:       OOMKilled
 *       Exit Code:    137
 *       Started:      Tue, 12 Aug 2025 06:42:07 +0200
 *       Finished:     Tue, 12 Aug 2025 06:42:07 +0200
 *     Restart Count:  16
 *     Limits:
 *       memory:  50Mi
 * QoS Class:                   Burstable
 * Events:
 *   Type     Reason     Age                    From     Message
 *   ----     ------     ----                   ----     -------
 *   Warning  BackOff    3m19s (x256 over 58m)  kubelet  Back-off restarting failed container main in pod giant-narwhal-db7507c805-7ss9f_app-02(cb3c22c6-cd5d-4dfd-844b-4fc7297faa79)
 * ```
 *
 * Choices (see `kubectl-describe/reader.ts`): a fragment without `Name:` gives pods with null
 * name/namespace; each unnamed container snapshot in a fragment is its own pod fact, with the
 * container name "" when the fragment does not show it. Pod events get
 * `involved = {kind: "Pod", name, namespace, uid}`, the uid taken from a kubelet message's
 * `name_namespace(uid)` form when present (it also fills `PodFact.uid`); node events get
 * `involved.kind = "Node"`. An event's `ageText` is its last-seen age (`87s` of
 * `87s (x23 over 6m33s)`), its `count` the `x23`; the describe's own time is unknown, so
 * `firstMs`/`lastMs` stay null except in pre-1.1 output that printed times. Wrapped event
 * messages are joined with a space; `(combined from similar events): ` is removed. A node's
 * `MemoryPressure  True` condition becomes an event with reason `MemoryPressure`, type null,
 * message `<condition reason>: <condition message>`, firstMs = LastTransitionTime and
 * lastMs = LastHeartbeatTime. A describe node gives no pod fact; its capacity and allocatable
 * memory are not recorded (FactSet has no node fact).
 */
import type { Ingester } from "./types.js";
import { DescribeReader } from "./kubectl-describe/reader.js";
import { DescribeRelayout } from "./kubectl-describe/relayout.js";

/** Pod-side markers (`describePod` / `describeStatus` keys, Title Case, `\t`-padded). */
const POD_MARKERS: readonly RegExp[] = [
  /** `    State:          Terminated` / `    Last State:     Terminated` */
  /^[ \t]*(?:Last )?State:[ \t]+(?:Running|Waiting|Terminated)\b/m,
  /** `    Restart Count:  6` */
  /^[ \t]*Restart Count:[ \t]+\d+/m,
  /** `      Exit Code:    137` */
  /^[ \t]*Exit Code:[ \t]+-?\d+/m,
  /** `    Container ID:  containerd://57f7…` */
  /^[ \t]*Container ID:[ \t]+[\w.-]+:\/\//m,
  /** `QoS Class:                   Burstable` */
  /^QoS Class:[ \t]+\w+/m,
  /** `Controlled By:  ReplicaSet/analytics-exporter-fast-d8511059e` */
  /^Controlled By:[ \t]+\w+\//m,
  /** `Start Time:       Thu, 27 Feb 2025 07:30:28 +0100` */
  /^Start Time:[ \t]+\w{3}, /m,
  /** `Node:             node-p77iyi/10.92.42.63` */
  /^Node:[ \t]+\S+\/[\d.:a-f]*$/m,
  /** `Containers:` / `Init Containers:` */
  /^(?:Init )?Containers:[ \t]*$/m,
  /** `  Type     Reason     Age    From     Message` (DescribeEvents header) */
  /^[ \t]*Type[ \t]+Reason[ \t]+Age[ \t]+From[ \t]+Message[ \t]*$/m,
  /** pre-1.9 `  FirstSeen	LastSeen	Count	From	SubObjectPath	Type	Reason	Message` */
  /^[ \t]*FirstSeen[ \t]+LastSeen[ \t]+Count[ \t]+From\b/m,
];

/** Node-side markers (`describeNode`). */
const NODE_MARKERS: readonly RegExp[] = [
  /** `Roles:              <none>` */
  /^Roles:[ \t]/m,
  /** `  MemoryPressure   False   Mon, 13 Dec 2021 …   KubeletHasSufficientMemory   …` */
  /^[ \t]*MemoryPressure[ \t]+(?:True|False|Unknown)\b/m,
  /** `Allocatable:` / `Capacity:` */
  /^(?:Allocatable|Capacity):[ \t]*$/m,
  /** `System Info:` with `  Kubelet Version:  v1.29.1` */
  /^System Info:[ \t]*$/m,
  /^[ \t]*Kubelet Version:[ \t]+v\d/m,
  /** `Non-terminated Pods:          (12 in total)` */
  /^Non-terminated Pods:/m,
];

/** `Name:` and `Namespace:` at column 0, the first two lines of a pod description. */
const NAME_LINE = /^Name:[ \t]+\S/m;
const NAMESPACE_LINE = /^Namespace:[ \t]+\S/m;

/** JSON starts with `{` or `[`; YAML documents with `apiVersion:`/`kind:` keys. */
const JSON_OR_YAML_START = /^\s*(?:[{[]|---\s*$|apiVersion:|kind:)/;

/**
 * True for describe-pod output (whole or fragment) and describe-node output: two or more pod
 * markers (or `Name:` + `Namespace:` + one), or two or more node markers. JSON and YAML
 * (lower-case camelCase keys such as `exitCode: 137`) never match these Title Case keys.
 */
function sniff(head: string): boolean {
  if (JSON_OR_YAML_START.test(head)) return false;
  const pod = POD_MARKERS.filter((re) => re.test(head)).length;
  const node = NODE_MARKERS.filter((re) => re.test(head)).length;
  const named = NAME_LINE.test(head) && NAMESPACE_LINE.test(head);
  return pod >= 2 || node >= 2 || (named && (pod >= 1 || node >= 1));
}

/**
 * The `kubectl-describe` ingester. `parse` streams lines into a `DescribeReader`; it never
 * throws on content: unplaceable lines become `kubectl-describe/unplaced-line` warnings
 * (consecutive lines grouped, with `line`/`endLine`), bad numbers, times and quantities
 * `kubectl-describe/bad-*` warnings, and a file without any pod, container or event one
 * `kubectl-describe/nothing-found` error.
 */
export const kubectlDescribe: Ingester = {
  kind: "kubectl-describe",
  description: "kubectl describe pod (one or many, or fragments) and describe node: states, limits, events",
  nameHint: /describe/i,
  sniff,
  async parse(source) {
    const reader = new DescribeReader(source.path);
    const layout = new DescribeRelayout();
    for await (const { line, text } of source.lines()) for (const t of layout.feed(text)) reader.feed(line, t);
    const facts = reader.finish();
    return facts;
  },
};
