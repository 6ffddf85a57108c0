/**
 * Who sent a SIGKILL that was not the kernel's OOM killer: each function reads one kind of
 * evidence and returns what it shows (in words, with its evidence and a confidence), or null.
 * - a userspace OOM daemon's journal line (systemd-oomd, earlyoom) tied to the container;
 * - failed liveness/startup probes (the kubelet restarts the container after failureThreshold);
 * - the stop grace period: a `Killing` event (`Stopping container x`), then the exit about
 *   `terminationGracePeriodSeconds` later (the process ignored SIGTERM and got SIGKILL), or the
 *   exit at the pod's `deletionTimestamp` (the end of its grace period);
 * - a deletion without grace (`kubectl delete --grace-period=0 --force`): `deletionGracePeriodSeconds: 0`,
 *   or the exit within seconds of the `Killing` event while the grace period is much longer.
 * Times from the kubelet (event times, finishedAt) are UTC; describe's event ages cannot be placed.
 */
import type { KubeEvent } from "../model/facts.js";
import type { Confidence, KillSender } from "../model/incident.js";
import { iso, formatBytes } from "../util/format.js";
import { evidence, type Evidence } from "../model/source.js";
import type { RuleContext } from "./types.js";
import { killLines } from "./signals.js";

/** One explanation of a SIGKILL. */
interface Sender {
  kind: KillSender["kind"];
  /** In words, e.g. `systemd-oomd killed the container's cgroup …`. */
  what: string;
  evidence: Evidence[];
  confidence: Confidence;
  missing: string[];
}

/** Kubelet's default `terminationGracePeriodSeconds`. */
const DEFAULT_GRACE_SECONDS = 30;

/** How far finishedAt may sit from where the grace period puts it (kubelet and API clocks, rounding to seconds). */
const GRACE_SLACK_MS = 3_000;

/** kubelet prober events: `Liveness probe failed: …`, `Container x failed liveness probe, will be restarted`. */
const PROBE_FAILURE = /liveness probe failed|failed liveness probe|startup probe failed|failed startup probe/i;

/** The kubelet's stop event: `Stopping container x` (reason `Killing`). */
const STOPPING = /^Stopping container (\S+)/;

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/**
 * Every sender the evidence shows, most certain first. `kernelLogClean`: the bundle's kernel log
 * (or the cgroup's `memory.events oom_kill 0`) shows no OOM kill, so an OOM at the same moment is
 * ruled out.
 */
export function killSenders(ctx: RuleContext, kernelLogClean: boolean): Sender[] {
  return [userspaceSender(ctx), probeSender(ctx, kernelLogClean), stopSender(ctx, kernelLogClean)]
    .filter((x): x is Sender => x !== null)
    .sort((a, b) => RANK[b.confidence] - RANK[a.confidence]);
}

/** A userspace OOM daemon's kill tied to the subject (see correlate/userspace-kills.ts). */
function userspaceSender(ctx: RuleContext): Sender | null {
  const kills = ctx.kills.filter((k) => k.killer === "systemd-oomd" || k.killer === "earlyoom");
  const k = kills.at(-1);
  if (!k) return null;
  const joined = ctx.termination !== null && k.join !== null && k.join !== undefined;
  const target = k.memcg
    ? `the cgroup ${k.memcg}`
    : `${k.process ?? "a process"}${k.pid !== null ? ` (pid ${k.pid})` : ""}`;
  const why = k.killer === "systemd-oomd" ? k.daemon?.reason : null;
  const rss = k.daemon?.rssBytes;
  const detail = why ? ` due to ${why}` : rss ? ` using ${formatBytes(rss)}` : "";
  const tie = joined ? ` (${k.join!.summary})` : "";
  return {
    kind: "userspace-oom-daemon",
    what: `${k.killer} (a userspace OOM daemon, not the kernel's OOM killer) killed ${target}${detail}${tie}: the node was short of memory, the container's own limit was not hit`,
    evidence: [...killLines(kills.flatMap((x) => x.evidence)), ...terminationEvidence(ctx)],
    confidence: "high",
    missing: joined || !ctx.facts.container ? [] : ["kubectl describe pod (the container's exit code and finish time)"],
  };
}

/** Failed liveness/startup probes before the exit. */
function probeSender(ctx: RuleContext, kernelLogClean: boolean): Sender | null {
  const name = ctx.facts.container?.name;
  const probes = ctx.facts.podEvents.filter(
    (e) => PROBE_FAILURE.test(e.message) && (!name || e.message.includes(name) || e.reason === "Unhealthy"),
  );
  if (probes.length === 0) return null;
  const ev = probes.map((e) => evidence(e.source, `${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ""}`));
  return {
    kind: "liveness-probe",
    what: "exit code 137 follows failed liveness probes (kubelet kills the container after failureThreshold)",
    evidence: ev,
    confidence: kernelLogClean ? "high" : "medium",
    missing: kernelLogClean ? [] : ["the node's kernel log (dmesg -T) around the kill"],
  };
}

