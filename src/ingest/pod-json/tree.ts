/**
 * A small position-carrying tree shared by the JSON and YAML readers of the `pod-json`
 * ingester, so the Kubernetes mapping is written once and every value knows its line.
 *
 * Line convention: a map entry's value carries the line of its key (`terminated:` /
 * `"terminated": {`), a sequence item the line where the item starts (`- name: api`, or the
 * `{` of a JSON object), a root the line of its first token. Lines are 1-based, in the file.
 */
import type { Diagnostic, SourceRef } from "../../model/source.js";
import { warning } from "../../model/source.js";

/** A node of a parsed JSON/YAML document. */
export type Node = MapNode | SeqNode | ScalarNode;

interface NodeBase {
  /** 1-based line (see the file header for which line). */
  line: number;
  /** Last line of the node (closing brace, last item), ≥ `line`. */
  endLine: number;
}

/** A mapping; on duplicate keys the last one wins (as JSON.parse does). */
export interface MapNode extends NodeBase {
  type: "map";
  entries: Map<string, Node>;
}

/** A sequence (JSON array, YAML block or flow list). */
export interface SeqNode extends NodeBase {
  type: "seq";
  items: Node[];
}

/** A scalar as typed by JSON / YAML 1.2 core schema (timestamps stay strings). */
export interface ScalarNode extends NodeBase {
  type: "scalar";
  value: string | number | boolean | null;
}

/** Where the mapping collects diagnostics: the file being read and the list to append to. */
export interface Ctx {
  file: string;
  diagnostics: Diagnostic[];
  /** The kind whose diagnostics these are (`vpa`, `docker-inspect`, …); `pod-json` when absent. */
  kind?: string;
}

/** Appends a `<kind>/<code>` warning at `line` (whole file when undefined); the kind defaults to `pod-json`. */
export function warn(ctx: Ctx, code: string, message: string, line?: number): void {
  const at: SourceRef = line === undefined ? { file: ctx.file } : { file: ctx.file, line };
  ctx.diagnostics.push(warning(`${ctx.kind ?? "pod-json"}/${code}`, message, at));
}

/** `{file, line, endLine}` for a node (`line` overridable, e.g. the line of its `name:`). */
export function refOf(ctx: Ctx, node: Node, line = node.line): SourceRef {
  return node.endLine > line ? { file: ctx.file, line, endLine: node.endLine } : { file: ctx.file, line };
}

/** Follows `keys` through nested maps: `child(pod, "status", "qosClass")`; undefined when absent. */
export function child(node: Node | undefined, ...keys: string[]): Node | undefined {
  let cur = node;
  for (const key of keys) {
    if (cur?.type !== "map") return undefined;
    cur = cur.entries.get(key);
  }
  return cur;
}

/** True when `node` is a map holding `key`. */
export function has(node: Node | undefined, key: string): boolean {
  return node?.type === "map" && node.entries.has(key);
}

/** A scalar as text (numbers and booleans printed); null for null, maps, sequences, absent. */
export function str(node: Node | undefined): string | null {
  if (node?.type !== "scalar" || node.value === null) return null;
  return String(node.value);
}

/** A scalar as a finite number (`137`, `"137"`); null otherwise. */
export function num(node: Node | undefined): number | null {
  if (node?.type !== "scalar" || node.value === null || typeof node.value === "boolean") return null;
  const n = typeof node.value === "number" ? node.value : node.value.trim() === "" ? NaN : Number(node.value);
  return Number.isFinite(n) ? n : null;
}

/** Items of a sequence; [] for anything else. */
export function items(node: Node | undefined): Node[] {
  return node?.type === "seq" ? node.items : [];
}

/** A sequence of scalars as strings (`command`, `args`); non-scalars are skipped. */
export function strings(node: Node | undefined): string[] {
  const out: string[] = [];
  for (const item of items(node)) {
    const s = str(item);
    if (s !== null) out.push(s);
  }
  return out;
}

/** The line of `node[key]` when present, else the node's own line. */
export function lineOf(node: Node, key: string): number {
  return child(node, key)?.line ?? node.line;
}

/** A short description of a node for messages: `a map with keys a, b, c`, `a sequence of 3 items`. */
export function describeNode(node: Node): string {
  if (node.type === "map") {
    const keys = [...node.entries.keys()];
    if (keys.length === 0) return "an empty map";
    return `a map with keys ${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", …" : ""}`;
  }
  if (node.type === "seq") return `a sequence of ${node.items.length} item(s)`;
  const text = node.value === null ? "null" : JSON.stringify(node.value);
  return `the scalar ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}
