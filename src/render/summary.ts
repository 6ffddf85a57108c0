/**
 * The summary block that opens each incident (at most 12 lines, pasteable alone): what
 * happened in one sentence, the cause and confidence with its reason, the subject, the key
 * numbers (limit, usage at the kill, when), and the first two steps. Also the table of all
 * incidents that opens a multi-incident report, and the words for events and times.
 *
 * Sample line: `**What happened:** container \`payments\` was OOM-killed at its own memory limit 3
 * times, from 2026-10-19 09:09:46 to 09:15:10 (node local time, zone unknown).`
 */
import type { Hypothesis, Incident, Kill, Subject } from "../model/incident.js";
import { formatBytes, formatPercent, formatTime, UNKNOWN } from "../util/format.js";
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";
import { evictionAmount, evictionCountsBytes, evictionResourceName } from "../util/eviction-figures.js";
import type { EvictionQuantity } from "../model/facts.js";
import { prose } from "./prose.js";

/** What each event id means, as the predicate of a sentence about the container. */
const EVENT_PREDICATE: Record<string, string> = {
  "container-oom-kill": "was OOM-killed at its own memory limit",
  "child-oom-kill": "lost a process to the OOM killer at its memory limit while the container kept running",
  "node-oom-kill": "was OOM-killed when the node ran out of memory (a global OOM, not its own limit)",
  eviction: "was evicted by the kubelet",
  sigkill: "got SIGKILL (exit code 137) with no OOM record",
  none: "shows no kill in the bundle",
};

/**
 * What happened, as a predicate and what follows the kill times. A container OOM kill is said to
 * be at the container's own limit only when something shows a limit: a memcg or limit in a kill,
 * a victim, or the kubelet's exit code joined to it; kernel reports cut to their header say only
 * that the killer was invoked, as do a node's reports that name a memcg but no victim or limit. A
 * node subject (no pod or container named) is never said to have a limit of its own.
 */
function predicate(incident: Incident): { head: string; tail: string } {
  const headerOnly = incident.kills.every(
    (k) => k.memcg === null && k.limitBytes === null && k.limitHit === null && k.exitCode == null && k.pid === null,
  );
  if (incident.event === "container-oom-kill" && headerOnly) {
    return {
      head: "had the kernel's OOM killer invoked",
      tail: "; the report names no memcg, limit or victim (its lines after the header are missing), so whether its own limit or the node ran out is not known",
    };
  }
  // A global OOM of a node whose victim the bundle places in no pod: the node ran out, not "was OOM-killed".
  if (incident.event === "node-oom-kill" && isNodeSubject(incident.subject)) {
    const victim = [...incident.kills].reverse().find((k) => k.process !== null)?.process;
    return {
      head: `ran out of memory and the kernel OOM-killed ${victim ? inlineCode(victim) : "a process"}`,
      tail: "; a global OOM, not a memory limit",
    };
  }
  // A node subject has no limit of its own: a memcg kill naming no container is a slice's limit;
  // a bare `Killed process` line (RHEL 6/7, a trimmed paste) names no scope at all.
  // A memcg report with no victim and no limit in the bundle (its lines before and after the
  // stats are missing) is not known to have killed anything. (A container subject was named by
  // the victim's memcg, `Task in …` or `task_memcg=`: a victim was chosen.)
  if (incident.event === "container-oom-kill" && isNodeSubject(incident.subject)) {
    const memcg = incident.kills.find((k) => k.memcg !== null)?.memcg;
    const noVictim = incident.kills.every((k) => k.pid === null && k.process === null && k.limitBytes === null);
    if (memcg && noVictim)
      return {
        head: `had the kernel's OOM killer invoked for memory cgroup ${inlineCode(memcg)}`,
        tail: "; the report in the bundle names no victim and no limit (its lines with them are missing), so what it killed, if anything, is not known",
      };
    if (memcg) return { head: `had a process OOM-killed at the limit of memory cgroup ${inlineCode(memcg)}`, tail: "" };
    return {
      head: "had a process OOM-killed",
      tail: "; the kernel lines in the bundle do not say whether at a memory cgroup's limit or node-wide",
    };
  }
  // The limit hit was a memory cgroup above the container's and pod's own (`/system/docker`, a slice).
  const above =
    incident.event === "container-oom-kill"
      ? [...incident.kills].reverse().find((k) => k.memcgLevel === "other" && k.memcg !== null)
      : undefined;
  if (above)
    return {
      head: `was OOM-killed at the limit of memory cgroup ${inlineCode(above.memcg!)} (a cgroup above its own)`,
      tail: "",
    };
  // The kubelet recorded the container ending with a code of its own after the kill: it did not keep running.
  const exitAfter =
    incident.event === "child-oom-kill"
      ? incident.kills.find((k) => k.exitCode != null && k.exitCode !== 137)?.exitCode
      : undefined;
  if (exitAfter != null)
    return {
      head: "lost a process to the OOM killer at its memory limit",
      tail: `; its main process ended after it with exit code ${exitAfter}, not by the OOM kill`,
    };
  return { head: EVENT_PREDICATE[incident.event] ?? escapeMarkdown(incident.event), tail: "" };
}

