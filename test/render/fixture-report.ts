/**
 * Hand-built `Report` fixtures for the render tests (the JSON contract of DESIGN.md §4).
 *
 * `makeReport()` is a two-incident bundle: a container OOM kill of `shop/api-7d9f8c6b5-x2x4q`
 * (`api`) judged `limit-too-low`, and a child-process OOM kill (`php-fpm` worker) with most
 * values unknown. The kernel lines are written in the 5.x `mm/oom_kill.c` formats
 * (`oom-kill:constraint=…` from dump_oom_summary(), `Memory cgroup out of memory: Killed
 * process …` from __oom_kill_process()). Each call returns a fresh object.
 *
 * `makeMemoryReport()` is the same bundle with a cgroup v2 `memory.stat` anatomy and a
 * Grafana CSV usage series for the first incident (two runs, a kill at the end of each).
 */
import type { MemoryAnatomy, Report, UsageSeries } from "../../src/model/incident.js";

const POD_UID = "3f1c2a9e-7b4d-4e8f-9a61-0c5d2e7f8b10";
const CONTAINER_ID = "containerd://9b2f6c1e4d7a8b3c5e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";
export const MEMCG = `/kubepods/burstable/pod${POD_UID}/9b2f6c1e4d7a8b3c5e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d`;

const OOM_KILL_LINE =
  `[2914601.180912] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=9b2f6c1e4d7a,mems_allowed=0,` +
  `oom_memcg=${MEMCG},task_memcg=${MEMCG},task=worker,pid=31744,uid=1000`;
const KILLED_LINE =
  "[2914601.181433] Memory cgroup out of memory: Killed process 31744 (worker) total-vm:3311232kB, " +
  "anon-rss:2092912kB, file-rss:20716kB, shmem-rss:0kB, UID:1000 pgtables:4612kB oom_score_adj:984";
const MEMORY_LINE = "[2914601.180601] memory: usage 2097152kB, limit 2097152kB, failcnt 1843";

