import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelLog, MAX_DIAGNOSTICS, parseKernelLog } from "../../src/ingest/kernel-log.js";
import { LIMITS } from "../../src/ingest/kernel-log/oom-report.js";
import { stripPrefix } from "../../src/ingest/kernel-log/prefix.js";
import { sourceFromFile, sourceFromString } from "../../src/ingest/source.js";
import type { ArtifactSource } from "../../src/ingest/types.js";
import { parseMemcgPath } from "../../src/correlate/memcg-path.js";
import type { FactSet, OomEvent } from "../../src/model/facts.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));
const KIB = 1024;

const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const parse = (path: string, text: string): Promise<FactSet> => kernelLog.parse(sourceFromString(path, text));
const parseFixture = (name: string): Promise<FactSet> => parse(name, fixture(name));
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);

function only(facts: FactSet): OomEvent {
  expect(facts.ooms).toHaveLength(1);
  return facts.ooms[0]!;
}

describe("kernelLog.sniff", () => {
  it.each(readdirSync(FIXTURES))("claims fixture %s", (name) => {
    expect(kernelLog.sniff(fixture(name).slice(0, 8192), name)).toBe(true);
  });

  it("claims a journal whose head has generic kernel prefixes but no OOM message yet", () => {
    const dmesg = Array.from(
      { length: 40 },
      (_, i) => `[    ${(i * 0.25).toFixed(6)}] usb 1-${i}: new high-speed USB device number ${i} using xhci_hcd`,
    ).join("\n");
    const journal = Array.from(
      { length: 40 },
      (_, i) =>
        `Jun 09 11:02:${String(i).padStart(2, "0")} node-1 kernel: cni0: port ${i}(veth${i}) entered blocking state`,
    ).join("\n");
    const kmsg = Array.from({ length: 10 }, (_, i) => `6,${1200 + i},${912833411207 + i},-;eth0: link up`).join("\n");
    const dmesgT = Array.from(
      { length: 10 },
      (_, i) => `[Wed Sep 16 17:51:${String(i).padStart(2, "0")} 2026] EXT4-fs (sda1): mounted filesystem`,
    ).join("\n");
    const messages = [
      "Jun  9 11:02:17 node-1 systemd[1]: Started Session 4.",
      "Jun  9 11:02:17 node-1 kernel: [ 812.1] cni0: port 2 entered forwarding state",
      "Jun  9 11:02:18 node-1 sshd[812]: Accepted publickey",
    ].join("\n");
    for (const head of [dmesg, journal, kmsg, dmesgT, messages]) expect(kernelLog.sniff(head, "x.log")).toBe(true);
  });

  it("does not claim describe output that quotes a kernel line in its events, JSON, YAML, memory.stat, pmap, kubelet logs", () => {
    const describeNode = [
      "Name:               node-7",
      "Roles:              <none>",
      "Labels:             kubernetes.io/os=linux",
      "Conditions:",
      "  Type             Status",
      "Events:",
      "  Type     Reason      Age   From            Message",
      "  ----     ------      ----  ----            -------",
      "  Warning  OOMKilling  12m   kernel-monitor  Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:520000kB, file-rss:1200kB, shmem-rss:0kB",
    ].join("\n");
    const eventsJson = JSON.stringify(
      { kind: "EventList", items: [{ reason: "OOMKilling", message: "Out of memory: Killed process 517 (clamd)" }] },
      null,
      2,
    );
    const yaml =
      "apiVersion: v1\nkind: Event\nmessage: 'Memory cgroup out of memory: Killed process 1012 (heapster)'\nreason: OOMKilling\n";
    const memoryStat = "anon 123\nfile 456\nkernel 789\nsock 0\nshmem 0\n";
    const pmap =
      "4299:   ./memory-user 1000 100\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n0000555555554000       4       4       0 r---- memory-user\n";
    const kubelet = Array.from(
      { length: 10 },
      (_, i) =>
        `Jun 09 11:02:1${i} node-1 kubelet[1203]: I0609 11:02:1${i}.000000    1203 kubelet.go:2446] "SyncLoop (PLEG)"`,
    ).join("\n");
    for (const head of [describeNode, eventsJson, "[]", yaml, memoryStat, pmap, kubelet, "", "   \n\n"])
      expect(kernelLog.sniff(head, "x.txt")).toBe(false);
  });

  it("does not claim binary garbage", () => {
    let garbage = "";
    for (let i = 0; i < 4096; i++) garbage += String.fromCharCode((i * 7919) % 256);
    expect(kernelLog.sniff(garbage, "blob.bin")).toBe(false);
  });
});

