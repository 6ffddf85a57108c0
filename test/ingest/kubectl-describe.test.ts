import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kubectlDescribe } from "../../src/ingest/kubectl-describe.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { ContainerFact, FactSet, KubeEvent, PodFact } from "../../src/model/facts.js";

const FIXTURES = new URL("../fixtures/kubectl-describe/", import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

function parse(path: string, text: string): Promise<FactSet> {
  return kubectlDescribe.parse(sourceFromString(path, text));
}

/** 1-based line of the `nth` line (0-based) containing `needle`, as the file is split by lines(). */
function lineOf(text: string, needle: string, nth = 0): number {
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && seen++ === nth) return i + 1;
  }
  throw new Error(`${needle} not found`);
}

function only<T>(xs: T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0]!;
}

function container(pod: PodFact, name: string): ContainerFact {
  const c = pod.containers.find((x) => x.name === name);
  expect(c, `container ${name}`).toBeDefined();
  return c!;
}

function event(facts: FactSet, reason: string): KubeEvent {
  const e = facts.events.find((x) => x.reason === reason);
  expect(e, `event ${reason}`).toBeDefined();
  return e!;
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

describe("sniff", () => {
  it.each(readdirSync(FIXTURES))("claims fixture %s", (name) => {
    expect(kubectlDescribe.sniff(fixture(name).slice(0, 8192), name)).toBe(true);
  });

  const hostile: [string, string][] = [
    [
      "pod YAML with containerStatuses",
      "status:\n  containerStatuses:\n  - lastState:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n    restartCount: 5\n    state:\n      running: {}\n",
    ],
    [
      "pod JSON",
      '{"kind":"Pod","status":{"containerStatuses":[{"restartCount":3,"lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}}',
    ],
    [
      "YAML written by hand with Title Case keys",
      "apiVersion: v1\nkind: Pod\n# State: Terminated\n# Restart Count: 4\n",
    ],
    [
      "kernel log",
      "[75669.581768] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=969\n[75669.581990] Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:520000kB, file-rss:1200kB, shmem-rss:0kB, UID:1000 pgtables:1400kB oom_score_adj:969\n",
    ],
    ["memory.stat", "anon 524288000\nfile 104857600\nkernel 8388608\nshmem 0\n"],
    [
      "pmap -x",
      "4242:   java -Xmx512m\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n0000555555554000       4       4       0 r---- java\n",
    ],
    ["empty", ""],
    ["one Name line only", "Name:  foo\n"],
    ["binary garbage", "\u0000\u0001\u0002ELF\u0003\u0004State:\u0005"],
  ];
  it.each(hostile)("does not claim %s", (_name, text) => {
    expect(kubectlDescribe.sniff(text, "x.txt")).toBe(false);
  });

  it("claims a describe node", () => {
    expect(kubectlDescribe.sniff(fixture("node-system-oom.txt"), "node.txt")).toBe(true);
  });
});

describe("fixtures", () => {
  it("multi-pod: two pods separated by blank lines, each with its own events", async () => {
    const text = fixture("multi-pod.txt");
    const facts = await parse("multi-pod.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pods.map((p) => p.name)).toEqual(["api-7d9f8b6c5d-x2x8q", "api-7d9f8b6c5d-k4m7t"]);
    const [a, b] = facts.pods as [PodFact, PodFact];
    expect(a.source).toEqual({ file: "multi-pod.txt", line: 1, endLine: lineOf(text, "Started container api") });
    expect(b.source.line).toBe(lineOf(text, "Name:             api-7d9f8b6c5d-k4m7t"));
    const ca = container(a, "api");
    expect(ca.source.line).toBe(lineOf(text, "  api:", 0));
    expect(ca.lastState).toMatchObject({
      reason: "OOMKilled",
      exitCode: 137,
      source: { line: lineOf(text, "Last State:", 0) },
    });
    expect(ca.limitSource?.line).toBe(lineOf(text, "memory:  512Mi", 0));
    expect(ca.requestBytes).toBe(384 * 1024 * 1024);
    expect(ca.env).toEqual([
      {
        name: "JAVA_TOOL_OPTIONS",
        value: "-XX:MaxRAMPercentage=75.0",
        source: { file: "multi-pod.txt", line: lineOf(text, "JAVA_TOOL_OPTIONS", 0) },
      },
    ]);
    const cb = container(b, "api");
    expect(cb.source.line).toBe(lineOf(text, "  api:", 1));
    expect(cb.lastState).toBeNull();
    expect(cb.limitSource?.line).toBe(lineOf(text, "memory:  512Mi", 1));
    expect(facts.events).toHaveLength(4);
    for (const e of facts.events)
      expect(e.involved).toMatchObject({ kind: "Pod", name: "api-7d9f8b6c5d-x2x8q", namespace: "shop" });
  });

  it("evicted: pod-level Failed/Evicted with the kubelet's message, ContainerStatusUnknown 137", async () => {
    const text = fixture("evicted.txt");
    const facts = await parse("evicted.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({ phase: "Failed", reason: "Evicted", qosClass: "Burstable" });
    expect(pod.message).toBe(
      "The node was low on resource: memory. Threshold quantity: 100Mi, available: 86452Ki. Container worker was using 1520Ki, which exceeds its request of 0.",
    );
    const c = container(pod, "worker");
    expect(c.state).toMatchObject({
      kind: "terminated",
      reason: "ContainerStatusUnknown",
      exitCode: 137,
      startedAtMs: null,
      finishedAtMs: null,
      message: "The container could not be located when the pod was terminated",
    });
    expect(c.limitBytes).toBeNull();
    expect(c.limitSource).toBeNull();
    expect(c.requestBytes).toBeNull();
    const evicted = event(facts, "Evicted");
    expect(evicted).toMatchObject({
      type: "Warning",
      ageText: "12m",
      source: { line: lineOf(text, "Warning  Evicted") },
    });
    expect(evicted.message).toContain("Container worker was using 1520Ki, which exceeds its request of 0.");
  });

  it("node: MemoryPressure condition and SystemOOM / OOMKilling events, involved kind Node, no pod", async () => {
    const text = fixture("node-system-oom.txt");
    const facts = await parse("node-system-oom.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pods).toEqual([]);
    const node = { kind: "Node", name: "ip-10-0-3-17.ec2.internal", namespace: null };
    expect(facts.events.map((e) => e.reason)).toEqual([
      "MemoryPressure",
      "SystemOOM",
      "OOMKilling",
      "NodeHasInsufficientMemory",
      "EvictionThresholdMet",
    ]);
    for (const e of facts.events) expect(e.involved).toEqual(node);
    const pressure = event(facts, "MemoryPressure");
    expect(pressure.message).toBe("KubeletHasInsufficientMemory: kubelet has insufficient memory available");
    expect(iso(pressure.firstMs)).toBe("2026-06-09T11:02:31.000Z");
    expect(iso(pressure.lastMs)).toBe("2026-06-09T11:10:40.000Z");
    expect(pressure.source.line).toBe(lineOf(text, "MemoryPressure   True"));
    expect(event(facts, "SystemOOM")).toMatchObject({
      type: "Warning",
      message: "System OOM encountered, victim process: java, pid: 31744",
      ageText: "8m12s",
      count: 1,
    });
    expect(event(facts, "OOMKilling").message).toMatch(
      /^Memory cgroup out of memory: Killed process 31744 \(java\) total-vm:8023412kB, anon-rss:6291456kB/,
    );
    expect(event(facts, "NodeHasInsufficientMemory")).toMatchObject({ count: 3, ageText: "8m40s" });
    expect(event(facts, "EvictionThresholdMet")).toMatchObject({
      count: 2,
      ageText: "8m41s",
      source: { line: lineOf(text, "EvictionThresholdMet  ") },
    });
  });

  it("node: memory capacity, allocatable, the pods' memory requests and limits, and the allocated totals", async () => {
    const text = fixture("node-system-oom.txt");
    const [node, ...rest] = (await parse("node-system-oom.txt", text)).nodes;
    expect(rest).toEqual([]);
    expect(node).toMatchObject({
      name: "ip-10-0-3-17.ec2.internal",
      capacityMemoryBytes: 16086264 * 1024,
      allocatableMemoryBytes: 15069432 * 1024,
    });
    expect(node!.lines).toEqual({
      capacity: lineOf(text, "memory:             16086264Ki"),
      allocatable: lineOf(text, "memory:             15069432Ki"),
    });
    expect(node!.allocatedMemory).toMatchObject({
      requestsBytes: 384 * 2 ** 20,
      limitsBytes: 512 * 2 ** 20,
      limitsPercent: 3,
      line: lineOf(text, "memory             384Mi"),
    });
    expect(node!.pods.length).toBe(3);
    for (const p of node!.pods) {
      expect(p.line).toBe(lineOf(text, p.text));
      expect(p.memoryRequestBytes).not.toBeNull();
      expect(p.memoryLimitBytes).not.toBeNull();
    }
  });

  it("node: pre-1.11 totals (one row of four cells) and a pod row without Age", async () => {
    const text = [
      "Name:               old-node",
      "Roles:              <none>",
      "Capacity:",
      " memory:  8Gi",
      "Allocatable:",
      " memory:  7Gi",
      "Non-terminated Pods:          (1 in total)",
      "  Namespace  Name   CPU Requests  CPU Limits  Memory Requests  Memory Limits",
      "  ---------  ----   ------------  ----------  ---------------  -------------",
      "  shop       web-1  100m (2%)     0 (0%)      1Gi (14%)        2Gi (28%)",
      "Allocated resources:",
      "  (Total limits may be over 100 percent, i.e., overcommitted.)",
      "  CPU Requests  CPU Limits  Memory Requests  Memory Limits",
      "  ------------  ----------  ---------------  -------------",
      "  100m (2%)     0 (0%)      1Gi (14%)        2Gi (28%)",
      "Events:  <none>",
    ].join("\n");
    const [node] = (await parse("old-node.txt", text)).nodes;
    expect(node).toMatchObject({
      name: "old-node",
      capacityMemoryBytes: 8 * 2 ** 30,
      allocatableMemoryBytes: 7 * 2 ** 30,
    });
    expect(node!.pods).toMatchObject([
      { namespace: "shop", name: "web-1", memoryRequestBytes: 2 ** 30, memoryLimitBytes: 2 * 2 ** 30, line: 10 },
    ]);
    expect(node!.allocatedMemory).toMatchObject({
      requestsBytes: 2 ** 30,
      limitsBytes: 2 * 2 ** 30,
      limitsPercent: 28,
      line: 15,
    });
  });

  it("liveness kill: Error 137 last state with Unhealthy and Killing events", async () => {
    const text = fixture("liveness-kill.txt");
    const facts = await parse("liveness-kill.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const c = container(only(facts.pods), "web");
    expect(c.lastState).toMatchObject({ kind: "terminated", reason: "Error", exitCode: 137 });
    expect(c.state).toMatchObject({ kind: "running" });
    expect(c.livenessProbe).toBe("http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3");
    expect(c.restartCount).toBe(3);
    expect(event(facts, "Unhealthy")).toMatchObject({
      type: "Warning",
      count: 9,
      message: "Liveness probe failed: HTTP probe failed with statuscode: 500",
    });
    expect(event(facts, "Killing")).toMatchObject({
      count: 3,
      message: "Container web failed liveness probe, will be restarted",
      ageText: "43s",
    });
  });

  it("init container: OOMKilled init container flagged init, app container waiting", async () => {
    const text = fixture("init-container.txt");
    const facts = await parse("init-container.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod.phase).toBe("Pending");
    expect(pod.owner).toEqual({ kind: "StatefulSet", name: "orders" });
    expect(pod.uid).toBe("5e0c7a2d-8b41-4f6e-9d3a-1c2b3d4e5f60");
    const init = container(pod, "migrate");
    expect(init).toMatchObject({
      init: true,
      command: ["flyway", "migrate"],
      limitBytes: 64 * 1024 * 1024,
      restartCount: 5,
    });
    expect(init.lastState).toMatchObject({
      reason: "OOMKilled",
      exitCode: 137,
      source: { line: lineOf(text, "Last State:") },
    });
    expect(init.volumeMounts).toEqual([{ name: "migrations", mountPath: "/flyway/sql" }]);
    const app = container(pod, "orders");
    expect(app).toMatchObject({ init: false, containerId: null, limitBytes: 768 * 1024 * 1024 });
    expect(app.state).toMatchObject({ kind: "waiting", reason: "PodInitializing" });
    expect(app.source.line).toBe(lineOf(text, "  orders:"));
    expect(pod.volumes).toEqual([
      {
        name: "migrations",
        memoryBacked: false,
        sizeLimitBytes: null,
        source: { file: "init-container.txt", line: lineOf(text, "  migrations:") },
      },
    ]);
  });

  it("env: literal values, secret/config map refs as null, resolved fieldRef/resourceFieldRef, multi-line value", async () => {
    const text = fixture("env-secret-ref.txt");
    const facts = await parse("env-secret-ref.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const c = container(only(facts.pods), "billing");
    expect(c.containerId).toBe("0f3c6e9b2d5a8f1c4e7b0d3a6f9c2e5b8d1a4f7c0e3b6d9a2f5c8e1b4d7a0f3c");
    expect(c.env.map((e) => [e.name, e.value])).toEqual([
      ["SPRING_PROFILES_ACTIVE", "prod"],
      ["DB_PASSWORD", null],
      ["FEATURE_FLAGS", null],
      ["POD_NAME", "billing-7b5d9c6f8-p3l9m"],
      ["MEMORY_LIMIT", "2147483648"],
      ["JAVA_OPTS", "-Xms1g\n-Xmx1536m\n-XX:+ExitOnOutOfMemoryError"],
      ["GOMEMLIMIT", "1800MiB"],
    ]);
    expect(c.env.find((e) => e.name === "DB_PASSWORD")!.source.line).toBe(lineOf(text, "DB_PASSWORD"));
    expect(c.env.find((e) => e.name === "GOMEMLIMIT")!.source.line).toBe(lineOf(text, "GOMEMLIMIT"));
  });

  it("memory-medium emptyDir: memoryBacked with and without SizeLimit; disk emptyDir is not", async () => {
    const text = fixture("memory-emptydir.txt");
    const facts = await parse("memory-emptydir.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod.volumes.map((v) => [v.name, v.memoryBacked, v.sizeLimitBytes, v.source.line])).toEqual([
      ["dshm", true, null, lineOf(text, "  dshm:")],
      ["scratch", true, 1024 ** 3, lineOf(text, "  scratch:")],
      ["work", false, 10 * 1024 ** 3, lineOf(text, "  work:")],
    ]);
    expect(container(pod, "renderer").volumeMounts.map((m) => m.mountPath)).toEqual(["/dev/shm", "/scratch", "/work"]);
  });

  it("old tab-aligned output (kubectl 1.5): tabs, Controllers, Volume Mounts, FirstSeen/LastSeen/Count events", async () => {
    const text = fixture("old-tab-aligned.txt");
    expect(text).toContain("\t\t");
    const facts = await parse("old-tab-aligned.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({
      name: "nginx-deployment-1159050644-4zg4h",
      namespace: "default",
      node: "ip-172-20-0-41.ec2.internal",
      owner: { kind: "ReplicaSet", name: "nginx-deployment-1159050644" },
    });
    expect(iso(pod.startTimeMs)).toBe("2017-02-14T18:21:33.000Z");
    const c = container(pod, "nginx");
    expect(c.lastState).toMatchObject({
      reason: "OOMKilled",
      exitCode: 137,
      source: { line: lineOf(text, "Last State:") },
    });
    expect(c.limitBytes).toBe(128 * 1024 * 1024);
    expect(c.volumeMounts).toEqual([
      { name: "default-token-8x2kv", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
    ]);
    expect(facts.events.map((e) => [e.type, e.reason, e.count, e.ageText])).toEqual([
      ["Normal", "Scheduled", 1, "4m"],
      ["Normal", "Pulling", 1, "4m"],
      ["Normal", "Created", 2, "39s"],
      ["Warning", "OOMKilling", 1, "39s"],
    ]);
    expect(event(facts, "OOMKilling").message).toBe(
      "Memory cgroup out of memory: Kill process 4312 (nginx) score 1985 or sacrifice child",
    );
  });

  it("wrapped events: <unknown> age, a message continued on the next line, combined-from-similar prefix, multi-line terminated message", async () => {
    const text = fixture("wrapped-events.txt");
    const facts = await parse("wrapped-events.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({
      phase: "Terminating",
      terminationGracePeriodSeconds: 30,
      uid: "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    });
    const c = container(pod, "ingest");
    expect(c.lastState).toMatchObject({ reason: "Error", exitCode: 2 });
    expect(c.lastState!.message).toBe(
      "fatal error: runtime: out of memory\nruntime stack:\nruntime.throw({0x1b2c3d4, 0x16})\n/usr/local/go/src/runtime/panic.go:1023 +0x5c",
    );
    expect(iso(c.lastState!.finishedAtMs)).toBe("2026-06-15T03:29:58.000Z");
    expect(event(facts, "Scheduled")).toMatchObject({ ageText: null, count: 1 });
    expect(event(facts, "FailedMount").message).toBe(
      'MountVolume.SetUp failed for volume "kube-api-access-5kcpr" : failed to fetch token: serviceaccounts "ingest" is forbidden: User "system:node:worker-3" cannot create resource "serviceaccounts/token"',
    );
    const backoff = event(facts, "BackOff");
    expect(backoff.message).toMatch(/^Back-off restarting failed container ingest/);
    expect(backoff).toMatchObject({ count: 14, ageText: "2m", source: { line: lineOf(text, "Warning  BackOff") } });
    expect(event(facts, "Killing").source.line).toBe(lineOf(text, "Normal   Killing"));
  });

  it("collapsed spacing: single spaces between keys, values and event cells", async () => {
    const text = fixture("collapsed-spacing.txt");
    const facts = await parse("collapsed-spacing.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const c = container(only(facts.pods), "queue");
    expect(c).toMatchObject({ restartCount: 9, limitBytes: 256 * 1024 * 1024 });
    expect(c.lastState).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
    expect(iso(c.lastState!.finishedAtMs)).toBe("2026-06-16T10:41:30.000Z");
    expect(facts.events.map((e) => [e.reason, e.count, e.ageText])).toEqual([
      ["BackOff", 40, "2m"],
      ["Pulled", 10, "7m"],
    ]);
    expect(event(facts, "Pulled").message).toBe('Container image "jobs/queue:2.0" already present on machine');
  });

  it("CRLF line ends: same facts and line numbers as LF", async () => {
    const crlf = fixture("crlf.txt");
    expect(crlf).toContain("\r\n");
    const a = await parse("crlf.txt", crlf);
    const b = await parse("crlf.txt", crlf.replace(/\r\n/g, "\n"));
    expect(a).toEqual(b);
    const c = container(only(a.pods), "report");
    expect(c.lastState).toMatchObject({ reason: "OOMKilled", exitCode: 137, signal: 9 });
    expect(c.name).toBe("report");
    expect(c.limitSource?.line).toBe(lineOf(crlf, "memory:  1Gi"));
  });
});

describe("hostile input", () => {
  it("empty input: no facts, one nothing-found error, no throw", async () => {
    const facts = await parse("empty.txt", "");
    expect(facts.pods).toEqual([]);
    expect(facts.events).toEqual([]);
    expect(facts.diagnostics).toMatchObject([{ severity: "error", code: "kubectl-describe/nothing-found" }]);
  });

  it("binary garbage: warnings with line numbers, capped", async () => {
    let garbage = "";
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const ch = seed % 97;
      garbage += ch === 0 ? "\n\n" : String.fromCharCode(ch < 10 ? ch : 32 + (ch % 95));
    }
    const facts = await parse("garbage.bin", garbage);
    expect(facts.pods).toEqual([]);
    expect(facts.diagnostics.length).toBeLessThanOrEqual(53);
    for (const d of facts.diagnostics) expect(d.at.file).toBe("garbage.bin");
    expect(facts.diagnostics.at(-1)?.code).toBe("kubectl-describe/nothing-found");
  });

  it("pathological long lines in every section stay fast", async () => {
    const run = "a".repeat(300_000);
    const spaces = " ".repeat(300_000);
    const text = [
      "Name:         p",
      "Namespace:    n",
      `Status:       Terminating${spaces}x`,
      `Message:      ${run}`,
      "Containers:",
      "  c:",
      `    Image:  ${run}`,
      "    Environment:",
      `      A:  x${spaces}(v1:metadata.name${spaces}`,
      `      B:  ${run}_${run}(`,
      "    Mounts:",
      `      /x from${spaces}from y${spaces}`,
      "    Limits:",
      `      memory:  ${spaces}1`,
      "Events:",
      "  Type     Reason   Age   From     Message",
      "  ----     ------   ----  ----     -------",
      `  Warning  BackOff  1m    kubelet  ${run}_${run}(d106602d-22f0-423d-8b4f-b8be31549d2`,
      `  Normal ${"x".repeat(300_000)} 1m (x2 over ${spaces}`,
      `${"Normal  ".repeat(40_000)}`,
    ].join("\n");
    const facts = await parse("long.txt", text);
    expect(only(facts.pods).containers[0]!.image).toHaveLength(300_000);
    expect(event(facts, "BackOff").involved?.uid).toBeNull();
  });

  it("bad values become warnings naming the line", async () => {
    const text = [
      "Name:         p",
      "Namespace:    n",
      "Start Time:   yesterday",
      "Containers:",
      "  c:",
      "    State:          Exploded",
      "    Last State:     Terminated",
      "      Exit Code:    lots",
      "      Finished:     Tue, 99 Foo 2021 00:00:00 +0000",
      "    Restart Count:  many",
      "    Limits:",
      "      memory:  a lot",
    ].join("\n");
    const facts = await parse("bad.txt", text);
    const byCode = facts.diagnostics.map((d) => [d.code, d.at.line]);
    expect(byCode).toEqual([
      ["kubectl-describe/bad-time", 3],
      ["kubectl-describe/bad-state", 6],
      ["kubectl-describe/bad-number", 8],
      ["kubectl-describe/bad-time", 9],
      ["kubectl-describe/bad-number", 10],
      ["kubectl-describe/bad-quantity", 12],
    ]);
    const c = only(only(facts.pods).containers);
    expect(c.state).toBeNull();
    expect(c.lastState).toMatchObject({ kind: "terminated", exitCode: null, finishedAtMs: null });
    expect(c.limitBytes).toBeNull();
    for (const d of facts.diagnostics) expect(d.message).toMatch(/ — expected .* — received /);
  });
});

describe("header sample", () => {
  it("parses with no diagnostics and yields a pod", async () => {
    const src = readFileSync(new URL("../../src/ingest/kubectl-describe.ts", import.meta.url), "utf8");
    const block = /Sample input:\n \* ```text\n([\s\S]*?)\n \* ```/.exec(src);
    expect(block).not.toBeNull();
    const sample = block![1]!
      .split("\n")
      .map((l) => l.replace(/^ \* ?/, ""))
      .join("\n");
    expect(kubectlDescribe.sniff(sample, "sample.txt")).toBe(true);
    const facts = await parse("sample.txt", sample);
    expect(facts.diagnostics).toEqual([]);
    const c = only(only(facts.pods).containers);
    expect(c.lastState).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
    expect(only(facts.events).count).toBe(256);
  });
});