/** A fresh two-incident report. */
export function makeReport(): Report {
  return {
    tool: { name: "oom-postmortem", version: "0.1.0" },
    bundle: {
      path: "bundles/shop-api-2026-06-09",
      files: [
        { path: "dmesg.txt", kind: "kernel-log", warnings: [] },
        { path: "pod.json", kind: "pod-json", warnings: [] },
        {
          path: "describe.txt",
          kind: "kubectl-describe",
          warnings: [
            {
              line: 7,
              message:
                "kubectl-describe: Limits block has no memory line — expected `memory: 2Gi` — received `cpu: 500m`",
            },
          ],
        },
        { path: "notes.txt", kind: "unknown", warnings: [] },
      ],
    },
    incidents: [
      {
        subject: {
          namespace: "shop",
          pod: "api-7d9f8c6b5-x2x4q",
          podUid: POD_UID,
          container: "api",
          containerId: CONTAINER_ID,
          node: "ip-10-0-3-17.eu-west-1.compute.internal",
        },
        event: "container-oom-kill",
        kills: [
          {
            time: "2026-06-09T11:02:17Z",
            timeSource: "uptime-anchored",
            pid: 31744,
            process: "worker",
            anonRssBytes: 2143141888,
            fileRssBytes: 21213184,
            shmemRssBytes: 0,
            totalVmBytes: 3390701568,
            limitBytes: 2147483648,
            limitHit: "memory",
            memcg: MEMCG,
            memcgLevel: "container",
            evidence: [
              { file: "dmesg.txt", line: 12, text: OOM_KILL_LINE },
              { file: "dmesg.txt", line: 13, text: KILLED_LINE },
            ],
          },
        ],
        verdict: {
          cause: "limit-too-low",
          confidence: "high",
          summary:
            "anon-rss of worker was 99.8% of the 2 GiB limit at the kill, and the working set sat at 1.9 GiB for the 6 h before it",
          evidence: [
            { file: "dmesg.txt", line: 11, text: MEMORY_LINE },
            { file: "pod.json", line: 41, text: '"memory": "2Gi"' },
          ],
        },
        hypotheses: [
          {
            cause: "limit-too-low",
            status: "supported",
            confidence: "high",
            reason: "working set plateaued at 1.9 GiB, 95% of the limit, for 6 h before the kill",
            evidence: [{ file: "dmesg.txt", line: 11, text: MEMORY_LINE }],
            missing: [],
          },
          {
            cause: "memory-leak",
            status: "rejected",
            confidence: "medium",
            reason: "no monotonic ramp between restarts; the working set is flat",
            evidence: [],
            missing: ["metrics over several restarts"],
          },
          {
            cause: "runtime-misconfigured",
            status: "undetermined",
            reason: "no runtime flags in the bundle",
            evidence: [],
            missing: ["java -XX:+PrintFlagsFinal -version output", "the container's env"],
          },
        ],
        actions: [
          {
            title: "Raise the memory limit",
            detail: "Set limits.memory to 2560Mi; the working set needs 1.9 GiB plus headroom",
            command: "kubectl -n shop set resources deployment/api -c api --limits=memory=2560Mi",
          },
          {
            title: "Watch the working set after the change",
            detail: "Compare container_memory_working_set_bytes with the new limit for a week.",
          },
        ],
        timeline: [
          {
            time: "2026-06-09T11:02:17Z",
            uptimeSec: 2914601.180912,
            what: "kernel OOM-killed worker (pid 31744) in the container memcg",
            evidence: { file: "dmesg.txt", line: 12, text: OOM_KILL_LINE },
          },
          {
            time: "2026-06-09T11:02:19Z",
            what: "container api terminated: OOMKilled, exit code 137",
            evidence: { file: "pod.json", line: 77, text: '"reason": "OOMKilled"' },
          },
        ],
        sizing: {
          currentLimitBytes: 2147483648,
          recommendedLimitBytes: 2684354560,
          basis: "peak working set 1.9 GiB plus 25% headroom",
        },
        notes: ["dmesg timestamps are seconds since boot; anchored to the kubelet finishedAt (offset 2.1 s)"],
      },
      {
        subject: { namespace: null, pod: null, podUid: null, container: "php", containerId: null, node: null },
        event: "child-oom-kill",
        kills: [
          {
            time: null,
            pid: 4242,
            process: "php-fpm",
            anonRssBytes: 536870912,
            limitBytes: null,
            limitHit: null,
            memcg: null,
            memcgLevel: null,
            evidence: [{ file: "dmesg.txt", line: 40, text: "Killed process 4242 (php-fpm)" }],
          },
        ],
        verdict: {
          cause: "undetermined",
          confidence: "low",
          summary: "the bundle has no memory.stat or metrics for this container.",
          evidence: [],
        },
        hypotheses: [],
        actions: [],
        timeline: [
          {
            time: null,
            uptimeSec: 3100.5,
            what: "kernel OOM-killed php-fpm (pid 4242)",
            evidence: { file: "dmesg.txt", line: 40, text: "Killed process 4242 (php-fpm)" },
          },
        ],
        sizing: null,
        notes: [],
      },
    ],
    warnings: [
      {
        file: "describe.txt",
        line: 7,
        message: "kubectl-describe: Limits block has no memory line — expected `memory: 2Gi` — received `cpu: 500m`",
      },
      { file: "dmesg.txt", message: "kernel-log: no wall-clock anchor in the file" },
    ],
  };
}

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** 2026-06-09T05:00:00Z: the first scrape of the usage series. */
const SERIES_START_MS = Date.UTC(2026, 5, 9, 5, 0, 0);

/** The usage series' scrape step, in seconds. */
const STEP_SEC = 60;

