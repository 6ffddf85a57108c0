/**
 * A Kubernetes Event → `KubeEvent`, in both API shapes `kubectl get events -o json|yaml` prints:
 * `core/v1` (`involvedObject`, `message`, `count`, `firstTimestamp`/`lastTimestamp`) and
 * `events.k8s.io/v1` (`regarding`, `note`, `deprecatedCount`, `deprecatedFirstTimestamp`,
 * `series.count`/`series.lastObservedTime`, `eventTime` with microseconds).
 *
 * Sample input:
 * ```text
 * - apiVersion: v1
 *   kind: Event
 *   type: Warning
 *   reason: OOMKilling
 *   message: 'Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:520000kB, …'
 *   involvedObject: {kind: Node, name: node-1, uid: node-1}
 *   count: 1
 *   firstTimestamp: "2024-03-07T09:14:01Z"
 *   lastTimestamp: "2024-03-07T09:14:01Z"
 * ```
 */
import type { KubeEvent } from "../../model/facts.js";
import { timeMs } from "./container.js";
import { parseEvictionMessage } from "../shared/eviction-message.js";
import type { Ctx, Node } from "./tree.js";
import { child, lineOf, num, refOf, str } from "./tree.js";

/**
 * Maps one Event object. `source.line` is the line of `reason:` (the event's identity), `endLine`
 * the object's last line. `count` falls back to `deprecatedCount`, `series.count`, then 1; times
 * to `eventTime` when the legacy timestamps are null. Never throws.
 */
export function mapEvent(node: Node, ctx: Ctx): KubeEvent {
  const about = child(node, "involvedObject") ?? child(node, "regarding");
  const series = child(node, "series");
  const first = timeMs(
    present(child(node, "firstTimestamp"), child(node, "deprecatedFirstTimestamp")),
    ctx,
    "firstTimestamp",
  );
  const last = timeMs(
    present(child(node, "lastTimestamp"), child(node, "deprecatedLastTimestamp")),
    ctx,
    "lastTimestamp",
  );
  const observed = timeMs(child(series, "lastObservedTime"), ctx, "series.lastObservedTime");
  const eventTime = timeMs(child(node, "eventTime"), ctx, "eventTime");
  const message = [child(node, "message"), child(node, "note")].find((n) => str(n) !== null);
  return {
    type: str(child(node, "type")),
    reason: str(child(node, "reason")) ?? "",
    message: str(message) ?? "",
    involved:
      about?.type === "map"
        ? {
            kind: str(child(about, "kind")),
            name: str(child(about, "name")),
            namespace: str(child(about, "namespace")),
            uid: str(child(about, "uid"))?.toLowerCase() ?? null,
          }
        : null,
    count: num(child(node, "count")) ?? num(child(node, "deprecatedCount")) ?? num(child(series, "count")) ?? 1,
    firstMs: first ?? eventTime ?? null,
    lastMs: last ?? observed ?? eventTime ?? first ?? null,
    ageText: null,
    source: refOf(ctx, node, lineOf(node, "reason")),
    eviction: parseEvictionMessage(str(message), { file: ctx.file, line: message?.line ?? node.line }),
  };
}

// The first node that holds a value (`firstTimestamp: null` falls through to the next).
function present(...nodes: (Node | undefined)[]): Node | undefined {
  return nodes.find((n) => n !== undefined && !(n.type === "scalar" && n.value === null));
}