describe("kernelLog.parse line formats", () => {
  it("journalctl short-iso, cgroup v2 group kill: one event, many victims, 6.x tasks table", async () => {
    const facts = await parseFixture("journal-short-iso-group-kill.txt");
    const ev = only(facts);
    expect(ev.groupKillMemcg).toBe(ev.oomMemcg);
    expect(ev.victims.map((v) => v.pid)).toEqual([31744, 31731, 31750]);
    expect(ev.victims.every((v) => v.scope === "memcg")).toBe(true);
    expect(ev.host).toBe("node-a");
    expect(ev.time).toEqual({ wallMs: Date.UTC(2026, 5, 9, 11, 2, 17), uptimeSec: null, clock: "utc" });
    expect(ev.tasks.find((t) => t.pid === 31744)).toMatchObject({
      rssBytes: 258965 * 4096,
      totalVmBytes: 461203 * 4096,
      uid: 1000,
      oomScoreAdj: 985,
    });
    expect(Object.keys(ev.memcgStats!.bytes)).toHaveLength(25);
    expect(ev.reaped.map((r) => r.pid)).toEqual([31744]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("raw /dev/kmsg records: usec uptime, escaped multi-line stats, dictionary lines ignored", async () => {
    const facts = await parseFixture("kmsg-escaped-stats.txt");
    const ev = only(facts);
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: 1204417.991001, clock: "uptime" });
    expect(ev.memcgStats?.bytes).toMatchObject({ anon: 264249344, file: 61440, slab: 2426888 });
    expect(Object.keys(ev.memcgStats!.bytes)).toHaveLength(17);
    expect(ev.victims[0]).toMatchObject({ pid: 90211, process: "scraper", oomScoreAdj: 1000 });
    expect(parseMemcgPath(ev.oomMemcg!)).toMatchObject({ qosClass: "BestEffort", level: "container", runtime: null });
    expect(facts.diagnostics).toEqual([]);
  });

  it("dmesg --time-format iso, global OOM with the Mem-Info block", async () => {
    const ev = only(await parseFixture("dmesg-iso-global.txt"));
    expect(ev.time).toEqual({ wallMs: Date.UTC(2026, 5, 9, 11, 2, 17, 104), uptimeSec: null, clock: "utc" });
    expect(ev.global).toBe(true);
    expect(ev.constraint).toBe("none");
    expect(ev.oomMemcg).toBeNull();
    expect(ev.taskMemcg).toBe("/system.slice/app.service");
    expect(ev.victims[0]).toMatchObject({ pid: 7702, scope: "global", anonRssBytes: 7496008 * KIB });
    expect(ev.tasks.map((t) => t.name)).toEqual(["systemd-journal", "kubelet", "java"]);
    expect(ev.ramPages).toMatchObject({ pages: 2097018, source: { file: "dmesg-iso-global.txt", line: 9 } });
  });

  it("reads `N pages RAM` only inside a report, before its victim, and not from a near-miss", async () => {
    const lines = [
      "[  100.000001] 4194174 pages RAM",
      "[  200.000001] java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
      "[  200.000002] Mem-Info:",
      "[  200.000003] 12 pages RAM reserved for something",
      "[  200.000004] 2097018 pages RAM",
      "[  200.000005] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/app.service,task=java,pid=7702,uid=1001",
      "[  200.000006] Out of memory: Killed process 7702 (java) total-vm:10015644kB, anon-rss:7496008kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:15240kB oom_score_adj:0",
      "[  200.000007] 1 pages RAM",
    ];
    const { ooms } = await parse("dmesg.txt", lines.join("\n"));
    expect(ooms).toHaveLength(1);
    expect(ooms[0]!.ramPages).toMatchObject({ pages: 2097018, source: { line: 5 } });
  });

  it("dmesg -x with raw uptime, 6.x rss_anon/rss_file/rss_shmem columns, indented stats", async () => {
    const ev = only(await parseFixture("dmesg-x-raw-6x-shmem.txt"));
    expect(ev.kernelVersion).toBe("6.12.8-200.fc41.x86_64");
    expect(ev.time.uptimeSec).toBe(1178.612437);
    expect(ev.memcgStats?.bytes).toEqual({ anon: 30048256, file: 0, kernel: 999424, shmem: 33554432, file_mapped: 0 });
    expect(ev.tasks.map((t) => [t.pid, t.rssBytes])).toEqual([
      [61190, 8562 * 4096],
      [61201, 7346 * 4096],
    ]);
    expect(ev.victims[0]).toMatchObject({ pid: 61190, shmemRssBytes: 32768 * KIB, anonRssBytes: 0 });
  });

  it("RFC 3339 syslog with [uptime]: clock anchors, rsyslog #012 stats, other programs' lines ignored", async () => {
    const name = "syslog-rfc3339-uptime-v1-multiline.txt";
    const facts = await parseFixture(name);
    const ev = only(facts);
    expect(facts.clockAnchors).toEqual([
      {
        wallMs: Date.UTC(2026, 5, 9, 10, 58, 2, 119),
        uptimeSec: 3556.108851,
        clock: "utc",
        source: { file: name, line: 1 },
      },
      {
        wallMs: Date.UTC(2026, 5, 9, 11, 2, 17, 412),
        uptimeSec: 3811.402117,
        clock: "utc",
        source: { file: name, line: 3 },
      },
    ]);
    expect(ev.host).toBe("node-b");
    expect(ev.memcgStats?.bytes).toMatchObject({
      rss: 529440768,
      cache: 1249280,
      hierarchical_memory_limit: 536870912,
      total_inactive_file: 1175552,
    });
    expect(ev.victims.map((v) => v.pid)).toEqual([5521]);
    expect(ev.reaped.map((r) => r.pid)).toEqual([5521]);
    expect(ev.source).toEqual({ file: name, line: 3, endLine: 22 });
  });

  it("syslog without a host name, pod-level limit: the first stats block is the OOM memcg", async () => {
    const ev = only(await parseFixture("syslog-no-hostname-pod-limit-v1.txt"));
    expect(ev.host).toBeNull();
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: 812.11427, clock: "local", wallText: "Feb 3 14:07:51" });
    expect(ev.oomMemcg).toBe("/kubepods/burstable/pod5b8c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4");
    expect(parseMemcgPath(ev.oomMemcg!).level).toBe("pod");
    expect(ev.memcgStats?.path).toBe(ev.oomMemcg);
    expect(parseMemcgPath(ev.taskMemcg!).containerId).toBe(
      "e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5",
    );
    expect(ev.counters.map((c) => c.name)).toEqual(["memory", "memory+swap", "kmem"]);
    expect(ev.selected?.pid).toBe(2290);
    expect(ev.victims[0]).toMatchObject({ pid: 2290, scope: "memcg", shmemRssBytes: 0, uid: null });
  });

  it("talosctl dmesg: node prefix, facility/level, nanosecond UTC stamp", async () => {
    const ev = only(await parseFixture("talosctl-dmesg.txt"));
    expect(ev.host).toBe("10.1.2.3");
    expect(ev.time).toEqual({ wallMs: Date.UTC(2026, 1, 11, 8, 15, 42, 104), uptimeSec: null, clock: "utc" });
    expect(ev.victims[0]).toMatchObject({ pid: 40398, process: "ingest", oomScoreAdj: -997 });
    expect(ev.tasks[0]).toMatchObject({ pid: 40398, rssBytes: 522117 * 4096 });
  });

  it("journalctl short-unix: epoch time, CRI-O scope", async () => {
    const ev = only(await parseFixture("journal-short-unix.txt"));
    expect(ev.time).toEqual({ wallMs: 1690138606123, uptimeSec: null, clock: "utc" });
    expect(ev.host).toBe("node-c");
    expect(parseMemcgPath(ev.oomMemcg!)).toMatchObject({
      runtime: "cri-o",
      qosClass: "BestEffort",
      podUid: "4c5d6e7f-8091-4a2b-9c3d-4e5f60718293",
    });
  });

  it("dmesg -T in other locales: zh, ru, ja months read; a month in no known locale keeps its report, in order, with time null and one warning", async () => {
    const facts = await parseFixture("dmesg-T-locales.txt");
    expect(facts.ooms.map((e) => e.victims.map((v) => v.pid))).toEqual([[18830], [18912], [18990], [19077]]);
    const [zh, ru, ja, el] = facts.ooms as [OomEvent, OomEvent, OomEvent, OomEvent];
    expect(zh.time).toEqual({ wallMs: Date.UTC(2025, 5, 10, 9, 15, 2), uptimeSec: null, clock: "local" });
    expect(ru.time).toEqual({ wallMs: Date.UTC(2025, 5, 10, 9, 16, 40), uptimeSec: null, clock: "local" });
    expect(ja.time).toEqual({ wallMs: Date.UTC(2025, 5, 10, 9, 17, 55), uptimeSec: null, clock: "local" });
    expect(el.time).toEqual({ wallMs: null, uptimeSec: null, clock: "local", wallText: "Τρι Ιουν 10 09:19:02 2025" });
    expect(facts.ooms.map((e) => e.source.line)).toEqual([1, 6, 9, 12]);
    expect(facts.diagnostics.map((d) => [d.code, d.at])).toEqual([
      ["kernel-log/time-unreadable", { file: "dmesg-T-locales.txt", line: 12 }],
    ]);
    expect(facts.diagnostics[0]!.message).toMatch(/`Ιουν`.*2 more line/);
  });

  it("counts a line whose time is unreadable once, however many parts its escaped newlines split it into", async () => {
    const text = [
      "[Τρι Ιουν 10 09:19:02 2025] first#012second#012third",
      "[Τρι Ιουν 10 09:19:03 2025] one#012two#012three",
      "[Τρι Ιουν 10 09:19:04 2025] alone",
    ].join("\n");
    // Every line read (the scan reads only the lines that can matter to an OOM report).
    const facts = await parseKernelLog(sourceFromString("syslog-escaped.txt", text), { scan: false });
    const unread = facts.diagnostics.filter((d) => d.code === "kernel-log/time-unreadable");
    expect(unread.map((d) => d.at.line)).toEqual([1]);
    expect(unread[0]!.message).toMatch(/; 2 more line\(s\) read in this file are like it$/);
  });

  it("joins a victim line hard-wrapped over three lines, with a warning", async () => {
    const facts = await parseFixture("mail-wrapped-victim.txt");
    const ev = only(facts);
    expect(ev.victims).toHaveLength(1);
    expect(ev.victims[0]).toMatchObject({
      pid: 8812,
      anonRssBytes: 2092764 * KIB,
      uid: 1000,
      pgtablesBytes: 5032 * KIB,
      oomScoreAdj: 999,
    });
    expect(ev.victims[0]!.source).toEqual({ file: "mail-wrapped-victim.txt", line: 5, endLine: 7 });
    expect(ev.reaped.map((r) => r.pid)).toEqual([8812]);
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([["kernel-log/victim-line-joined", 5]]);
  });

  it("rate-limited reports (victim lines only) become separate events; a late reaper finds its kill", async () => {
    const facts = await parseFixture("ratelimited-kills.txt");
    expect(facts.ooms.map((e) => e.victims.map((v) => v.pid))).toEqual([[4077], [4102], [4133]]);
    expect(facts.ooms.map((e) => e.reaped.map((r) => r.pid))).toEqual([[4077], [4102], []]);
    expect(facts.ooms[0]!.reaped[0]!.source.line).toBe(9);
    expect(facts.ooms.slice(1).every((e) => e.constraint === "memcg" && e.global === false)).toBe(true);
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([
      ["kernel-log/report-starts-mid-way", 6],
      ["kernel-log/report-starts-mid-way", 8],
    ]);
  });
});

