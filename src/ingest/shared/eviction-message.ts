/**
 * The kubelet's eviction message, in every form it has printed, read into figures. The kubelet
 * sets it as the evicted pod's `status.message` (describe `Message:`) and posts it as the
 * `Evicted` event's message (kubernetes `pkg/kubelet/eviction/helpers.go`, `evictionMessage`;
 * the admission form from `eviction_manager.go` `Admit`). Its parts, each optional:
 *
 * - `The node was low on resource: <resource>. ` (`nodeLowMessageFmt`): `memory`,
 *   `ephemeral-storage`, `inodes`, `pids`; kubelets before 1.8 named `nodefs`, `imagefs`,
 *   `nodefsInodes`, `imagefsInodes`, and some printed the node conditions (`[DiskPressure]`);
 * - `The node had condition: [DiskPressure]. ` (`nodeConditionMessageFmt`): the pod was refused
 *   at admission (often after `Pod was rejected: `), not evicted while it ran;
 * - `Threshold quantity: 100Mi, available: 87608Ki. ` (`thresholdMetMessageFmt`, 1.17+);
 * - per container over its request, old (≤ 1.21): `Container X was using 35505620Ki, which exceeds its request of 12Gi. `,
 *   new: `Container X was using 48458972Ki, request is 15Gi, has larger consumption of memory. `;
 * - local-storage limits (ephemeral-storage): `Container X exceeded its local ephemeral storage limit "1Gi". `,
 *   `Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. `,
 *   `Usage of EmptyDir volume "cache" exceeds the limit "1Gi". `
 *
 * Sample (kubelet 1.28): `The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. Container app was using 48458972Ki, request is 15Gi, has larger consumption of memory.`
 *
 * The parts are read independently, so a message cut by a paste keeps what it still says.
 * Whitespace may be collapsed or wrapped (`\s+` between words). Memory and ephemeral-storage
 * quantities become bytes; inodes and pids stay counts.
 */
import type { EvictionContainer, EvictionFact, EvictionQuantity, EvictionResource } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";
import { parseQuantity } from "../../model/units.js";

