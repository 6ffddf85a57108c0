/**
 * The rule registry: an explicit array, in tie-break order (when two causes are supported with
 * the same confidence, the more specific one, earlier here, wins).
 */
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
