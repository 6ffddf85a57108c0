/**
 * The kubelet eviction message's figures for people, shared by the verdict's words
 * (`diagnose/eviction.ts`) and the report's summary line (`render/summary.ts`). The message
 * (kubernetes `pkg/kubelet/eviction/helpers.go`) reads, for example:
 * `The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki.`
 */
import type { EvictionFact, EvictionQuantity } from "../model/facts.js";
import { formatBytes } from "./format.js";

type Resource = Pick<EvictionFact, "resource" | "resourceText">;

/** The resource by the kubelet's name (`ephemeral-storage`, `pids`, `memory`; an unknown one as printed); null when not said. */
export function evictionResourceName(e: Resource): string | null {
  if (e.resource === null) return null;
  return e.resource === "other" ? (e.resourceText ?? "an unknown resource") : e.resource;
}

/** Whether the message's quantities are bytes (memory, ephemeral-storage, or not said) rather than counts (inodes, pids). */
export function evictionCountsBytes(e: Resource): boolean {
  return e.resource === "memory" || e.resource === "ephemeral-storage" || e.resource === null;
}

/**
 * One quantity in words: bytes as `85.6 MiB`, with the kubelet's text after it when `withText`
 * and it differs (`85.6 MiB (87608Ki)`); a count, or a text that is no quantity, as printed.
 */
export function evictionAmount(q: EvictionQuantity, bytes: boolean, withText: boolean): string {
  if (!bytes || q.value === null) return q.text;
  const human = q.value < 0 ? `−${formatBytes(-q.value)}` : formatBytes(q.value);
  return !withText || human === q.text ? human : `${human} (${q.text})`;
}
