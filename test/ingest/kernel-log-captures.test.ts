/**
 * Kernel OOM reports as other people pasted them in public threads, trimmed to the OOM lines
 * (test/fixtures/kernel-log/realworld-*.txt, text as found except where the table says). Each test asserts the facts a reader of the thread would take from the capture.
 *
 * | fixture | source | layout | what the thread concluded |
 * | --- | --- | --- | --- |
 * | realworld-rhel7-killed-uid-comma.txt | kubernetes/kubernetes#50632 (comment by qixiaobo; its `> ` quote markers removed) | CentOS 7 / Alibaba ECS syslog, RHEL 7 `Killed process N (comm), UID N, total-vm:…` | node children of a multi-process container killed one after another while the container kept running |
 * | realworld-rhel7-kill-storm-syslog.txt | linux-test-project/ltp#1080 | RHEL 7 syslog: legacy `Kill process … or sacrifice child` + RHEL 7 victim lines | LTP memcg stress test: kills inside a tiny test memcg, expected |
 * | realworld-rhel6-killed-uid-before-comm.txt | cPanelSSP/SSP#76 | CentOS 6 (2.6.32) syslog, `Killed process N, UID N, (comm)` | mysqld killed; thread unsure it was the OOM killer (no other line kept) |
 * | realworld-v1-hard-wrapped-memsw.txt | bluek8s/kubedirector#356 (the `[` its excerpt lost on line 1 restored) | raw dmesg hard-wrapped by a terminal mid-path and mid-number, cgroup v1 with swap accounting | `cp` in the app container at its 512Mi memory+swap limit, nearly all page cache (dirty 491 MiB) |
 * | realworld-alibaba-systemd-docker-scope-v1.txt | istio/istio#42734 | Alibaba syslog, systemd cgroup driver with `docker-<id>.scope`, cgroup v1 | istio-proxy container at its 1 GiB limit, anon-dominated; question open |
 * | realworld-lxc-nested-kubepods-oom-kill.txt | leptonai/gpud#70 | syslog with microseconds and the host blanked out as `...`, kubepods nested under an LXC payload | pod-level memcg limit hit, task pt_main_thread (PyTorch) |
 * | realworld-osctl-nested-system-docker.txt | siderolabs/talos#289 | `osctl dmesg` with `<6>` priority, kubepods nested under /system/docker, cut with `...` | the limit hit was the container runtime's own cgroup (/system/docker), fixed by removing it |
 * | realworld-global-comm-in-parens.txt | docker/for-linux#1001 (comment by thaJeztah) | Ubuntu syslog, global kills without header, comm `(resolved)` | host OOM after a container hit its kernel-memory limit |
 * | realworld-5.4-raw-memcg-reaper.txt | reportportal/kubernetes#203 | raw dmesg, 5.4.0-77 Ubuntu, victim + reaper then the next report's header | uwsgi killed by its memcg limit (oom_score_adj 986: burstable) |
 * | realworld-victim-already-exiting.txt | bitnami/charts#30302 | raw dmesg 6.x: `OOM victim N (comm) is already exiting. Skip killing the task` then the kill of another httpd | WordPress pod restarted every 5-20 min: the httpd workers at the container's limit |
 * | realworld-journal-verbose-message-only.txt | Azure/WALinuxAgent#2749 | `journalctl -kqg 'killed process' -o verbose --output-fields=MESSAGE`, CET | the agent's log collector (tail, python3) OOM-killed in its memcg every hour |
 * | realworld-journal-indented-v2stats-v1-memsw.txt | Azure/WALinuxAgent#2805 | journalctl short on AKS 5.4: v1 counters, v2-format stats as one multi-line message indented by journalctl | the agent's log collector slice (30 MB limit) OOM-killed every hour; agent bug |
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet, OomEvent } from "../../src/model/facts.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));
const KIB = 1024;

const parseFixture = (name: string): Promise<FactSet> =>
  kernelLog.parse(sourceFromString(name, readFileSync(join(FIXTURES, name), "utf8")));

function only(facts: FactSet): OomEvent {
  expect(facts.ooms).toHaveLength(1);
  return facts.ooms[0]!;
}

describe("RHEL victim-line layouts", () => {
  it("RHEL 7 `Killed process N (comm), UID N, total-vm:…`: every kill with its RSS split and uid", async () => {
    const facts = await parseFixture("realworld-rhel7-killed-uid-comma.txt");
    const victims = facts.ooms.flatMap((o) => o.victims);
    expect(victims.map((v) => v.pid)).toEqual([799153, 799402, 799889, 799707, 799791, 800660, 800329, 801542]);
    expect(victims[0]).toMatchObject({
      process: "node",
      uid: 1000,
      totalVmBytes: 606096 * KIB,
      anonRssBytes: 68308 * KIB,
      fileRssBytes: 13648 * KIB,
      shmemRssBytes: 0,
    });
    expect(facts.ooms.every((o) => o.host === "iZuf601dofntkxgp7lyfi9Z")).toBe(true);
  });

  it("RHEL 7 storm of legacy selections: each `Kill process` pairs with its `Killed process` and the memcg scope it names", async () => {
    const facts = await parseFixture("realworld-rhel7-kill-storm-syslog.txt");
    expect(facts.ooms.map((o) => o.victims.map((v) => v.pid))).toEqual([[42452], [42453], [42474], [42471], [42468]]);
    for (const o of facts.ooms.slice(1)) {
      expect(o.selected?.pid).toBe(o.victims[0]!.pid);
      expect(o.global).toBe(false);
      expect(o.victims[0]).toMatchObject({ process: "memcg_test_1", scope: "memcg", uid: 0, anonRssBytes: 96 * KIB });
    }
    expect(facts.diagnostics.map((d) => d.code)).not.toContain("kernel-log/no-victim-line");
  });

  it("RHEL 6 `Killed process N, UID N, (comm)`: victim and RSS read, scope left unknown", async () => {
    const ev = only(await parseFixture("realworld-rhel6-killed-uid-before-comm.txt"));
    expect(ev.victims).toEqual([
      expect.objectContaining({
        pid: 11726,
        process: "mysqld",
        uid: 498,
        anonRssBytes: 2539268 * KIB,
        fileRssBytes: 768 * KIB,
        shmemRssBytes: null,
        scope: null,
      }),
    ]);
    expect(ev.global).toBeNull();
    expect(ev.time.uptimeSec).toBe(2858609.598568);
  });
});

describe("memcg paths and layouts", () => {
  it("a terminal hard-wrap inside the `limit of` path and inside a v1 stats item: both lines joined, said so", async () => {
    const facts = await parseFixture("realworld-v1-hard-wrapped-memsw.txt");
    const ev = only(facts);
    const container =
      "/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9";
    expect(ev).toMatchObject({ oomMemcg: container, taskMemcg: container, global: false, constraint: "memcg" });
    expect(ev.memcgStats?.bytes).toMatchObject({
      cache: 507172 * KIB,
      rss: 448 * KIB,
      shmem: 28 * KIB,
      dirty: 503316 * KIB,
      active_file: 253592 * KIB,
      unevictable: 0,
    });
    expect(Object.keys(ev.memcgStats!.bytes)).toHaveLength(13);
    expect(ev.counters.map((c) => [c.name, c.failcnt])).toEqual([
      ["memory", 0],
      ["memory+swap", 38],
      ["kmem", 0],
    ]);
    expect(ev.selected).toMatchObject({ pid: 62685, process: "bash" });
    expect(ev.tasks.map((t) => t.pid)).toEqual([62685, 62769]);
    expect(
      facts.diagnostics.filter((d) => d.code === "kernel-log/line-joined").map((d) => [d.at.line, d.at.endLine]),
    ).toEqual([
      [1, 2],
      [6, 7],
    ]);
  });

  it("a `Task in` line whose `limit of` is an ancestor is complete: the next unprefixed line is not glued to it", async () => {
    const text = [
      "[ 10.0] Task in /kubepods/pod1/c1 killed as a result of limit of /kubepods",
      "kubepods/pod1",
      "[ 10.1] memory: usage 1kB, limit 1kB, failcnt 1",
    ].join("\n");
    const ev = only(await kernelLog.parse(sourceFromString("t.txt", text)));
    expect(ev.oomMemcg).toBe("/kubepods");
  });

  it("systemd driver with docker-<id>.scope on cgroup v1: limit, counters, one-line stats", async () => {
    const ev = only(await parseFixture("realworld-alibaba-systemd-docker-scope-v1.txt"));
    const scope =
      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0330b2c1_a15b_4cdd_b5e5_72d4a90bee82.slice/docker-b27201334a41cd0749d053b18378d7ea65617b8e26277197ea25c974da1a5a8a.scope";
    expect(ev).toMatchObject({ oomMemcg: scope, taskMemcg: scope, global: false, host: "iZbp153spuk45ulvkwxf34Z" });
    expect(ev.counters.map((c) => [c.name, c.usageBytes, c.limitBytes, c.failcnt])).toEqual([
      ["memory", 1048576 * KIB, 1048576 * KIB, 189],
      ["memory+swap", 1048576 * KIB, 1048576 * KIB, 0],
      ["kmem", 0, 9007199254740988 * KIB, 0],
    ]);
    expect(ev.memcgStats?.bytes).toMatchObject({ cache: 24 * KIB, rss: 1048552 * KIB, active_anon: 1048524 * KIB });
  });

  it("kubepods nested under an LXC payload: the pod-level oom_memcg and the container's task_memcg as printed", async () => {
    const ev = only(await parseFixture("realworld-lxc-nested-kubepods-oom-kill.txt"));
    expect(ev.constraint).toBe("memcg");
    expect(ev.oomMemcg).toBe(
      "/lxc.payload....-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice",
    );
    expect(ev.taskMemcg).toMatch(
      /\/cri-containerd-ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95\.scope$/,
    );
    expect(ev.summaryTask).toMatchObject({ pid: 461754, process: "pt_main_thread", uid: 0 });
    expect(ev.host).toBeNull(); // the poster's `...` in the host column is not a node name
    expect(ev.time.wallMs).toBeNull(); // syslog without a year and no anchor
  });

  it("`osctl dmesg` with priority prefix: the limit hit was the runtime's /system/docker above the pod", async () => {
    const ev = only(await parseFixture("realworld-osctl-nested-system-docker.txt"));
    expect(ev.oomMemcg).toBe("/system/docker");
    expect(ev.taskMemcg).toBe(
      "/system/docker/kubepods/burstable/pod6687d6d7-fcae-11e8-b0b0-5e61144ba466/58f8a9bf6a469f0c94d42be34ad1bdff84fad63f236baedde981139a15aa5287",
    );
    expect(ev.time.uptimeSec).toBe(1205.517883);
  });

  it("global kills without a header, comm `(resolved)` with its own parentheses, each with its reaper line", async () => {
    const facts = await parseFixture("realworld-global-comm-in-parens.txt");
    const victims = facts.ooms.flatMap((o) => o.victims);
    expect(victims.map((v) => [v.pid, v.process, v.scope])).toEqual([
      [15784, "python3", "global"],
      [15925, "(resolved)", "global"],
      [15783, "python3", "global"],
      [15934, "(resolved)", "global"],
    ]);
    expect(facts.ooms.flatMap((o) => o.reaped.map((r) => [r.pid, r.process]))).toEqual([
      [15784, "python3"],
      [15925, "(resolved)"],
      [15783, "python3"],
      [15934, "(resolved)"],
    ]);
    expect(facts.ooms.every((o) => o.global === true)).toBe(true);
  });

  it("5.4 raw dmesg: victim with shmem-rss, UID, pgtables and oom_score_adj; the next report's header opens a new report", async () => {
    const facts = await parseFixture("realworld-5.4-raw-memcg-reaper.txt");
    expect(facts.ooms).toHaveLength(2);
    const [first, next] = facts.ooms;
    expect(first!.victims).toEqual([
      expect.objectContaining({
        pid: 63214,
        process: "uwsgi",
        scope: "memcg",
        anonRssBytes: 164992 * KIB,
        fileRssBytes: 52176 * KIB,
        shmemRssBytes: 92 * KIB,
        uid: 0,
        pgtablesBytes: 1372 * KIB,
        oomScoreAdj: 986,
      }),
    ]);
    expect(first!.reaped.map((r) => r.pid)).toEqual([63214]);
    expect(next!.trigger).toMatchObject({ process: "uwsgi", oomScoreAdj: 986 });
    expect(next!.kernelVersion).toBe("5.4.0-77-generic");
  });

  it("journalctl's indented continuation of a v2-format stats block under v1 counters (5.4 on AKS)", async () => {
    const ev = only(await parseFixture("realworld-journal-indented-v2stats-v1-memsw.txt"));
    expect(ev.memcgStats?.path).toBe("/azure.slice/azure-walinuxagent.slice/azure-walinuxagent-logcollector.slice");
    expect(ev.memcgStats?.bytes).toMatchObject({
      anon: 14409728,
      file: 135168,
      kernel_stack: 110592,
      slab: 16142336,
      active_anon: 14868480,
      inactive_file: 442368,
    });
    expect(Object.keys(ev.memcgStats!.bytes)).toHaveLength(13);
    expect(ev.counters.map((c) => c.name)).toEqual(["memory+swap", "kmem"]);
    expect(ev.host).toBe("aks-general1z2-58172555-vmss000006");
  });
});

describe("skipped victims", () => {
  it("`OOM victim N (comm) is already exiting. Skip killing the task` is not a kill: the one kill is the next line's", async () => {
    const ev = only(await parseFixture("realworld-victim-already-exiting.txt"));
    expect(ev.victims).toEqual([
      expect.objectContaining({
        pid: 3085741,
        process: "httpd",
        scope: "memcg",
        anonRssBytes: 9032 * KIB,
        fileRssBytes: 4116 * KIB,
        shmemRssBytes: 76 * KIB,
        uid: 1001,
        pgtablesBytes: 168 * KIB,
        oomScoreAdj: 993,
      }),
    ]);
    expect(ev.time.uptimeSec).toBe(1034895.974253);
  });
});

describe("journalctl -o verbose", () => {
  it("MESSAGE-only entries: each kill at the UTC time and uptime of its entry's cursor (t=, m=), cited at its MESSAGE line", async () => {
    const facts = await parseFixture("realworld-journal-verbose-message-only.txt");
    expect(facts.ooms.map((o) => o.victims.map((v) => [v.pid, v.process, v.scope, v.anonRssBytes]))).toEqual([
      [[2855014, "tail", "memcg", 60 * KIB]],
      [[2867622, "python3", "memcg", 14452 * KIB]],
    ]);
    // 11:49:13.015489 CET is 10:49:13.015 UTC; m=1f6726955fe3 µs since boot
    expect(facts.ooms.map((o) => [o.time.wallMs, o.time.clock, o.source.line])).toEqual([
      [Date.UTC(2023, 1, 2, 10, 49, 13, 15), "utc", 2],
      [Date.UTC(2023, 1, 2, 11, 49, 25, 123), "utc", 4],
    ]);
    expect(facts.ooms[0]!.time.uptimeSec).toBeCloseTo(0x1f6726955fe3 / 1e6, 6);
  });

  it("entries with all fields: host from _HOSTNAME after MESSAGE, a continued value, another program's entry is not the kernel's", async () => {
    const text = [
      "Tue 2026-06-09 13:02:17.000000 CEST [s=5d7f;i=3f1a;b=0c1d;m=4640da10;t=6542e7a0b4e40;x=9a8b]",
      "    _TRANSPORT=kernel",
      "    SYSLOG_IDENTIFIER=kernel",
      "    MESSAGE=Memory cgroup out of memory: Killed process 31744 (worker) total-vm:1843212kB, anon-rss:519880kB, file-rss:3412kB, shmem-rss:0kB, UID:1000 pgtables:1164kB oom_score_adj:985",
      "    _SOURCE_MONOTONIC_TIMESTAMP=1178612734",
      "    _HOSTNAME=node-1",
      "Tue 2026-06-09 13:02:18.000000 CEST [s=5d7f;i=3f1b;b=0c1d;m=4650da10;t=6542e7a0c4e40;x=9a8c]",
      "    _TRANSPORT=stdout",
      "    SYSLOG_IDENTIFIER=worker",
      "    MESSAGE=first line",
      "                second line: Killed process 1 (init) total-vm:1kB, anon-rss:1kB, file-rss:1kB, shmem-rss:0kB",
    ].join("\n");
    const facts = await kernelLog.parse(sourceFromString("verbose.txt", text));
    expect(kernelLog.sniff(text, "verbose.txt")).toBe(true);
    const ev = only(facts);
    expect(ev.victims.map((v) => v.pid)).toEqual([31744]);
    expect(ev).toMatchObject({ host: "node-1", source: { line: 4 } });
    expect(ev.time.uptimeSec).toBeCloseTo(1178.612734, 6);
  });
});
