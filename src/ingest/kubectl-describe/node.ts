/**
 * The memory figures of a `kubectl describe node` (kubectl `pkg/describe/describe.go`
 * `describeNode` / `describeNodeResource`): the `memory:` entries under `Capacity:` and
 * `Allocatable:`, the `Memory Requests` / `Memory Limits` columns of `Non-terminated Pods`, and
 * the `memory` row of `Allocated resources` (pre-1.11 kubectl printed those totals as one row of
 * four `quantity (pct%)` cells under `CPU Requests  CPU Limits  Memory Requests  Memory Limits`).
 *
 * Sample lines:
 * ```text
 * Allocatable:
 *   memory:             7832432Ki
 * Non-terminated Pods:          (9 in total)
 *   Namespace    Name                         CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
 *   analytics    etl-runner-29910420-nlt9c    1 (50%)       0 (0%)      6Gi (80%)        12Gi (160%)    12m
 * Allocated resources:
 *   memory             7332Mi (95%)  14172Mi (185%)
 * ```
 */
import type { NodeFact } from "../../model/facts.js";
import { parseQuantity } from "../../model/units.js";
import type { KeyValue } from "./text.js";

/** The sections of a node description this module reads. */
export const NODE_MEMORY_SECTIONS = new Set(["Capacity", "Allocatable", "Non-terminated Pods", "Allocated resources"]);

/** `quantity (pct%)` cell. */
const CELL = String.raw`(\S+)\s+\((-?\d+)%\)`;
/** A pod row: namespace, name, then CPU requests, CPU limits, memory requests, memory limits. */
// eslint-disable-next-line regexp/no-unused-capturing-group -- one CELL shape for every cell; only the memory cells are read
const POD_ROW = new RegExp(String.raw`^(\S+)\s+(\S+)\s+${CELL}\s+${CELL}\s+${CELL}\s+${CELL}(?:\s+\S+)?$`);
/** `memory  7332Mi (95%)  14172Mi (185%)`. */
// eslint-disable-next-line regexp/no-unused-capturing-group -- one CELL shape for every cell
const MEMORY_ROW = new RegExp(String.raw`^memory\s+${CELL}\s+${CELL}$`);
/** Pre-1.11 totals: four cells, CPU then memory. */
const FOUR_CELLS = new RegExp(String.raw`^${CELL}\s+${CELL}\s+${CELL}\s+${CELL}$`);

/** The node figures while a description is read. */
export type NodeDraft = Omit<NodeFact, "source" | "name">;

/** An empty draft. */
export function newNodeDraft(): NodeDraft {
  return { capacityMemoryBytes: null, allocatableMemoryBytes: null, lines: {}, pods: [], allocatedMemory: null };
}

/** Reads one (trimmed) line of a node memory section into the draft; returns false for a line it cannot place. */
export function nodeMemoryLine(d: NodeDraft, section: string, t: string, kv: KeyValue | null, line: number): boolean {
  if (section === "Capacity" || section === "Allocatable") {
    if (kv?.key !== "memory") return kv !== null;
    const bytes = parseQuantity(kv.value);
    if (section === "Capacity") d.capacityMemoryBytes = bytes;
    else d.allocatableMemoryBytes = bytes;
    d.lines[section === "Capacity" ? "capacity" : "allocatable"] = line;
    return true;
  }
  if (section === "Non-terminated Pods") {
    const m = POD_ROW.exec(t);
    if (!m) return true; // header, dashes, `(N in total)`
    d.pods.push({
      namespace: m[1]!,
      name: m[2]!,
      memoryRequestBytes: parseQuantity(m[7]),
      memoryLimitBytes: parseQuantity(m[9]),
      line,
      text: t,
    });
    return true;
  }
  const row = MEMORY_ROW.exec(t);
  const old = row ? null : FOUR_CELLS.exec(t);
  if (row)
    d.allocatedMemory = {
      requestsBytes: parseQuantity(row[1]),
      limitsBytes: parseQuantity(row[3]),
      limitsPercent: Number(row[4]),
      line,
      text: t,
    };
  else if (old)
    d.allocatedMemory = {
      requestsBytes: parseQuantity(old[5]),
      limitsBytes: parseQuantity(old[7]),
      limitsPercent: Number(old[8]),
      line,
      text: t,
    };
  return true;
}

/** True when the draft read anything. */
export function hasNodeMemory(d: NodeDraft): boolean {
  return (
    d.capacityMemoryBytes !== null ||
    d.allocatableMemoryBytes !== null ||
    d.pods.length > 0 ||
    d.allocatedMemory !== null
  );
}