/** A resource.Quantity as `%v` prints it (`87608Ki`, `100Mi`, `1.5Gi`, `0`, `-3052Ki`, `1k`). */
const Q = String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:Ki|Mi|Gi|Ti|Pi|Ei|[kKMGTPEm])?`;
/** A container or volume name (DNS label; underscores from hand-typed pastes tolerated). */
const NAME = String.raw`[A-Za-z0-9][-\w.]*`;

const NODE_LOW = /\bThe\s+node\s+was\s+low\s+on\s+resource:\s+(\[[^\]]{0,200}\]|[A-Za-z][-\w.]*?)\.?(?=\s|$)/;
const NODE_CONDITION = /\bThe\s+node\s+had\s+condition:\s+(\[[^\]]{0,200}\]|[A-Za-z][-\w.]*?)\.?(?=\s|$)/;
const THRESHOLD = new RegExp(String.raw`\bThreshold\s+quantity:\s+(${Q}),\s+available:\s+(${Q})\.`);
const CONTAINER = new RegExp(
  String.raw`\bContainer\s+(${NAME})\s+was\s+using\s+(${Q}),\s+(?:which\s+exceeds\s+its\s+request\s+of\s+(${Q})\.|request\s+is\s+(${Q}),\s+has\s+larger\s+consumption\s+of\s+([A-Za-z][-\w]*))`,
  "g",
);
const CONTAINER_STORAGE = new RegExp(
  String.raw`\bContainer\s+(${NAME})\s+exceeded\s+its\s+local\s+ephemeral\s+storage\s+limit\s+"?(${Q})"?\.`,
  "g",
);
const POD_STORAGE = new RegExp(
  String.raw`\bPod\s+ephemeral\s+local\s+storage\s+usage\s+exceeds\s+the\s+total\s+limit\s+of\s+containers\s+(${Q})\.`,
);
const EMPTY_DIR = new RegExp(
  String.raw`\bUsage\s+of\s+EmptyDir\s+volume\s+"?(${NAME})"?\s+exceeds\s+the\s+limit\s+"?(${Q})"?\.`,
  "g",
);

/** Longer texts are not a kubelet message (it prints one short sentence per container). */
const MAX_TEXT = 16_384;

/** What each name the kubelet has printed for the starved resource means. */
const RESOURCES: Record<string, EvictionResource> = {
  memory: "memory",
  memorypressure: "memory",
  "allocatablememory.available": "memory",
  "memory.available": "memory",
  "ephemeral-storage": "ephemeral-storage",
  nodefs: "ephemeral-storage",
  imagefs: "ephemeral-storage",
  containerfs: "ephemeral-storage",
  diskpressure: "ephemeral-storage",
  "nodefs.available": "ephemeral-storage",
  "imagefs.available": "ephemeral-storage",
  inodes: "inodes",
  nodefsinodes: "inodes",
  imagefsinodes: "inodes",
  "nodefs.inodesfree": "inodes",
  "imagefs.inodesfree": "inodes",
  pids: "pids",
  pidpressure: "pids",
  "pid.available": "pids",
};

/**
 * Reads a kubelet eviction message. `source` is the line that holds it (for evidence). Returns
 * null when the text holds none of the parts above (any other pod message or event). Never throws.
 */
export function parseEvictionMessage(text: string | null | undefined, source: SourceRef): EvictionFact | null {
  if (!text || text.length > MAX_TEXT) return null;
  const low = NODE_LOW.exec(text);
  const condition = low ? null : NODE_CONDITION.exec(text);
  const threshold = THRESHOLD.exec(text);
  const containers: EvictionContainer[] = [...text.matchAll(CONTAINER)].map((m) => ({
    name: m[1]!,
    usage: quantity(m[2]!),
    request: quantity(m[3] ?? m[4]!),
    resource: m[5] ?? null,
  }));
  const overLimit: EvictionFact["overLimit"] = [
    ...[...text.matchAll(CONTAINER_STORAGE)].map((m) => ({
      scope: "container" as const,
      name: m[1]!,
      limit: quantity(m[2]!),
    })),
    ...[POD_STORAGE.exec(text)]
      .filter((m) => m !== null)
      .map((m) => ({ scope: "pod" as const, name: null, limit: quantity(m[1]!) })),
    ...[...text.matchAll(EMPTY_DIR)].map((m) => ({ scope: "emptyDir" as const, name: m[1]!, limit: quantity(m[2]!) })),
  ];
  if (!low && !condition && !threshold && containers.length === 0 && overLimit.length === 0) return null;
  const named = (low ?? condition)?.[1] ?? null;
  const resourceText =
    named ??
    containers.find((c) => c.resource !== null)?.resource ??
    (overLimit.length > 0 ? "ephemeral-storage" : null);
  return {
    resource: resourceText === null ? null : resourceOf(resourceText),
    resourceText,
    admission: condition !== null,
    threshold: threshold ? quantity(threshold[1]!) : null,
    available: threshold ? quantity(threshold[2]!) : null,
    containers,
    overLimit,
    source,
    text: text.trim(),
  };
}

/**
 * An eviction known only by the resource the kubelet said it was reclaiming (its eviction
 * manager's `attempting to reclaim memory` log line, `text` at `source`), with no figures.
 */
export function evictionForResource(resourceText: string, source: SourceRef, text: string): EvictionFact {
  return {
    resource: resourceOf(resourceText),
    resourceText,
    admission: false,
    threshold: null,
    available: null,
    containers: [],
    overLimit: [],
    source,
    text: text.trim(),
  };
}

/** `memory` / `[MemoryPressure]` / `nodefs` … → the resource it means; a list with MemoryPressure is memory. */
function resourceOf(named: string): EvictionResource {
  const names = named
    .replace(/^\[|\]$/g, "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((n) => n.toLowerCase());
  const kinds = names.map((n) => RESOURCES[n] ?? "other");
  return kinds.includes("memory") ? "memory" : (kinds[0] ?? "other");
}

/** A quantity with its value (bytes for memory and storage, a count for inodes and pids); negative `available` kept. */
function quantity(text: string): EvictionQuantity {
  const negative = text.startsWith("-");
  const v = parseQuantity(negative ? text.slice(1) : text);
  return { text, value: v === null ? null : negative ? -v : v };
}

/** True when the eviction was for something other than memory (disk, inodes, pids). Unknown resource: false. */
export function notMemoryEviction(e: EvictionFact | null | undefined): boolean {
  return e !== null && e !== undefined && e.resource !== null && e.resource !== "memory";
}

/** True when `text` is (part of) a kubelet eviction message. */
export function isEvictionMessage(text: string | null | undefined): boolean {
  return parseEvictionMessage(text, { file: "" }) !== null;
}