/** Kill and restart times of the usage series (ISO, as the model writes them). */
export const USAGE_KILLS = ["2026-06-09T08:00:30Z", "2026-06-09T11:02:17Z"];
export const USAGE_RESTARTS = ["2026-06-09T08:01:00Z"];

/** The cgroup v2 `memory.stat` lines of the anatomy (kernel Documentation/admin-guide/cgroup-v2.rst). */
const STAT_LINES = {
  anon: { line: 1, text: "anon 1887436800", bytes: 1800 * MIB },
  activeFile: { line: 10, text: "active_file 104857600", bytes: 100 * MIB },
  inactiveFile: { line: 9, text: "inactive_file 52428800", bytes: 50 * MIB },
  shmem: { line: 6, text: "shmem 0", bytes: 0 },
  kernel: { line: 3, text: "kernel 41943040", bytes: 40 * MIB },
  sock: { line: 5, text: "sock 8388608", bytes: 8 * MIB },
};

/** The anatomy at the kill: 2 GiB limit, mostly anon, 150 MiB of page cache. */
export function makeAnatomy(): MemoryAnatomy {
  const limit = 2 * GIB;
  const parts: [string, keyof typeof STAT_LINES][] = [
    ["anon", "anon"],
    ["page cache (active file)", "activeFile"],
    ["page cache (inactive file)", "inactiveFile"],
    ["shmem / tmpfs", "shmem"],
    ["kernel (slab, stacks, page tables)", "kernel"],
    ["socket buffers", "sock"],
  ];
  const usage = Object.values(STAT_LINES).reduce((sum, s) => sum + s.bytes, 0);
  return {
    time: "2026-06-09T11:02:10Z",
    source: { file: "memory.stat", line: 1, text: STAT_LINES.anon.text },
    usageBytes: usage,
    limitBytes: limit,
    rows: parts.map(([part, key]) => ({
      part,
      bytes: STAT_LINES[key].bytes,
      shareOfLimit: STAT_LINES[key].bytes / limit,
      evidence: { file: "memory.stat", line: STAT_LINES[key].line, text: STAT_LINES[key].text },
    })),
    workingSetBytes: usage - STAT_LINES.inactiveFile.bytes,
    oomRiskBytes: usage - STAT_LINES.activeFile.bytes - STAT_LINES.inactiveFile.bytes - STAT_LINES.shmem.bytes,
    notes: ["page cache (150 MiB) is reclaimable: the working set overstates what the OOM killer sees"],
  };
}

/**
 * A Grafana "Download CSV" series of `container_memory_working_set_bytes`, one point a minute:
 * run 1 ramps 1 GiB → 2 GiB from 05:00 to 08:00 (kill at 08:00:30), run 2 from 08:01 to 11:02
 * (kill at 11:02:17). Values are whole KiB, as cAdvisor reports them.
 */
export function makeUsage(): UsageSeries {
  const points: [number, number][] = [];
  const ramp = (startMs: number, minutes: number): void => {
    for (let i = 0; i <= minutes; i++)
      points.push([startMs + i * 60_000, Math.round((GIB + (GIB * i) / 181) / 1024) * 1024]);
  };
  ramp(SERIES_START_MS, 180);
  ramp(SERIES_START_MS + 181 * 60_000, 181);
  const slope = GIB / (181 * 60);
  return {
    metric: 'container_memory_working_set_bytes{namespace="shop",pod="api-7d9f8c6b5-x2x4q",container="api"}',
    evidence: {
      file: "metrics.csv",
      line: 1,
      text: '"Time","container_memory_working_set_bytes{container=\\"api\\"}"',
    },
    limitBytes: 2 * GIB,
    points,
    restarts: [...USAGE_RESTARTS],
    kills: [...USAGE_KILLS],
    runs: [
      {
        start: "2026-06-09T05:00:00Z",
        end: "2026-06-09T08:00:30Z",
        minBytes: GIB,
        medianBytes: 1.5 * GIB,
        p99Bytes: 1.98 * GIB,
        maxBytes: 1.995 * GIB,
        slopeBytesPerSec: slope,
        r2: 0.998,
        timeToLimitSec: 10830,
        endedBy: "kill",
      },
      {
        start: "2026-06-09T08:01:00Z",
        end: "2026-06-09T11:02:17Z",
        minBytes: GIB,
        medianBytes: 1.5 * GIB,
        p99Bytes: 1.99 * GIB,
        maxBytes: 2 * GIB - 4096,
        slopeBytesPerSec: slope,
        r2: 0.997,
        timeToLimitSec: null,
        endedBy: null,
      },
    ],
    stepSec: STEP_SEC,
  };
}