/** Time sources that are not proven UTC (`Kill.timeSource`). */
const LOCAL_TIME = new Set(["kernel-local"]);

/** `2026-10-19 09:09:46 UTC`, or `2026-10-19 09:09:46 (node local time, zone unknown)` for unproven kernel times. */
export function killTime(k: Kill): string {
  if (k.time === null) return k.uptimeSec != null ? `uptime ${k.uptimeSec} s` : UNKNOWN;
  const t = formatTime(k.time);
  return LOCAL_TIME.has(k.timeSource ?? "") ? `${t.replace(/ UTC$/, "")} (node local time, zone unknown)` : t;
}

/**
 * True when the subject is the node alone: the bundle names no pod, pod UID, container or
 * container ID for it (a global OOM without attribution). A kill whose memcg path names a pod UID
 * or container ID is that container's, whatever node it ran on.
 */
export function isNodeSubject(s: Subject): boolean {
  return s.pod === null && s.podUid === null && s.container === null && !s.containerId && s.node !== null;
}

/**
 * `container \`api\` of pod \`shop/api-7d9\``, or `node \`n1\`` for a node-level subject; with
 * nothing named, "a container", or "a process" for a global OOM (its victim may be no container's).
 */
function subjectWords(s: Subject, event: Incident["event"]): string {
  if (isNodeSubject(s)) return `node ${inlineCode(s.node!)}`;
  const ctr =
    s.container !== null
      ? `container ${inlineCode(s.container)}`
      : s.containerId
        ? `container ID ${inlineCode(shortId(s.containerId))}`
        : s.pod === null && s.podUid === null && event === "node-oom-kill"
          ? "a process"
          : "a container";
  const pod =
    s.pod !== null
      ? ` of pod ${inlineCode(`${s.namespace ?? "?"}/${s.pod}`)}`
      : s.podUid !== null
        ? ` of pod UID ${inlineCode(s.podUid)}`
        : "";
  return `${ctr}${pod}`;
}

/** The summary block of an incident: list items, at most 7. */
export function summaryLines(incident: Incident): string[] {
  const v = incident.verdict;
  const kills = incident.kills;
  const exit137 = incident.event === "eviction" && incident.kills.some((k) => k.exitCode === 137);
  const what = predicate(incident);
  const lines = [
    `**What happened:** ${subjectWords(incident.subject, incident.event)} ${what.head}${killSpan(kills)}${what.tail}${evictedFor(incident)}${exit137 ? "; its exit code 137 is the kubelet's SIGKILL of the eviction, not a kernel OOM kill" : ""}.`,
  ];
  const reason = verdictReason(incident);
  lines.push(
    `**Cause:** ${inlineCode(v.cause)}, ${escapeMarkdown(v.confidence)} confidence${reason ? `: ${reason}` : "."}`,
  );
  lines.push(`**Subject:** ${subjectDetails(incident.subject)}`);
  const numbers = keyNumbers(incident);
  if (numbers) lines.push(`**Numbers:** ${numbers}`);
  const [first, second] = incident.actions;
  if (first) lines.push(`**First step:** ${prose(first.title)} (step 1 below).`);
  if (second) lines.push(`**Then:** ${prose(second.title)} (step 2).`);
  return lines;
}

/** ` under node memory pressure` / ` because the node was low on ephemeral-storage, not memory` (the eviction message's resource), or nothing. */
function evictedFor(incident: Incident): string {
  const e = incident.eviction;
  if (incident.event !== "eviction" || !e?.resource) return "";
  if (e.resource === "memory") return " under node memory pressure";
  return ` because the node was low on ${escapeMarkdown(evictionResourceName(e) ?? "")}, not memory`;
}

/** The verdict's reason without the event phrase the summary already says, as one sentence. */
function verdictReason(incident: Incident): string {
  const v = incident.verdict;
  if (v.cause === "undetermined") {
    const missing = [...new Set(incident.hypotheses.flatMap((h) => h.missing))].slice(0, 3);
    return missing.length > 0
      ? `the bundle cannot decide; what would: ${missing.map(escapeMarkdown).join("; ")}.`
      : "the bundle cannot decide.";
  }
  const h: Hypothesis | undefined = incident.hypotheses.find((x) => x.cause === v.cause && x.status === "supported");
  const text = (h?.reason ?? v.summary).trim().replace(/\.$/, "");
  return text === "" ? "" : `${escapeMarkdown(text)}.`;
}

/** ` 3 times, from 2026-06-09 11:02:17 to 11:40:02 UTC` / ` at 2026-06-09 11:02:17 UTC`. */
function killSpan(kills: Kill[]): string {
  const timed = kills.filter((k) => k.time !== null);
  const n = kills.length > 1 ? ` ${kills.length} times` : "";
  if (timed.length === 0) return n;
  const first = timed[0]!;
  const last = timed.at(-1)!;
  if (timed.length === 1 || first.time === last.time) return `${n} at ${escapeMarkdown(killTime(last))}`;
  const from = killTime(first);
  const to = killTime(last);
  const sameDay = first.time!.slice(0, 10) === last.time!.slice(0, 10);
  const toShort = sameDay ? to.slice(11) : to;
  return `${n}, from ${escapeMarkdown(from.replace(/ UTC$| \(node local time, zone unknown\)$/, ""))} to ${escapeMarkdown(toShort)}`;
}

