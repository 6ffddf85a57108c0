/**
 * A kernel OOM kill carried in a Kubernetes event: node-problem-detector's kernel monitor
 * (`kernel-monitor` source, rule `OOMKilling` in its `kernel-monitor.json`) posts the kernel's
 * victim line as the message of a Node event, so `kubectl get events` shows the kill with its pid
 * even when nobody saved the node's dmesg. Read into an `OomEvent` (origin `kube-event`) with the
 * victim's fields (mm/oom_kill.c `__oom_kill_process` layout, parsed by kernel-log/victim.ts).
 * Only memcg kills (`Memory cgroup out of memory:`) are read here: a global `Out of memory:` line
 * is a node-level OOM, which correlate/node-events.ts ties to the container it names. A kill also
 * present in a kernel log of the bundle is dropped in favour of the kernel's report
 * (`withoutEchoedKills`).
 *
 * Sample message (`kubectl get events -A`, NPD v0.8.19):
 * `Memory cgroup out of memory: Killed process 2710331 (gateway) total-vm:1712204kB, anon-rss:518312kB, file-rss:9216kB, shmem-rss:0kB, UID:65532 pgtables:1184kB oom_score_adj:983`
 */
import type { KubeEvent, OomEvent } from "../../model/facts.js";
import { parseVictim } from "../kernel-log/victim.js";

/** Where the victim line starts in a message (NPD may prefix it with its own words). */
const VICTIM_START = /Memory cgroup out of memory: Killed process \d+/;

/** Longer messages are not one kernel line (a victim line is under 300 characters). */
const MAX_MESSAGE = 2048;

/** The memcg kill an event's message carries, or null when it carries none. */
export function oomFromEvent(e: KubeEvent): OomEvent | null {
  if (e.message.length > MAX_MESSAGE) return null;
  const start = VICTIM_START.exec(e.message);
  if (!start) return null;
  const text = e.message.slice(start.index).trim();
  const v = parseVictim(text);
  if (!v) return null;
  const node = e.involved?.kind === "Node" ? e.involved.name : null;
  return {
    source: e.source,
    time: { wallMs: e.lastMs ?? e.firstMs, uptimeSec: null, clock: (e.lastMs ?? e.firstMs) ? "utc" : "none" },
    trigger: null,
    constraint: null,
    oomMemcg: null,
    taskMemcg: null,
    global: false,
    counters: [],
    memcgStats: null,
    tasks: [],
    victims: [{ ...v, source: e.source, text }],
    selected: null,
    groupKillMemcg: null,
    reaped: [],
    host: node,
    kernelVersion: null,
    origin: "kube-event",
  };
}

/** The OOM reports without the event-carried kills that a kernel log of the bundle also reports (same pid and process). */
export function withoutEchoedKills(ooms: OomEvent[]): OomEvent[] {
  const kernel = new Set(
    ooms.filter((o) => o.origin === undefined).flatMap((o) => o.victims.map((v) => `${v.pid}/${v.process}`)),
  );
  if (kernel.size === 0) return ooms;
  return ooms.filter((o) => o.origin === undefined || !o.victims.every((v) => kernel.has(`${v.pid}/${v.process}`)));
}