/** {@link makeReport} with {@link makeAnatomy} and {@link makeUsage} on the first incident. */
export function makeMemoryReport(): Report {
  const report = makeReport();
  report.incidents[0]!.anatomy = makeAnatomy();
  report.incidents[0]!.usage = makeUsage();
  report.bundle.files.push(
    { path: "memory.stat", kind: "memory-stat", warnings: [] },
    { path: "metrics.csv", kind: "metrics-csv", warnings: [] },
  );
  return report;
}

/** A report with no incident (a bundle with no kill). */
export function makeEmptyReport(): Report {
  const report = makeReport();
  report.incidents = [];
  report.warnings = [];
  report.bundle.files = [{ path: "notes.txt", kind: "unknown", warnings: [] }];
  return report;
}

/**
 * Puts `payload` in every artifact-derived string of {@link makeMemoryReport}: namespace, pod,
 * container, node, process names, memcg path, evidence text and file names, summaries,
 * reasons, missing-artifact hints, action title/detail/command, timeline text, notes,
 * warnings, bundle file names, anatomy parts/notes/evidence, and the usage series' metric,
 * evidence, run times and kill/restart lists.
 */
export function makeHostileReport(payload: string): Report {
  const report = makeMemoryReport();
  const incident = report.incidents[0]!;
  incident.subject = {
    namespace: payload,
    pod: payload,
    podUid: payload,
    container: payload,
    containerId: payload,
    node: payload,
  };
  const kill = incident.kills[0]!;
  kill.process = payload;
  kill.memcg = payload;
  kill.timeSource = payload;
  kill.largestTask = { pid: 1, process: payload, rssBytes: 1024 };
  kill.evidence.push({ file: payload, line: 3, text: payload });
  incident.verdict.summary = `before ${payload} after`;
  incident.verdict.evidence.push({ file: payload, line: 9, text: payload });
  incident.hypotheses[0]!.reason = payload;
  incident.hypotheses[1]!.missing = [payload];
  incident.hypotheses[1]!.evidence = [{ file: payload, line: 2, text: payload }];
  incident.actions[0]!.title = payload;
  incident.actions[0]!.detail = payload;
  incident.actions[0]!.command = `kubectl -n ${payload} describe pod ${payload}`;
  incident.timeline[0]!.what = payload;
  incident.timeline[1]!.time = payload;
  incident.sizing!.basis = payload;
  incident.notes = [payload];
  const anatomy = incident.anatomy!;
  anatomy.source = { file: payload, line: 1, text: payload };
  anatomy.time = payload;
  anatomy.rows[0]!.part = payload;
  anatomy.rows[1]!.evidence = { file: payload, line: 4, text: payload };
  anatomy.notes.push(payload);
  const usage = incident.usage!;
  usage.metric = payload;
  usage.evidence = { file: payload, line: 1, text: payload };
  usage.kills.push(payload);
  usage.restarts.push(payload);
  usage.runs[1]!.start = payload;
  usage.runs[1]!.end = payload;
  report.incidents[1]!.kills[0]!.process = payload;
  report.incidents[1]!.verdict.summary = payload;
  report.warnings.push({ file: payload, line: 1, message: payload });
  report.bundle.files.push({ path: payload, kind: "unknown", warnings: [{ line: 2, message: payload }] });
  return report;
}
