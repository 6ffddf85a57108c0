/**
 * Reports on captures from public threads: what the report claims from each, and that it claims
 * no more than the capture shows. Kernel-log sources are in test/ingest/kernel-log-captures.test.ts,
 * besides realworld-docker-v1-redacted-host.txt: adoptium/adoptium-support#1190 (syslog with the host
 * replaced by `<hostname>`, a memcg OOM of a plain docker container: java's C2 compiler leaking
 * native memory at -Xmx1G, anon RSS 9.7 GiB);
 * the describe captures (test/fixtures/kubectl-describe/realworld-*.txt, text as found):
 * - realworld-oomkilled-exit-1-fragment.txt: AliyunContainerService/kube-eventer#285, a container
 *   section pasted with 4-space indent: CrashLoopBackOff, Last State OOMKilled with exit code 1,
 *   times at +0800 (the thread: kube-eventer only sent BackOff, not the OOM).
 * - realworld-kubectl-1.0-tabs-no-last-state.txt: kubernetes/kubernetes#10861, kubectl of July 2015
 *   (tab-aligned, `Image(s):`, no Last State, its events table left out): 5 restarts at a 50Mi
 *   limit and nothing saying why (the issue asked kubectl to print the termination reason).
 */
import { describe, it, expect } from "vitest";
import { fileURLToPath } from "node:url";
import { renderInProcess, reportInProcess } from "./in-process.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/kernel-log/${name}`, import.meta.url));

describe("reports on public kernel-log captures", () => {
  it("a limit hit above the pod (talos#289: /system/docker) is not called the container's own", async () => {
    const report = await reportInProcess(fixture("realworld-osctl-nested-system-docker.txt"));
    expect(report.incidents.map((i) => i.kills.map((k) => [k.memcg, k.memcgLevel]))).toEqual([
      [["/system/docker", "other"]],
    ]);
    const md = await renderInProcess(report, "md");
    expect(md).toMatch(/was OOM-killed at the limit of memory cgroup `\/system\/docker` \(a cgroup above its own\)/);
    expect(md).not.toMatch(/at its own memory limit/);
  });

  it("v1 memory and memory+swap both at 512Mi: the counter that refused charges (failcnt 38) is the limit hit", async () => {
    const report = await reportInProcess(fixture("realworld-v1-hard-wrapped-memsw.txt"));
    expect(report.incidents).toHaveLength(1);
    const [inc] = report.incidents;
    expect(inc!.subject).toMatchObject({
      podUid: "951f6bc5-c5a5-11ea-8707-80e455f266a2",
      containerId: "024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9",
    });
    expect(inc!.kills).toEqual([
      expect.objectContaining({
        pid: 62685,
        process: "bash",
        limitBytes: 512 * 1024 * 1024,
        limitHit: "memory+swap",
        memcgLevel: "container",
      }),
    ]);
  });

  it("v1 memory and memory+swap both at 1 GiB, memory's failcnt 189: memory is the limit hit", async () => {
    const report = await reportInProcess(fixture("realworld-alibaba-systemd-docker-scope-v1.txt"));
    expect(report.incidents[0]!.kills).toEqual([
      expect.objectContaining({ limitBytes: 1024 * 1024 * 1024, limitHit: "memory", memcgLevel: "container" }),
    ]);
    expect(report.incidents[0]!.subject.podUid).toBe("0330b2c1-a15b-4cdd-b5e5-72d4a90bee82");
  });
});