describe("kernelLog.parse edge cases", () => {
  it("glues a victim line cut mid-number by a terminal", async () => {
    const text =
      "Out of memory: Kill process 1532 (bsp) score 919 or sacrifice child\nKilled process 1532 (bsp) total-vm:1641388kB, anon-rss:159\n5164kB, file-rss:76kB\n";
    const ev = only(await parse("t.txt", text));
    expect(ev.victims[0]).toMatchObject({ anonRssBytes: 1595164 * KIB, fileRssBytes: 76 * KIB });
  });

  it("does not join a complete old-layout victim line with the next message", async () => {
    const text =
      "Memory cgroup out of memory: Kill process 9 (a) score 1 or sacrifice child\nKilled process 9 (a) total-vm:10kB, anon-rss:8kB, file-rss:1kB\ndevice veth1 left promiscuous mode\n";
    const facts = await parse("t.txt", text);
    expect(only(facts).victims[0]!.source).toEqual({ file: "t.txt", line: 2 });
    expect(codes(facts)).not.toContain("kernel-log/victim-line-joined");
  });

  it("keeps a victim line cut at end of file, with what it has and a warning", async () => {
    const text =
      "[1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[1.1] Memory cgroup out of memory: Killed process 77 (a) total-vm:100kB, anon-rss:";
    const facts = await parse("t.txt", text);
    expect(only(facts).victims[0]).toMatchObject({ pid: 77, totalVmBytes: 100 * KIB, anonRssBytes: null });
    expect(codes(facts)).toEqual(["kernel-log/victim-line-cut"]);
  });

  it("reads the RHEL 6 victim layout with the UID before the name", async () => {
    const ev = only(
      await parse(
        "t.txt",
        "stress invoked oom-killer: gfp_mask=0x280da, order=0, oom_score_adj=0\nOut of memory: Kill process 2811 (stress) score 938 or sacrifice child\nKilled process 2811, UID 0, (stress) total-vm:3956740kB, anon-rss:3849808kB, file-rss:4kB\n",
      ),
    );
    expect(ev.victims[0]).toMatchObject({ pid: 2811, uid: 0, process: "stress", scope: "global" });
    expect(ev.global).toBe(true);
  });

  it("ignores OOM-looking text written by other programs into syslog", async () => {
    const text =
      "Jun  9 11:02:17 node-1 oomwatch[812]: Memory cgroup out of memory: Killed process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n";
    expect((await parse("messages", text)).ooms).toEqual([]);
  });

  it("cpuset-constrained reports keep the constraint", async () => {
    const text =
      "[5.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[5.1] oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=batch,mems_allowed=1,global_oom,task_memcg=/batch.slice,task=a,pid=5,uid=0\n[5.2] Out of memory: Killed process 5 (a) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n";
    const ev = only(await parse("t.txt", text));
    expect(ev.constraint).toBe("cpuset");
    expect(ev.global).toBe(true);
    expect(ev.triggerCpuset).toBe("batch");
  });

  it("the task that invoked the OOM killer: its pid from the CPU line, its cgroup from cpuset=; `cpuset=/` is no cgroup", async () => {
    const id = "5e6f7a8b9c0d".repeat(5) + "1a2b";
    const text = [
      "[9.0] ingest invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=233",
      "[9.0] CPU: 2 PID: 88120 Comm: ingest Not tainted 6.8.0-1021-aws #23-Ubuntu",
      `[9.1] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=cri-containerd-${id}.scope,mems_allowed=0,global_oom,task_memcg=/kubepods.slice/x.scope,task=b,pid=7,uid=0`,
      "[9.2] Out of memory: Killed process 7 (b) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:1000",
      "[10.0] c invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
      "[10.0] Pid: 31, comm: c Not tainted 3.10.0-1160.el7.x86_64 #1",
      "[10.1] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=c,pid=31,uid=0",
      "[10.2] Out of memory: Killed process 31 (c) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
    ].join("\n");
    const [a, b] = (await parse("t.txt", text)).ooms;
    expect(a!.trigger).toMatchObject({ process: "ingest", pid: 88120 });
    expect(a!.triggerCpuset).toBe(`cri-containerd-${id}.scope`);
    expect(b!.trigger).toMatchObject({ process: "c", pid: 31 });
    expect(b!.triggerCpuset ?? null).toBeNull();
  });

  it("reads journalctl short and short-monotonic prefixes", () => {
    expect(stripPrefix("Jun 09 11:02:17 node-1 kernel: oom_reaper: reaped process 5 (a)")).toMatchObject({
      message: "oom_reaper: reaped process 5 (a)",
      host: "node-1",
      kernel: true,
      time: { wallMs: null, clock: "local", wallText: "Jun 09 11:02:17" },
    });
    expect(stripPrefix("[ 1234.567890] node-1 kernel: Out of memory: Killed process 5 (a)")).toMatchObject({
      message: "Out of memory: Killed process 5 (a)",
      host: "node-1",
      time: { uptimeSec: 1234.56789, clock: "uptime" },
    });
    expect(stripPrefix("Tue 2026-06-09 11:02:17 UTC node-1 kernel: oom_reaper: reaped process 5 (a)")).toMatchObject({
      host: "node-1",
      time: { wallMs: Date.UTC(2026, 5, 9, 11, 2, 17), clock: "utc" },
    });
    expect(stripPrefix("Di 2026-06-09 13:02:17 CEST node-1 kernel: x")).toMatchObject({
      message: "x",
      time: { wallMs: Date.UTC(2026, 5, 9, 13, 2, 17), clock: "local" },
    });
    expect(stripPrefix("[12.5] docker0: port 1(veth1) entered blocking state")).toMatchObject({
      message: "docker0: port 1(veth1) entered blocking state",
      host: null,
    });
    expect(stripPrefix("Dec 20 03:17:52 node-4jdugq kernel: [20401616.476879] [UFW BLOCK] IN=eth0")).toMatchObject({
      message: "[UFW BLOCK] IN=eth0",
      time: { uptimeSec: 20401616.476879 },
    });
    expect(
      stripPrefix("[  273]     0   273     4869       50      13        0             0 upstart-udev-br"),
    ).toMatchObject({
      prefixed: false,
      message: "[  273]     0   273     4869       50      13        0             0 upstart-udev-br",
    });
  });

  it("an event cut before its victim warns and names the task the summary line gave", async () => {
    const text =
      "[5.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n[5.1] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods,task_memcg=/kubepods/pod1,task=a,pid=5,uid=0\n";
    const facts = await parse("t.txt", text);
    expect(only(facts).victims).toEqual([]);
    expect(facts.diagnostics[0]).toMatchObject({ code: "kernel-log/no-victim-line", at: { file: "t.txt", line: 1 } });
    expect(facts.diagnostics[0]!.message).toContain("task=a pid=5");
  });

  it("parses the sample in its own header without warnings", async () => {
    const src = readFileSync(fileURLToPath(new URL("../../src/ingest/kernel-log.ts", import.meta.url)), "utf8");
    const block = /Sample input:\n \* ```text\n([\s\S]*?)\n \* ```/.exec(src)![1]!;
    const sample = block
      .split("\n")
      .map((l) => l.replace(/^ \* /, ""))
      .join("\n");
    expect(kernelLog.sniff(sample, "dmesg.txt")).toBe(true);
    const facts = await parse("dmesg.txt", sample);
    expect(only(facts).victims[0]).toMatchObject({ pid: 31744, anonRssBytes: 519880 * KIB });
    expect(facts.diagnostics).toEqual([]);
  });
});