/**
 * The stop grace period, or a deletion without one, from the `Killing` event's time or the pod's
 * deletion fields against the container's finishedAt.
 */
function stopSender(ctx: RuleContext, kernelLogClean: boolean): Sender | null {
  const t = ctx.termination;
  const pod = ctx.facts.pod;
  if (!t || t.finishedAtMs === null || !pod) return null;
  const finished = t.finishedAtMs;
  const grace = pod.deletion?.gracePeriodSeconds ?? pod.terminationGracePeriodSeconds;
  const graceText = grace !== null ? `${grace} s` : `${DEFAULT_GRACE_SECONDS} s (the default)`;
  const graceMs = (grace ?? DEFAULT_GRACE_SECONDS) * 1000;
  const exit = terminationEvidence(ctx);
  const sure: Confidence = kernelLogClean ? "high" : "medium";
  const missing = kernelLogClean ? [] : ["the node's kernel log (dmesg -T) around the kill"];
  const del = pod.deletion;
  if (del && del.gracePeriodSeconds === 0) {
    return {
      kind: "forced-deletion",
      what: `the pod was deleted with a grace period of 0 s (\`kubectl delete --grace-period=0 --force\`): the kubelet killed the container without waiting for it to stop`,
      evidence: [evidence(del.source, "deletionGracePeriodSeconds: 0"), ...exit],
      confidence: sure,
      missing,
    };
  }
  if (del && del.timestampMs !== null && Math.abs(finished - del.timestampMs) <= GRACE_SLACK_MS) {
    return {
      kind: "stop-grace-period",
      what: `the container ran until the pod's deletion deadline (${iso(del.timestampMs)}, the end of its ${graceText} grace period) and exited at ${iso(finished)}: it did not stop on SIGTERM and got SIGKILL`,
      evidence: [evidence(del.source, `deletionTimestamp ${iso(del.timestampMs)}`), ...exit],
      confidence: sure,
      missing,
    };
  }
  const stop = killingEvent(ctx.facts.podEvents, ctx.facts.container?.name ?? null, finished);
  if (!stop) return null;
  const stopMs = stop.lastMs ?? stop.firstMs!;
  const after = finished - stopMs;
  const stopEv = [evidence(stop.source, `${stop.reason}: ${stop.message}`), ...exit];
  if (Math.abs(after - graceMs) <= GRACE_SLACK_MS) {
    return {
      kind: "stop-grace-period",
      what: `the kubelet stopped the container at ${iso(stopMs)} and it exited ${Math.round(after / 1000)} s later, when its ${graceText} stop grace period ran out: it did not stop on SIGTERM and got SIGKILL`,
      evidence: stopEv,
      confidence: sure,
      missing,
    };
  }
  if (after >= 0 && after <= GRACE_SLACK_MS && graceMs > 2 * GRACE_SLACK_MS) {
    return {
      kind: "forced-deletion",
      what: `the kubelet stopped the container at ${iso(stopMs)} and it exited ${Math.round(after / 1000)} s later, well inside its ${graceText} grace period: it was killed without waiting (a forced deletion such as \`kubectl delete --grace-period=0 --force\`, or a process that exits 137 on SIGTERM)`,
      evidence: stopEv,
      confidence: "medium",
      missing: [...missing, "the API audit log or the kubectl command that deleted the pod"],
    };
  }
  return null;
}

// The latest `Killing` (`Stopping container x`) event of the container at or before its exit, with a time.
function killingEvent(events: KubeEvent[], container: string | null, finishedMs: number): KubeEvent | null {
  const stops = events.filter((e) => {
    const m = STOPPING.exec(e.message);
    const at = e.lastMs ?? e.firstMs;
    return (
      e.reason === "Killing" &&
      m !== null &&
      (container === null || m[1] === container) &&
      at !== null &&
      at <= finishedMs + GRACE_SLACK_MS
    );
  });
  return stops.sort((a, b) => (a.lastMs ?? a.firstMs!) - (b.lastMs ?? b.firstMs!)).at(-1) ?? null;
}

function terminationEvidence(ctx: RuleContext): Evidence[] {
  const t = ctx.termination;
  if (!t) return [];
  return [
    evidence(
      t.source,
      `terminated: ${t.reason ?? "no reason"}, exit code ${t.exitCode ?? "?"}${t.finishedAtMs !== null ? `, finished ${iso(t.finishedAtMs)}` : ""}`,
    ),
  ];
}