describe("headlines name the container the memcg path names, not the node it ran on", () => {
  it("pod UID and container ID from a systemd memcg path, node from syslog: the container of that pod", async () => {
    const report = await reportInProcess(fixture("realworld-alibaba-systemd-docker-scope-v1.txt"));
    const md = await renderInProcess(report, "md");
    expect(md).toContain("# OOM postmortem: unknown namespace/pod 0330b2c1-a15b-4cdd-b5e5-72d4a90bee82\n");
    expect(md).toContain(
      "**What happened:** container ID `b27201334a41` of pod UID `0330b2c1-a15b-4cdd-b5e5-72d4a90bee82` was OOM-killed at its own memory limit.",
    );
  });

  it("a plain docker container's ID only: that container, not node `<hostname>`", async () => {
    const report = await reportInProcess(fixture("realworld-docker-v1-redacted-host.txt"));
    expect(report.incidents[0]!.kills).toEqual([
      expect.objectContaining({
        pid: 1235475,
        process: "java",
        anonRssBytes: 10207028 * 1024,
        memcg: "/docker/8846fd420713df8fdbf8d257b6e75a27893a1a339e7458d7f7310c50f2d62b6d",
        memcgLevel: "container",
      }),
    ]);
    const md = await renderInProcess(report, "md");
    expect(report.incidents[0]!.subject.node).toBeNull(); // `<hostname>` is the poster's placeholder
    expect(md).toContain("# OOM postmortem: unknown namespace/container 8846fd420713\n");
    expect(md).toContain("**What happened:** container ID `8846fd420713` was OOM-killed at its own memory limit.");
  });
});

describe("kills whose kernel lines name no scope", () => {
  it("a bare RHEL 6 `Killed process` line: node-overcommit is not ruled out, and a node is not said to have a limit of its own", async () => {
    const report = await reportInProcess(fixture("realworld-rhel6-killed-uid-before-comm.txt"));
    const [inc] = report.incidents;
    expect(inc!.hypotheses.find((h) => h.cause === "node-overcommit")).toMatchObject({
      status: "undetermined",
      missing: [expect.stringContaining("whole OOM report")],
    });
    const md = await renderInProcess(report, "md");
    expect(md).toContain(
      "**What happened:** node `server1` had a process OOM-killed; the kernel lines in the bundle do not say whether at a memory cgroup's limit or node-wide.",
    );
  });

  it("a memcg report in a systemd slice of the host, cut before its victim and limit: the slice is named, no kill claimed", async () => {
    const report = await reportInProcess(fixture("realworld-journal-indented-v2stats-v1-memsw.txt"));
    const md = await renderInProcess(report, "md");
    expect(md).toContain(
      "**What happened:** node `aks-general1z2-58172555-vmss000006` had the kernel's OOM killer invoked for memory cgroup `/azure.slice/azure-walinuxagent.slice/azure-walinuxagent-logcollector.slice`; the report in the bundle names no victim and no limit",
    );
    expect(md).not.toMatch(/OOM-killed|its own memory limit/);
    // Kernel memory is half of it (slab), but without the `memory:` usage/limit line that is not decisive.
    expect(report.incidents[0]!.verdict).toMatchObject({ cause: "kernel-memory", confidence: "medium" });
  });
});

describe("reports on public kubectl describe captures", () => {
  const describeFixture = (name: string): string =>
    fileURLToPath(new URL(`../fixtures/kubectl-describe/${name}`, import.meta.url));

  it("OOMKilled with exit code 1: a child of the container was killed, finished at 09:52:49 UTC (+0800 read)", async () => {
    const report = await reportInProcess(describeFixture("realworld-oomkilled-exit-1-fragment.txt"));
    expect(report.incidents).toHaveLength(1);
    expect(report.incidents[0]).toMatchObject({ event: "child-oom-kill", verdict: { cause: "undetermined" } });
    expect(report.incidents[0]!.kills.map((k) => k.time)).toEqual(["2024-01-04T09:52:49Z"]);
    // CrashLoopBackOff after exit code 1: the container did not keep running
    expect(await renderInProcess(report, "md")).toContain(
      "**What happened:** a container lost a process to the OOM killer at its memory limit at 2024-01-04 09:52:49 UTC; its main process ended after it with exit code 1, not by the OOM kill.",
    );
  });

  it("kubectl 1.0 layout with restarts and no termination record: no kill claimed, the pod and node named", async () => {
    const report = await reportInProcess(describeFixture("realworld-kubectl-1.0-tabs-no-last-state.txt"));
    expect(report.incidents).toHaveLength(1);
    expect(report.incidents[0]).toMatchObject({ event: "none", kills: [], verdict: { cause: "undetermined" } });
    expect(report.incidents[0]!.subject).toMatchObject({
      namespace: "default",
      pod: "simmemleak-hra99",
      container: "simmemleak",
      node: "kubernetes-minion-tf0f",
    });
  });
});
