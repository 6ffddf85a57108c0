/**
 * Builders for hand-made subjects, so each rule test states only the facts it is about.
 */
import type { SubjectFacts, TimedKernelKill } from "../../src/correlate/index.js";
import { kernelKills } from "../../src/correlate/attribute.js";
import { buildKills, lastTermination } from "../../src/correlate/kills.js";
import { resolveLimit } from "../../src/correlate/limit.js";
import { decideEvent } from "../../src/diagnose/event.js";
import type { RuleContext } from "../../src/diagnose/types.js";
import type { ContainerFact, ContainerState, OomEvent, PodFact } from "../../src/model/facts.js";

const MI = 1024 ** 2;
export const at = (line: number, file = "bundle.txt") => ({ file, line });

export function container(over: Partial<ContainerFact> = {}): ContainerFact {
  return {
    name: "app",
    init: false,
    containerId: "a".repeat(64),
    image: "registry/app:1",
    limitBytes: 512 * MI,
    requestBytes: 256 * MI,
    limitSource: at(20),
    restartCount: 1,
    state: {
      kind: "running",
      reason: null,
      exitCode: null,
      signal: null,
      message: null,
      startedAtMs: Date.parse("2026-06-09T11:03:00Z"),
      finishedAtMs: null,
      source: at(10),
    },
    lastState: null,
    command: [],
    args: [],
    env: [],
    livenessProbe: null,
    volumeMounts: [],
    source: at(5),
    ...over,
  };
}

export function terminated(over: Partial<ContainerState> = {}): ContainerState {
  return {
    kind: "terminated",
    reason: "OOMKilled",
    exitCode: 137,
    signal: null,
    message: null,
    startedAtMs: Date.parse("2026-06-01T00:00:00Z"),
    finishedAtMs: Date.parse("2026-06-09T11:02:18Z"),
    source: at(12),
    ...over,
  };
}

export function pod(c: ContainerFact, over: Partial<PodFact> = {}): PodFact {
  return {
    source: at(1),
    name: "api-7d9c-x1",
    namespace: "shop",
    uid: "0f0e0d0c-0b0a-4000-8000-000000000001",
    node: "node-1",
    qosClass: "Burstable",
    phase: "Running",
    reason: null,
    message: null,
    startTimeMs: null,
    owner: { kind: "ReplicaSet", name: "api-7d9c" },
    terminationGracePeriodSeconds: 30,
    containers: [c],
    volumes: [],
    ...over,
  };
}

export function oom(over: Partial<OomEvent> = {}): OomEvent {
  return {
    source: at(100, "dmesg.txt"),
    time: { wallMs: Date.parse("2026-06-09T11:02:17Z"), uptimeSec: null, clock: "utc" },
    trigger: null,
    constraint: "memcg",
    oomMemcg: "/kubepods/burstable/pod0f0e0d0c-0b0a-4000-8000-000000000001/" + "a".repeat(64),
    taskMemcg: null,
    global: false,
    counters: [
      {
        name: "memory",
        usageBytes: 512 * MI,
        limitBytes: 512 * MI,
        failcnt: 10,
        source: at(101, "dmesg.txt"),
        text: "memory: usage 524288kB, limit 524288kB, failcnt 10",
      },
    ],
    memcgStats: null,
    tasks: [],
    victims: [
      {
        pid: 4242,
        process: "app",
        scope: "memcg",
        totalVmBytes: null,
        anonRssBytes: 500 * MI,
        fileRssBytes: 0,
        shmemRssBytes: 0,
        uid: 0,
        pgtablesBytes: null,
        oomScoreAdj: 984,
        source: at(110, "dmesg.txt"),
        text: "Memory cgroup out of memory: Killed process 4242 (app)",
      },
    ],
    selected: null,
    groupKillMemcg: null,
    reaped: [],
    host: null,
    kernelVersion: null,
    ...over,
  };
}

/** A subject with the given container/pod and kernel OOMs (placed at their wall time). */
export function subject(opts: {
  container?: ContainerFact | null;
  pod?: PodFact | null;
  ooms?: OomEvent[];
  events?: SubjectFacts["podEvents"];
  nodeEvents?: SubjectFacts["nodeEvents"];
}): SubjectFacts {
  const c = opts.container === undefined ? container() : opts.container;
  const p = opts.pod === undefined ? (c ? pod(c) : null) : opts.pod;
  const kills: TimedKernelKill[] = kernelKills(opts.ooms ?? []).map((k) => ({
    ...k,
    time: { ms: k.oom.time.wallMs, source: k.oom.time.wallMs === null ? null : "kernel-wall" },
  }));
  return {
    subject: {
      namespace: p?.namespace ?? null,
      pod: p?.name ?? null,
      podUid: p?.uid ?? null,
      container: c?.name ?? null,
      containerId: c?.containerId ?? null,
      node: p?.node ?? null,
    },
    pod: p,
    container: c,
    kernelKills: kills,
    podEvents: opts.events ?? [],
    nodeEvents: opts.nodeEvents ?? [],
    memcgSnapshots: [],
    pmaps: [],
    series: [],
    runtimeConfigs: [],
    limit: resolveLimit({ container: c, kernelKills: kills, memcgSnapshots: [], series: [] }),
  };
}

/** The rule context the engine would build for the subject. */
export function context(
  s: SubjectFacts,
  kernelLogFiles: string[] = s.kernelKills.length > 0 ? ["dmesg.txt"] : [],
): RuleContext {
  const kills = buildKills(s);
  return {
    facts: s,
    event: decideEvent(s, kills, kernelLogFiles),
    kills,
    termination: lastTermination(s),
    kernelLogFiles,
  };
}
