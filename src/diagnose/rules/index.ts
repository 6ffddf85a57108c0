/**
 * The rule registry: an explicit array, in tie-break order (when two causes are supported with
 * the same confidence, the more specific one, earlier here, wins). A new cause is its rule file
 * plus one line here (and its id in `CauseId`, the JSON contract); everything else about it (how it
 * combines with other causes, what it reads, its next steps) is in that file.
 */
import type { CauseId } from "../../model/incident.js";
import type { Rule } from "../types.js";
import notOom from "./not-oom.js";
import nodeOvercommit from "./node-overcommit.js";
import runtimeMisconfigured from "./runtime-misconfigured.js";
import sharedMemory from "./shared-memory.js";
import kernelMemory from "./kernel-memory.js";
import nativeMemory from "./native-memory.js";
import memoryLeak from "./memory-leak.js";
import limitTooLow from "./limit-too-low.js";
import burstAllocation from "./burst-allocation.js";

export const rules: readonly Rule[] = [
  notOom,
  nodeOvercommit,
  runtimeMisconfigured,
  sharedMemory,
  kernelMemory,
  nativeMemory,
  memoryLeak,
  limitTooLow,
  burstAllocation,
];

const BY_CAUSE = new Map<CauseId, Rule>(rules.map((r) => [r.id, r]));

/** The rule of a cause; null for `undetermined`, the verdict's fallback, which has no rule. */
export function ruleFor(cause: CauseId): Rule | null {
  return BY_CAUSE.get(cause) ?? null;
}