describe("kernelLog.parse on hostile input", () => {
  it("returns nothing for an empty file", async () => {
    const facts = await parse("empty.txt", "");
    expect(facts.ooms).toEqual([]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("does not throw on binary garbage and says nothing was recognised", async () => {
    let garbage = "";
    for (let i = 0; i < 20000; i++) garbage += String.fromCharCode((i * 7919 + 13) % 256);
    const facts = await parse("blob.bin", garbage);
    expect(facts.ooms).toEqual([]);
    expect(codes(facts)).toEqual(["kernel-log/no-kernel-lines"]);
  });

  it("reads CRLF files the same as LF", async () => {
    const name = "syslog-rfc3339-uptime-v1-multiline.txt";
    const lf = await parseFixture(name);
    const crlf = await parse(name, fixture(name).replace(/\n/g, "\r\n"));
    expect(lf.ooms.length).toBeGreaterThan(0);
    expect(crlf.ooms).toEqual(lf.ooms);
  });

  it("reads a UTF-16 LE file with BOM through the streaming source", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kernel-log-"));
    const file = join(dir, "dmesg.txt");
    const name = "syslog-no-hostname-pod-limit-v1.txt";
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture(name), "utf16le")]));
    const src = await sourceFromFile(file, "dmesg.txt");
    expect(kernelLog.sniff(src.head, "dmesg.txt")).toBe(true);
    const ev = only(await kernelLog.parse(src));
    expect(ev.victims[0]?.pid).toBe(2290);
    expect(ev).toEqual(only(await parse("dmesg.txt", fixture(name))));
  });

  it("keeps going past a huge line inside a report", async () => {
    const text = [
      "[1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
      `[1.1] Killed process 1 (${"x".repeat(3_000_000)}`,
      "[1.2] Memory cgroup out of memory: Killed process 5 (a) total-vm:10kB, anon-rss:8kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
    ].join("\n");
    const facts = await parse("huge.txt", text);
    expect(facts.ooms.flatMap((e) => e.victims.map((v) => v.pid))).toContain(5);
  });

  it("streams a long journal once and bounds the tasks table it holds", async () => {
    const rows = LIMITS.tasks + 500;
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(`[${i}.000001] cni0: port 2(veth${i}) entered blocking state`);
    lines.push("[200000.1] big invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0");
    lines.push("[200000.1] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
    for (let i = 0; i < rows; i++)
      lines.push(`[200000.1] [${1000 + i}]     0 ${1000 + i}     1000      100    40960        0             0 worker`);
    lines.push(
      "[200000.2] Out of memory: Killed process 1000 (worker) total-vm:4000kB, anon-rss:400kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0",
    );
    for (let i = 0; i < 100_000; i++) lines.push(`[${300000 + i}.000001] eth0: link up`);
    const inner = sourceFromString("journal.txt", lines.join("\n"));
    let reads = 0;
    const source: ArtifactSource = {
      ...inner,
      bytes: () => {
        reads++;
        return inner.bytes!();
      },
      lines: () => {
        throw new Error("parse must scan the bytes");
      },
      text: async () => {
        throw new Error("parse must stream");
      },
    };
    const facts = await kernelLog.parse(source);
    expect(reads).toBe(1);
    const ev = only(facts);
    expect(ev.tasks).toHaveLength(LIMITS.tasks);
    expect(ev.victims[0]?.pid).toBe(1000);
    expect(codes(facts)).toEqual(["kernel-log/report-entries-skipped"]);
  });

  it("caps the number of warnings for a file full of fragments", async () => {
    const text = Array.from(
      { length: MAX_DIAGNOSTICS + 50 },
      (_, i) => `Killed process ${i + 1} (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB`,
    ).join("\n");
    const facts = await parse("frags.txt", text);
    expect(facts.ooms).toHaveLength(MAX_DIAGNOSTICS + 50);
    expect(facts.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(facts.diagnostics.at(-1)?.code).toBe("kernel-log/too-many-warnings");
  });
});

describe("tasks table sanity", () => {
  it("a Tasks-state row with negative page counts gives unknown sizes, not negative bytes", async () => {
    const text = [
      "app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984",
      "Tasks state (memory values in pages):",
      "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
      "[   1234]     0  1234       -1       -1    40960        0           984 app",
      "Memory cgroup out of memory: Killed process 1234 (app) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:984",
    ].join("\n");
    const facts = await kernelLog.parse(sourceFromString("dmesg.txt", text));
    const task = facts.ooms[0]!.tasks[0]!;
    expect([task.pid, task.rssBytes, task.totalVmBytes]).toEqual([1234, null, null]);
  });
});
