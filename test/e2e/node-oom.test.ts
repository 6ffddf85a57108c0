/**
 * Node OOM said right, end to end (issue 7): a global OOM whose victim is a pod's process is a
 * `node-oom-kill` for that pod; the report names the victim the kernel chose and why (its
 * oom_score_adj and the QoS class that set it), the biggest consumers of the tasks table with
 * their pods and those pods' requests and limits, and the node's allocatable against the sum of
 * limits; node events (`SystemOOM`) and a BestEffort OOMKilled count as evidence without a kernel
 * log. Bundles in test/fixtures/bundles/node-oom-* and besteffort-oomkilled-describe-only.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const bundle = (name: string) => join(REPO, "test/fixtures/bundles", name);
const GiB = 2 ** 30;

function run(name: string, format: "json" | "md"): string {
  const r = runCli([bundle(name), "--format", format, "--quiet"]);
  expect(r.status).toBe(0);
  return r.stdout;
}

const report = (name: string) => JSON.parse(run(name, "json")) as Report;

describe("global OOM with describe pod + describe node + dmesg -T (BestEffort victim, describe says OOMKilled)", () => {
  const r = report("node-oom-besteffort-culprit");
  const [i] = r.incidents;

  it("is one node-oom-kill incident for the victim's pod, whose kill carries both the kernel and the kubelet side", () => {
    expect(r.incidents).toHaveLength(1);
    expect(i!.subject).toMatchObject({
      namespace: "media",
      pod: "thumbor-7b9c6d5f4-k2m8n",
      container: "thumbor",
      node: "worker-b-3",
    });
    expect(i!.event).toBe("node-oom-kill");
    expect(i!.verdict.cause).toBe("node-overcommit");
    expect(i!.kills).toHaveLength(1);
    expect(i!.kills[0]).toMatchObject({
      pid: 90211,
      process: "thumbor",
      time: "2026-03-10T14:21:15Z",
      limitHit: null,
      anonRssBytes: 1196112 * 1024,
    });
    expect(i!.kills[0]!.evidence.map((e) => e.text).join("\n")).toMatch(/OOMKilled, exit code 137/);
    for (const h of i!.hypotheses.filter((x) => x.cause === "limit-too-low" || x.cause === "burst-allocation"))
      expect(h.status).toBe("rejected");
  });

  it("names the victim the kernel chose and why: oom_score_adj 1000 of a BestEffort pod, not its size", () => {
    expect(i!.nodeOom!.victim).toMatchObject({
      pid: 90211,
      process: "thumbor",
      oomScoreAdj: 1000,
      meaning: "BestEffort",
      qosClass: "BestEffort",
      largest: false,
    });
    expect(i!.verdict.summary).toMatch(
      /chose thumbor \(pid 90211[^)]*\), by oom_score, not by size: oom_score_adj 1000[^.]*BestEffort/,
    );
  });

  it("attributes the biggest consumers to their pods (cgroup of the trigger, oom_score_adj against the node's pods) with requests and limits", () => {
    const [first, second] = i!.nodeOom!.consumers;
    expect(first).toMatchObject({ pid: 88120, process: "ingest", oomScoreAdj: 233, meaning: "Burstable" });
    expect(first!.pod).toMatchObject({
      namespace: "prod",
      name: "ingest-worker-5d8f7c6b9-x7p2q",
      requestBytes: 12 * GiB,
      limitBytes: 20 * GiB,
    });
    expect(first!.pod!.containerId).toMatch(/^5e6f7a8b9c0d/);
    expect(first!.pod!.basis).toMatch(
      /cpuset=.*5e6f7a8b9c0d.*oom_score_adj 233 = 1000 − 1000 × its 12 GiB memory request/,
    );
    expect(second).toMatchObject({ pid: 4410, process: "postgres", meaning: "Guaranteed" });
    expect(second!.pod).toMatchObject({ name: "postgres-0", requestBytes: 2 * GiB, limitBytes: 2 * GiB });
    expect(second!.pod!.basis).toMatch(/only Guaranteed pod/);
  });

  it("states the node's allocatable against the sum of its pods' limits, from describe node", () => {
    expect(i!.nodeOom!.node).toMatchObject({
      name: "worker-b-3",
      allocatableBytes: 15929348 * 1024,
      limitsBytes: 22928 * 2 ** 20,
      requestsBytes: 14536 * 2 ** 20,
    });
    expect(i!.verdict.summary).toMatch(
      /15\.2 GiB allocatable; its pods' memory limits add up to 22\.4 GiB \(147% of it\)/,
    );
  });

  it("the Markdown verdict and next steps name the culprit's pod with its numbers and a command that works as pasted", () => {
    const md = run("node-oom-besteffort-culprit", "md");
    expect(md).toMatch(
      /ingest \(pid 88120, 9\.9 GiB RSS = 62% of RAM, oom\\?_score\\?_adj 233\) of prod\/ingest-worker-5d8f7c6b9-x7p2q \(requests 12 GiB, limits 20 GiB/,
    );
    expect(md).toMatch(/Cap or move the biggest consumer: ingest of prod\/ingest-worker-5d8f7c6b9-x7p2q/);
    expect(md).toMatch(/Its memory limit \(20 GiB\) lets it take more than the node's 15\.2 GiB allocatable/);
    expect(md).toContain("kubectl -n prod get pod ingest-worker-5d8f7c6b9-x7p2q -o jsonpath=");
    expect(md).not.toMatch(/killed at its own memory limit/i);
  });
});

describe("node OOM known without a kernel log", () => {
  it("a SystemOOM event of describe node naming the container's process makes a 137 (reason Error) a node-oom-kill", () => {
    const r = report("node-oom-events-only");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.event).toBe("node-oom-kill");
    expect(i!.verdict.cause).toBe("node-overcommit");
    expect(i!.kills[0]).toMatchObject({ pid: 90211, process: "thumbor", time: "2026-03-10T14:21:16Z" });
    expect(i!.verdict.evidence.map((e) => `${e.file}:${e.line}`)).toEqual(
      expect.arrayContaining(["describe-node.txt:48"]),
    );
    expect(i!.verdict.summary).toMatch(/SystemOOM event .* names thumbor \(pid 90211\)/);
    expect(i!.verdict.summary).toMatch(/its pods' memory limits add up to 22\.4 GiB \(147% of it\)/);
  });

  it("OOMKilled in a BestEffort pod is a node-level OOM (no limit of its own), stated with medium confidence, and no size is invented", () => {
    const r = report("besteffort-oomkilled-describe-only");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.event).toBe("node-oom-kill");
    expect(i!.verdict).toMatchObject({ cause: "node-overcommit", confidence: "medium" });
    expect(i!.verdict.summary).toMatch(/BestEffort \(no memory limit of its own\)/);
    const commands = i!.actions.map((a) => a.command ?? "").join("\n");
    expect(commands).not.toMatch(/--limits=memory=|--requests=memory=/);
    expect(commands).toContain("kubectl -n media top pod imgproxy-7b9c6d5f4-k2m8n --containers");
  });
});

describe("the node's RAM from the kernel's Mem-Info", () => {
  it("is read from `N pages RAM`, set against the tasks table's RSS and each big consumer, and cited", () => {
    const r = report("node-oom-ram-culprit-pod");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    const rss =
      [3012, 18022, 29777, 3105, 80, 501220, 80, 21001, 80, 2600412, 80, 300118].reduce((a, b) => a + b, 0) * 4096;
    expect(i!.nodeOom!.ram).toMatchObject({
      pages: 4194174,
      bytes: 4194174 * 4096,
      tasksRssBytes: rss,
      evidence: { file: "dmesg-T.txt", line: 17 },
    });
    expect(i!.verdict.summary).toMatch(
      /Mem-Info gives the node 15\.99 GiB of RAM \(4194174 pages of 4 KiB\); the tasks table's processes held 13\.3 GiB of it in RSS \(82\.9%\)/,
    );
    expect(i!.verdict.summary).toMatch(/ingest \(pid 88120, 9\.9 GiB RSS = 62% of RAM/);
    expect(i!.verdict.evidence.map((e) => `${e.file}:${e.line}`)).toContain("dmesg-T.txt:17");
  });

  it("without describe node, the culprit's limit is set against the node's RAM", () => {
    const [i] = report("node-oom-ram-culprit-pod").incidents;
    const cap = i!.actions.find((a) => a.title.startsWith("Cap or move the biggest consumer"))!;
    expect(cap.title).toContain("ingest of prod/ingest-worker-5d8f7c6b9-x7p2q");
    expect(cap.detail).toMatch(
      /Its memory limit \(20 GiB\) lets it take more than the node's 15\.99 GiB RAM \(the kernel's Mem-Info\)/,
    );
    expect(cap.command).toBe(
      "kubectl -n prod get pod ingest-worker-5d8f7c6b9-x7p2q -o jsonpath='{range .metadata.ownerReferences[*]}{.kind}/{.name}{\"\\n\"}{end}'",
    );
  });
});

describe("the full report's table of the node's largest consumers", () => {
  it("lists each with its share of RAM, oom_score_adj, pod, requests and limits and how it was attributed, citing the tasks table, then the node's sums with their lines", () => {
    const md = runCli([bundle("node-oom-besteffort-culprit"), "--quiet", "--detail", "full"]).stdout;
    const table = md.slice(md.indexOf("### Largest consumers on the node"));
    expect(table).toContain(
      "| `ingest` | 88120 | 9.9 GiB | 62% | 233 (Burstable) | prod/ingest-worker-5d8f7c6b9-x7p2q | 12 GiB | 20 GiB | its cgroup: it invoked the OOM killer",
    );
    expect(table).toMatch(
      /\| `thumbor` \(the victim\) \| 90211 \| 1\.1 GiB \| 7\.2% \| 1000 \(BestEffort\) \| media\/thumbor-7b9c6d5f4-k2m8n \| none \| none \| its memcg \(task\\?_memcg of the oom-kill line\) \| `dmesg-T\.txt:32`/,
    );
    expect(table).toMatch(/Mem-Info gives the node 15\.99 GiB of RAM .*\(`dmesg-T\.txt:17`, `describe-node\.txt:24`/);
    const short = run("node-oom-besteffort-culprit", "md");
    expect(short).not.toContain("### Largest consumers on the node");
  });
});
