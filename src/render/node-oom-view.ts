/**
 * The node side of a node-level OOM as a table (full report; folded in HTML): the biggest
 * consumers of the kernel's tasks table, each with its share of the node's RAM (the kernel's
 * Mem-Info), its oom_score_adj and what set it, the pod it was attributed to with that pod's
 * requests and limits and how it was attributed, and the line of the tasks table; then the
 * node's sums in one line (RAM and what the tasks held of it; allocatable against the pods' limits).
 * Sample row: `| `ingest` | 88120 | 9.9 GiB | 62% | 233 (Burstable) | prod/ingest-worker-5d8f7c6b9-x7p2q | 12 GiB | 20 GiB | its cgroup: … | `dmesg-T.txt:30` |`.
 */
import type { NodeOomPicture } from "../model/incident.js";
import { formatBytes, formatPercent, UNKNOWN } from "../util/format.js";
import { nodeWords, podName, ramWords } from "../diagnose/node-oom-words.js";
import type { Citations } from "./cite.js";
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";

/** One row of the consumers table. */
export interface ConsumerRowView {
  process: string;
  pid: string;
  rss: string;
  ram: string;
  adj: string;
  pod: string;
  requests: string;
  limits: string;
  basis: string;
  evidence: string;
}

/** The consumers' rows, the victim marked. */
export function consumerRows(p: NodeOomPicture, cite: Citations): ConsumerRowView[] {
  const ram = p.ram?.bytes ?? null;
  return p.consumers.map((t) => ({
    process: inlineCode(t.process, { table: true }) + (t.pid === p.victim.pid ? " (the victim)" : ""),
    pid: String(t.pid),
    rss: formatBytes(t.rssBytes),
    ram: ram && t.rssBytes !== null ? formatPercent(t.rssBytes / ram) : UNKNOWN,
    adj: t.oomScoreAdj === null ? UNKNOWN : `${t.oomScoreAdj}${t.meaning ? ` (${escapeMarkdown(t.meaning)})` : ""}`,
    pod: t.pod ? escapeMarkdown(podName(t.pod)) : UNKNOWN,
    requests: t.pod ? bytes(t.pod.requestBytes) : UNKNOWN,
    limits: t.pod ? bytes(t.pod.limitBytes) : UNKNOWN,
    basis: t.pod ? escapeMarkdown(t.pod.basis) : "no memcg or pod of the bundle names it",
    evidence: cite.refs([t.evidence, ...(t.pod?.evidence ?? [])], 4),
  }));
}

/**
 * The node's sums after the table, with the lines they were read from: its RAM and what the tasks
 * held, its allocatable against the pods' limits; null when the bundle has neither.
 */
export function nodeSumsLine(p: NodeOomPicture, cite: Citations): string | null {
  const parts = [ramWords(p.ram ?? null), nodeWords(p.node)].filter((x): x is string => x !== null);
  if (parts.length === 0) return null;
  const refs = cite.refs([...(p.ram ? [p.ram.evidence] : []), ...(p.node?.evidence ?? [])], 4);
  return `${escapeMarkdown(`${parts.join(". ")}.`)}${refs ? ` (${refs})` : ""}`;
}

function bytes(n: number | null): string {
  return n === null ? UNKNOWN : n === 0 ? "none" : formatBytes(n);
}
