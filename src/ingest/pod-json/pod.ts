/**
 * A `core/v1` Pod (`kubectl get pod -o json|yaml`, or the part of one a fragment holds) →
 * `PodFact`: identity from `metadata`, placement and volumes from `spec`, QoS/phase/eviction from
 * `status`, containers joined by `container.ts`.
 *
 * Sample input:
 * ```text
 * metadata:
 *   name: oom-kill-job3-gbb89
 *   namespace: message-oomkill-pod
 *   ownerReferences:
 *   - {apiVersion: batch/v1, kind: Job, name: oom-kill-job3, controller: true}
 * spec:
 *   nodeName: minikube
 *   volumes:
 *   - name: cache
 *     emptyDir: {medium: Memory, sizeLimit: 256Mi}
 * status:
 *   phase: Failed
 *   reason: Evicted
 *   message: 'The node was low on resource: memory. …'
 *   qosClass: Burstable
 * ```
 */
import type { PodFact, VolumeFact } from "../../model/facts.js";
import { parseEvictionMessage } from "../shared/eviction-message.js";
import { withEvictedContainers } from "../shared/event-eviction.js";
import { mapContainers, quantity, timeMs } from "./container.js";
import type { Ctx, Node } from "./tree.js";
import { child, items, lineOf, refOf, str } from "./tree.js";

/** The parts of a pod a document holds; a fragment may hold only `status` (or only one of them). */
export interface PodView {
  /** The node the pod was read from (the whole Pod, or the fragment's root). */
  node: Node;
  metadata?: Node | undefined;
  spec?: Node | undefined;
  status?: Node | undefined;
}

/**
 * Maps a pod to a `PodFact`. `source.line` is the line of `metadata.name` (else of the node),
 * `endLine` the pod's last line. Missing parts give nulls and empty arrays; never throws.
 */
export function mapPod(view: PodView, ctx: Ctx): PodFact {
  const { metadata, spec, status } = view;
  const nameNode = child(metadata, "name");
  return withEvictedContainers({
    source: refOf(ctx, view.node, nameNode?.line ?? view.node.line),
    name: str(nameNode),
    namespace: str(child(metadata, "namespace")),
    uid: str(child(metadata, "uid"))?.toLowerCase() ?? null,
    node: str(child(spec, "nodeName")),
    nodeIp: str(child(status, "hostIP")),
    qosClass: str(child(status, "qosClass")),
    phase: str(child(status, "phase")),
    reason: str(child(status, "reason")),
    message: str(child(status, "message")),
    startTimeMs: timeMs(child(status, "startTime"), ctx, "status.startTime"),
    owner: controller(metadata),
    terminationGracePeriodSeconds: num0(child(spec, "terminationGracePeriodSeconds")),
    eviction: parseEvictionMessage(str(child(status, "message")), {
      file: ctx.file,
      line: child(status, "message")?.line ?? view.node.line,
    }),
    deletion: deletion(metadata, ctx),
    limitRanger: limitRanger(metadata, ctx),
    containers: mapContainers(spec, status, ctx),
    volumes: items(child(spec, "volumes")).flatMap((v) => volume(v, ctx)),
  });
}

/** `metadata.ownerReferences[controller=true]`; a lone reference without the flag (old objects) counts. */
function controller(metadata: Node | undefined): PodFact["owner"] {
  const refs = items(child(metadata, "ownerReferences")).filter((r) => r.type === "map");
  const flagged = refs.find((r) => {
    const c = child(r, "controller");
    return c?.type === "scalar" && (c.value === true || c.value === "true");
  });
  const ref = flagged ?? (refs.length === 1 && child(refs[0], "controller") === undefined ? refs[0] : undefined);
  const kind = str(child(ref, "kind"));
  const name = str(child(ref, "name"));
  return kind !== null && name !== null ? { kind, name } : null;
}

/** `metadata.annotations["kubernetes.io/limit-ranger"]`: which requests and limits the LimitRanger admission plugin set. */
function limitRanger(metadata: Node | undefined, ctx: Ctx): PodFact["limitRanger"] {
  const node = child(child(metadata, "annotations"), "kubernetes.io/limit-ranger");
  const text = str(node);
  return text !== null && node ? { text: text.slice(0, 500), source: { file: ctx.file, line: node.line } } : null;
}

/** `metadata.deletionTimestamp` / `deletionGracePeriodSeconds` of a pod being deleted, else null. */
function deletion(metadata: Node | undefined, ctx: Ctx): PodFact["deletion"] {
  const at = child(metadata, "deletionTimestamp");
  const grace = child(metadata, "deletionGracePeriodSeconds");
  if (at === undefined && grace === undefined) return null;
  return {
    timestampMs: timeMs(at, ctx, "metadata.deletionTimestamp"),
    gracePeriodSeconds: num0(grace),
    source: { file: ctx.file, line: (at ?? grace)!.line },
  };
}

/** `spec.volumes[]` → VolumeFact (`emptyDir.medium: Memory` is tmpfs, charged to the pod's memcg). */
function volume(v: Node, ctx: Ctx): VolumeFact[] {
  const name = str(child(v, "name"));
  if (name === null) return [];
  const emptyDir = child(v, "emptyDir");
  return [
    {
      name,
      memoryBacked: str(child(emptyDir, "medium")) === "Memory",
      sizeLimitBytes: quantity(child(emptyDir, "sizeLimit"), ctx, `volume ${name} emptyDir.sizeLimit`),
      source: { file: ctx.file, line: lineOf(v, "name") },
    },
  ];
}

// A non-negative integer field, or null.
function num0(node: Node | undefined): number | null {
  const text = str(node);
  const n = text === null ? NaN : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : null;
}
