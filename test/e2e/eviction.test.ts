/**
 * Evictions end to end: the kubelet's eviction message decides what the report says. Memory is
 * `node-overcommit` with the message's figures; ephemeral-storage, inodes or pids is an eviction
 * whose cause is not memory (`not-oom`), and the report names the resource.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const fixture = (path: string) => join(REPO, "test/fixtures", path);

function report(path: string, format = "json"): string {
  const r = runCli([path, "--format", format, "--quiet"]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function incidents(path: string): Incident[] {
  return (JSON.parse(report(path)) as Report).incidents;
}

describe("evictions", () => {
  it("an ephemeral-storage eviction is not an OOM: not-oom, the resource named, node-overcommit rejected", () => {
    const path = fixture("kubectl-describe/evicted-ephemeral-storage.txt");
    const [i, ...rest] = incidents(path);
    expect(rest).toEqual([]);
    expect(i!.event).toBe("eviction");
    expect(i!.verdict.cause).toBe("not-oom");
    expect(i!.verdict.summary).toMatch(/low on ephemeral-storage[^.]*not memory/);
    expect(i!.hypotheses.find((h) => h.cause === "node-overcommit")).toMatchObject({ status: "rejected" });
    expect(i!.hypotheses.find((h) => h.cause === "limit-too-low")?.status).not.toBe("supported");
    expect(i!.eviction).toMatchObject({
      resource: "ephemeral-storage",
      available: { value: 1864220 * 1024 },
      containers: [{ name: "shipper" }],
    });
    const text = readFileSync(path, "utf8").split("\n");
    const cited = i!.verdict.evidence.map((e) => e.line!);
    expect(cited.map((n) => text[n - 1])).toEqual(
      expect.arrayContaining([expect.stringContaining("Message:"), expect.stringContaining("Warning  Evicted")]),
    );
    // No memory advice for a disk eviction: no memory requests or limits in any command.
    for (const a of i!.actions)
      expect(`${a.title} ${a.command ?? ""}`).not.toMatch(/--(?:requests|limits)=memory|memory requests/);
    const md = report(path, "md");
    expect(md).toMatch(/evicted by the kubelet[^.]* because the node was low on ephemeral-storage, not memory/);
    expect(md).not.toMatch(/under node memory pressure/);
  });

  it("a memory eviction by an old kubelet (no threshold, `which exceeds its request of`) gives node-overcommit with its figures", () => {
    const path = fixture("pod-json/evicted-old-kubelet.yaml");
    const [i] = incidents(path);
    expect(i).toMatchObject({ event: "eviction", verdict: { cause: "node-overcommit", confidence: "high" } });
    expect(i!.verdict.summary).toMatch(
      /executor was using 33\.\d GiB \(35505620Ki\) against a request of 12 GiB \(12Gi\)/,
    );
    // usage 33.9 GiB + 15 % rounded up: more than what it used, never less; a bare pod is recreated with it.
    const step = i!.actions.find((a) => /memory requests/.test(a.title));
    const req = /memory requests (\d+)Gi/.exec(step?.title ?? "");
    expect(Number(req?.[1])).toBeGreaterThan(35505620 / 1024 / 1024);
    expect(step?.command).toContain(`"requests":{"memory":"${req?.[1]}Gi"}`);
    const md = report(path, "md");
    expect(md).toMatch(/under node memory pressure/);
    expect(md).toMatch(/`executor` using 33\.\d GiB against a request of 12 GiB/);
  });

  it("a pod status fragment that holds only the eviction message is still an eviction", () => {
    const dir = mkdtempSync(join(tmpdir(), "evict-"));
    const text = [
      "$ kubectl get pod fanout-worker-0 -n batch -o yaml | grep -A3 'message:'",
      "  message: 'The node was low on resource: pids. Threshold quantity: 1000, available: 612. '",
      "  phase: Failed",
    ].join("\n");
    writeFileSync(join(dir, "status.txt"), text);
    const [i] = incidents(dir);
    expect(i).toMatchObject({
      event: "eviction",
      verdict: { cause: "not-oom" },
      eviction: { resource: "pids", threshold: { value: 1000 }, available: { value: 612 } },
    });
    expect(i!.verdict.summary).toMatch(/process IDs/);
  });

  it("a node journal with only the kubelet's eviction manager lines: node-overcommit for the pod it evicted, with the -v=3 message's figures", () => {
    const path = fixture("kernel-log/journal-kubelet-eviction-memory.txt");
    const [i, ...rest] = incidents(path);
    expect(rest).toEqual([]);
    expect(i).toMatchObject({
      event: "eviction",
      verdict: { cause: "node-overcommit" },
      subject: { namespace: "shop", pod: "export-5d8f7c9b6-kq2xz", container: "export", node: "node-1" },
    });
    expect(i!.eviction).toMatchObject({
      resource: "memory",
      available: { text: "91212Ki" },
      containers: [{ name: "export" }],
    });
    expect(i!.verdict.summary).toMatch(/low on memory.*export was using 3\.2 GiB \(3313152Ki\)/);
    expect(i!.verdict.evidence.map((e) => e.line)).toContain(6);
  });

  it("an old kubelet's printf eviction lines in a zh_CN journal, reclaiming nodefs: not-oom, ephemeral-storage named", () => {
    const path = fixture("kernel-log/syslog-kubelet-eviction-nodefs-old-zh.txt");
    const [i, ...rest] = incidents(path);
    expect(rest).toEqual([]);
    expect(i).toMatchObject({
      event: "eviction",
      verdict: { cause: "not-oom" },
      subject: { namespace: "default", pod: "nginx-6f858d4d45-m8rhz", node: "ubuntu-k8s-3" },
    });
    expect(i!.verdict.summary).toMatch(/low on ephemeral-storage[^.]*not memory/);
    expect(i!.hypotheses.find((h) => h.cause === "node-overcommit")).toMatchObject({ status: "rejected" });
  });
});