function subjectDetails(s: Subject): string {
  const parts: string[] = [];
  if (s.namespace !== null) parts.push(`namespace ${inlineCode(s.namespace)}`);
  if (s.pod !== null) parts.push(`pod ${inlineCode(s.pod)}`);
  else if (s.podUid !== null) parts.push(`pod UID ${inlineCode(s.podUid)}`);
  if (s.container !== null)
    parts.push(
      `container ${inlineCode(s.container)}${s.containerId ? ` (ID ${inlineCode(shortId(s.containerId))})` : ""}`,
    );
  else if (s.containerId) parts.push(`container ID ${inlineCode(shortId(s.containerId))}`);
  if (s.node !== null) parts.push(`node ${inlineCode(s.node)}`);
  return parts.length > 0 ? `${parts.join(", ")}.` : "not identified by the bundle.";
}

/** A container ID as `docker ps` and `crictl ps` print it: the first 12 hex digits. */
export function shortId(id: string): string {
  const bare = id.replace(/^[a-z]+:\/\//, "");
  return /^[0-9a-f]{13,}$/.test(bare) ? bare.slice(0, 12) : bare;
}

/** `limit 1 GiB; anon RSS at the last kill 999.9 MiB (97.6% of it); recommended 2Gi`. */
function keyNumbers(incident: Incident): string | null {
  const last = [...incident.kills].reverse().find((k) => k.anonRssBytes !== null || k.limitBytes !== null);
  const limit = incident.sizing?.currentLimitBytes ?? last?.limitBytes ?? null;
  const parts: string[] = [];
  const counter =
    last?.limitHit && last.limitHit !== "memory" ? ` (the ${escapeMarkdown(last.limitHit)} counter hit it)` : "";
  if (limit !== null) parts.push(`limit ${formatBytes(limit)}${counter}`);
  if (last?.anonRssBytes != null) {
    const share = limit !== null && limit > 0 ? ` (${formatPercent(last.anonRssBytes / limit)} of the limit)` : "";
    parts.push(
      `anon RSS of ${last.process ? inlineCode(last.process) : "the victim"} at the kill ${formatBytes(last.anonRssBytes)}${share}`,
    );
  }
  if (last?.largestTask && last.largestTask.pid !== last.pid)
    parts.push(`biggest consumer ${inlineCode(last.largestTask.process)} ${formatBytes(last.largestTask.rssBytes)}`);
  parts.push(...evictionNumbers(incident));
  if (incident.sizing)
    parts.push(
      `recommended limit ${escapeMarkdown(incident.sizing.quantity ?? formatBytes(incident.sizing.recommendedLimitBytes))}`,
    );
  return parts.length > 0 ? `${parts.join("; ")}.` : null;
}

/** `85.6 MiB available against an eviction threshold of 100 MiB`, `report-builder using 5.2 GiB against a request of 1 GiB` (memory and storage in bytes, counts as printed). */
function evictionNumbers(incident: Incident): string[] {
  const e = incident.eviction;
  if (incident.event !== "eviction" || !e) return [];
  const bytes = evictionCountsBytes(e);
  const amount = (q: EvictionQuantity) => escapeMarkdown(evictionAmount(q, bytes, false));
  const out: string[] = [];
  if (e.available && e.threshold)
    out.push(`${amount(e.available)} available against an eviction threshold of ${amount(e.threshold)}`);
  for (const c of e.containers)
    out.push(
      `${inlineCode(c.name)} using ${amount(c.usage)} against ${c.request.value === 0 ? "no request" : `a request of ${amount(c.request)}`}`,
    );
  return out;
}

/** One row of the table that opens a multi-incident report. */
export interface OverviewRow {
  n: string;
  subject: string;
  event: string;
  cause: string;
  kills: string;
  first: string;
  last: string;
}

/** A row of the incidents table for incident `i`, the `n`th of the report (from 1): subject, event, cause (confidence), kills, first and last time. */
export function overviewRow(i: Incident, n: number): OverviewRow {
  const timed = i.kills.filter((k) => k.time !== null);
  return {
    n: String(n),
    subject: subjectCell(i.subject),
    event: inlineCode(i.event, { table: true }),
    cause: `${inlineCode(i.verdict.cause, { table: true })} (${escapeMarkdown(i.verdict.confidence)})`,
    kills: String(i.kills.length),
    first: timed[0] ? escapeMarkdown(killTime(timed[0])) : UNKNOWN,
    last: timed.length > 1 ? escapeMarkdown(killTime(timed.at(-1)!)) : UNKNOWN,
  };
}

function subjectCell(s: Subject): string {
  if (s.pod === null && s.container === null && s.node !== null) return `node ${inlineCode(s.node, { table: true })}`;
  return inlineCode(`${s.namespace ?? "?"}/${s.pod ?? s.podUid ?? "?"}/${s.container ?? "?"}`, { table: true });
}
