import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PodFact } from "../../src/model/facts.js";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromFile, sourceFromString } from "../../src/ingest/source.js";
import { codes, expectLinesPointAtNodes, lineWhere, ms, only, parseText } from "./pod-json-helpers.js";

const FIXTURES = new URL("../fixtures/pod-json/", import.meta.url);

const readFixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");

describe("pod-json sniff", () => {
  it.each([
    "oomkilled-pod-full.json",
    "list-two-pods.json",
    "multi-doc-pods.yaml",
    "events-oom.json",
    "events-k8s-io-v1.yaml",
    "evicted-pod.yaml",
    "truncated-pod.json",
    "crlf-pod.yaml",
  ])("claims the fixture %s", (name) => {
    expect(podJson.sniff(sourceFromString(name, readFixture(name)).head, name)).toBe(true);
  });

  it.each([
    [
      "a describe container section",
      "Containers:\n  app:\n    State:          Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n    Last State:     Terminated\n",
    ],
    [
      "a describe whose annotation embeds pod JSON",
      `Name:         api-0\nNamespace:    shop\nAnnotations:  kubectl.kubernetes.io/last-applied-configuration:\n                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"api-0"}}\nStart Time:   Thu, 07 Mar 2024 08:02:11 +0100\n`,
    ],
    [
      "a kernel log",
      "[12345.678901] Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:520000kB\n",
    ],
    ["a memory.stat", "anon 104857600\nfile 2048000\nkernel 1200000\n"],
    ["a pmap", "4242:   java -jar app.jar\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n"],
    ["a metrics CSV", 'Time,container_memory_working_set_bytes{pod="api-0"}\n2024-03-07 09:00:00,503316480\n'],
    [
      "a kubectl get events table",
      "LAST SEEN   TYPE      REASON       OBJECT      MESSAGE\n2m          Warning   OOMKilling   node/n1     Memory cgroup out of memory\n",
    ],
    [
      "a Deployment JSON",
      `{"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": {"spec": {"containers": []}}}}`,
    ],
    ["empty text", ""],
    ["binary", "\u0000\u0001\u0002ELF\u0000\u0000garbage"],
  ])("does not claim %s", (_what, text) => {
    expect(podJson.sniff(text, "x")).toBe(false);
  });

  it.each([
    [
      "an indented containerStatuses fragment",
      "    containerStatuses:\n    - name: app\n      lastState:\n        terminated:\n          exitCode: 137\n",
    ],
    ["JSON with containerStatuses only", `{"containerStatuses": [{"name": "app", "restartCount": 2}]}`],
    [
      "a kubectl List of pods (kind Pod in items)",
      `{\n  "apiVersion": "v1",\n  "items": [\n    {\n      "apiVersion": "v1",\n      "kind": "Pod",\n`,
    ],
    [
      "a YAML event list",
      "apiVersion: v1\nitems:\n- apiVersion: v1\n  count: 1\n  involvedObject:\n    kind: Pod\n  kind: Event\n",
    ],
    ["a paste with the kubectl command above", "$ kubectl get pod api-0 -o yaml\napiVersion: v1\nkind: Pod\n"],
  ])("claims %s", (_what, text) => {
    expect(podJson.sniff(text, "x")).toBe(true);
  });
});

describe("pod-json on fixtures", () => {
  it("reads a full Pod JSON: limits, env, probe, memory-backed emptyDir, init container", async () => {
    const text = readFixture("oomkilled-pod-full.json");
    const facts = await parseText("pod.json", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({
      name: "billing-api-6c9f7d8b5-q7x2k",
      namespace: "payments",
      uid: "8d3f2a1b-6c7e-4f90-a1b2-c3d4e5f60718",
      node: "ip-10-0-12-34.eu-west-1.compute.internal",
      qosClass: "Burstable",
      phase: "Running",
      owner: { kind: "ReplicaSet", name: "billing-api-6c9f7d8b5" },
      terminationGracePeriodSeconds: 45,
    });
    expect(pod.volumes).toEqual([
      {
        name: "dshm",
        memoryBacked: true,
        sizeLimitBytes: 512 * 2 ** 20,
        source: { file: "pod.json", line: lineWhere(text, '"name": "dshm"', 2) },
      },
      {
        name: "kube-api-access-9wz4m",
        memoryBacked: false,
        sizeLimitBytes: null,
        source: { file: "pod.json", line: lineWhere(text, '"name": "kube-api-access-9wz4m"', 2) },
      },
    ]);
    expect(pod.containers.map((c) => [c.name, c.init])).toEqual([
      ["wait-for-db", true],
      ["billing-api", false],
    ]);
    const [init, app] = pod.containers as [PodFact["containers"][0], PodFact["containers"][0]];
    expect(init.limitBytes).toBe(64 * 2 ** 20);
    expect(init.state).toMatchObject({ kind: "terminated", reason: "Completed", exitCode: 0 });
    expect(app).toMatchObject({
      containerId: "9f2c41d7e8a3b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1",
      image: "registry.example.com/payments/billing-api:3.8.1",
      limitBytes: 2 * 2 ** 30,
      requestBytes: 1536 * 2 ** 20,
      restartCount: 3,
      command: ["java", "-jar", "/app/billing-api.jar"],
      args: ["--spring.profiles.active=prod"],
      livenessProbe:
        "http-get http://:8080/actuator/health/liveness delay=30s timeout=2s period=10s #success=1 #failure=3",
      volumeMounts: [
        { name: "dshm", mountPath: "/dev/shm" },
        { name: "kube-api-access-9wz4m", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
      ],
    });
    expect(app.env.map((e) => [e.name, e.value])).toEqual([
      ["JAVA_TOOL_OPTIONS", "-Xmx1536m -XX:+ExitOnOutOfMemoryError"],
      ["DB_PASSWORD", null],
      ["EMPTY_FLAG", ""],
    ]);
    expect(app.env[0]!.source.line).toBe(lineWhere(text, "JAVA_TOOL_OPTIONS"));
    expect(app.lastState).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      startedAtMs: ms("2024-03-07T08:02:11Z"),
      finishedAtMs: ms("2024-03-07T09:14:02Z"),
      containerId: "3b7e5a9c1d2f4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a",
    });
    expect(app.lastState!.source.line).toBe(lineWhere(text, '"terminated": {'));
    expect(app.state).toMatchObject({ kind: "running", startedAtMs: ms("2024-03-07T09:14:03Z") });
    expect(app.limitSource).toEqual({ file: "pod.json", line: lineWhere(text, '"memory": "2Gi"') });
    expect(app.source.line).toBe(lineWhere(text, '"name": "billing-api"'));
    expectLinesPointAtNodes(text, facts);
  });

  it("reads a kubectl List of two pods", async () => {
    const text = readFixture("list-two-pods.json");
    const facts = await parseText("pods.json", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pods.map((p) => [p.name, p.qosClass, p.node])).toEqual([
      ["ingest-worker-0", "Guaranteed", "worker-node-3"],
      ["ingest-scheduler-5b8d9c7f6-tq2wz", "BestEffort", "worker-node-1"],
    ]);
    const worker = facts.pods[0]!.containers[0]!;
    expect(worker.state).toMatchObject({ kind: "waiting", reason: "CrashLoopBackOff", exitCode: null });
    expect(worker.state!.message).toContain("back-off 5m0s");
    expect(worker.lastState).toMatchObject({ kind: "terminated", reason: "OOMKilled", exitCode: 137 });
    expect(worker.restartCount).toBe(7);
    expect(facts.pods[0]!.owner).toEqual({ kind: "StatefulSet", name: "ingest-worker" });
    const scheduler = facts.pods[1]!.containers[0]!;
    expect(scheduler.containerId).toBe("e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f");
    expect(scheduler.lastState).toBeNull();
    expect(scheduler.limitBytes).toBeNull();
    expect(scheduler.limitSource).toBeNull();
    expect(facts.pods[1]!.source.line).toBe(lineWhere(text, "ingest-scheduler-5b8d9c7f6-tq2wz"));
    expect(facts.pods[0]!.source.endLine).toBeLessThan(facts.pods[1]!.source.line!);
    expectLinesPointAtNodes(text, facts);
  });

  it("reads multi-document YAML with file line numbers in the second document", async () => {
    const text = readFixture("multi-doc-pods.yaml");
    const facts = await parseText("pods.yaml", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pods.map((p) => p.name)).toEqual(["cache-0", "cache-1"]);
    const [a, b] = facts.pods.map((p) => p.containers[0]!) as [PodFact["containers"][0], PodFact["containers"][0]];
    expect(a.args).toEqual(["--maxmemory", "900mb"]);
    expect(a.livenessProbe).toBe("exec [redis-cli ping] delay=0s timeout=1s period=5s #success=1 #failure=3");
    expect(a.env).toEqual([
      { name: "REDIS_PASSWORD", value: null, source: { file: "pods.yaml", line: lineWhere(text, "REDIS_PASSWORD") } },
    ]);
    expect(a.lastState).toMatchObject({ reason: "OOMKilled", exitCode: 137, finishedAtMs: ms("2024-06-02T11:41:37Z") });
    expect(b.livenessProbe).toBe("tcp-socket :6379 delay=0s timeout=3s period=10s #success=1 #failure=3");
    expect(b.limitSource!.line).toBe(lineWhere(text, "memory: 1Gi", 3));
    expect(facts.pods[1]!.source.line).toBe(lineWhere(text, "name: cache-1"));
    expectLinesPointAtNodes(text, facts);
  });

  it("reads an EventList: OOMKilling, Unhealthy, Killing, Evicted (eventTime only); the kill and the evicted pod as the events table does", async () => {
    const text = readFixture("events-oom.json");
    const facts = await parseText("events.json", text);
    expect(facts.diagnostics).toEqual([]);
    // Like kubectl-get-events: the OOMKilling message is a memcg kill, the Evicted event makes its pod known as evicted.
    expect(facts.ooms.map((o) => [o.origin, o.host, o.victims[0]?.pid, o.victims[0]?.process])).toEqual([
      ["kube-event", "ip-10-0-12-34.eu-west-1.compute.internal", 31744, "java"],
    ]);
    expect(facts.pods.map((p) => [p.name, p.phase, p.reason])).toEqual([
      ["report-builder-7f5d4c3b2-mv9hx", "Failed", "Evicted"],
    ]);
    expect(facts.events.map((e) => [e.type, e.reason, e.count])).toEqual([
      ["Warning", "OOMKilling", 1],
      ["Warning", "Unhealthy", 4],
      ["Normal", "Killing", 1],
      ["Warning", "Evicted", 1],
    ]);
    const [oom, unhealthy, , evicted] = facts.events;
    expect(oom!.involved).toEqual({
      kind: "Node",
      name: "ip-10-0-12-34.eu-west-1.compute.internal",
      namespace: null,
      uid: "ip-10-0-12-34.eu-west-1.compute.internal",
    });
    expect(oom!.message).toMatch(/^Memory cgroup out of memory: Killed process 31744 \(java\)/);
    expect(unhealthy).toMatchObject({
      firstMs: ms("2024-03-07T08:31:40Z"),
      lastMs: ms("2024-03-07T09:13:20Z"),
      ageText: null,
    });
    expect(unhealthy!.involved).toMatchObject({
      kind: "Pod",
      name: "billing-api-6c9f7d8b5-q7x2k",
      namespace: "payments",
    });
    expect(evicted!.message).toContain("The node was low on resource: memory.");
    expect(evicted!.firstMs).toBe(ms("2024-03-07T10:02:44.318Z"));
    expect(evicted!.lastMs).toBe(evicted!.firstMs);
    expect(evicted!.source.line).toBe(lineWhere(text, '"reason": "Evicted"'));
    expectLinesPointAtNodes(text, facts);
  });

  it("reads events.k8s.io/v1 events: note, regarding, deprecatedCount, series", async () => {
    const text = readFixture("events-k8s-io-v1.yaml");
    const facts = await parseText("events.yaml", text);
    expect(facts.diagnostics).toEqual([]);
    const [backoff, systemOom] = facts.events;
    expect(backoff).toMatchObject({
      reason: "BackOff",
      count: 12,
      firstMs: ms("2024-06-02T10:20:11Z"),
      lastMs: ms("2024-06-02T11:41:37Z"),
      involved: { kind: "Pod", name: "cache-0", namespace: "edge", uid: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d" },
    });
    expect(backoff!.message).toMatch(/^Back-off restarting failed container redis/);
    expect(systemOom).toMatchObject({
      reason: "SystemOOM",
      message: "System OOM encountered, victim process: redis-server, pid: 884213",
      count: 3,
      firstMs: ms("2024-06-02T11:41:36.904Z"),
      lastMs: ms("2024-06-02T11:52:10.117Z"),
      involved: { kind: "Node", name: "edge-node-2" },
    });
    expectLinesPointAtNodes(text, facts);
  });

  it("reads an evicted pod: phase Failed, reason Evicted, the kubelet's message", async () => {
    const text = readFixture("evicted-pod.yaml");
    const facts = await parseText("evicted.yaml", text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({ phase: "Failed", reason: "Evicted", qosClass: "Burstable" });
    expect(pod.message).toMatch(
      /^The node was low on resource: memory\. .*Container builder was using 1843204Ki, request is 512Mi/,
    );
    const c = only(pod.containers);
    expect(c).toMatchObject({ name: "builder", containerId: null, limitBytes: null, requestBytes: 512 * 2 ** 20 });
    expect(c.state).toMatchObject({
      kind: "terminated",
      reason: "ContainerStatusUnknown",
      exitCode: 137,
      startedAtMs: null,
      finishedAtMs: null,
    });
    expectLinesPointAtNodes(text, facts);
  });

  it("reads a truncated pod JSON: warns with the line and keeps what came before", async () => {
    const text = readFixture("truncated-pod.json");
    const facts = await parseText("cut.json", text);
    const cut = facts.diagnostics.find((d) => d.code === "pod-json/truncated");
    expect(cut?.at).toEqual({ file: "cut.json", line: text.split("\n").length });
    const pod = only(facts.pods);
    expect(pod.name).toBe("billing-api-6c9f7d8b5-q7x2k");
    expect(pod.volumes.map((v) => v.name)).toEqual(["dshm", "kube-api-access-9wz4m"]);
    const app = pod.containers.find((c) => c.name === "billing-api")!;
    expect(app.limitBytes).toBe(2 * 2 ** 30);
    expect(app.lastState).toMatchObject({
      kind: "terminated",
      exitCode: 137,
      reason: null,
      finishedAtMs: ms("2024-03-07T09:14:02Z"),
    });
    expect(codes(facts)).toContain("pod-json/container-joined-by-position");
    expectLinesPointAtNodes(text, facts);
  });

  it("reads CRLF YAML with the same values and lines as LF", async () => {
    const text = readFixture("crlf-pod.yaml");
    expect(text).toContain("\r\n");
    const facts = await parseText("crlf.yaml", text);
    expect(facts.diagnostics).toEqual([]);
    const c = only(only(facts.pods).containers);
    expect(c).toMatchObject({ name: "thumbnailer", limitBytes: 256 * 2 ** 20, restartCount: 5 });
    expect(c.env).toEqual([
      {
        name: "NODE_OPTIONS",
        value: "--max-old-space-size=512",
        source: { file: "crlf.yaml", line: lineWhere(text, "NODE_OPTIONS") },
      },
    ]);
    expect(c.lastState).toMatchObject({ reason: "OOMKilled", finishedAtMs: ms("2024-04-18T16:25:49Z") });
    expect(c.lastState!.source.line).toBe(lineWhere(text, "terminated:"));
    expectLinesPointAtNodes(text, facts);
  });
});

describe("pod-json details", () => {
  it("reads `kubectl get pods -o yaml` (a List) with item lines", async () => {
    const text = [
      "apiVersion: v1",
      "items:",
      "- apiVersion: v1",
      "  kind: Pod",
      "  metadata:",
      "    name: web-0",
      "    namespace: shop",
      "  spec:",
      "    containers:",
      "    - name: web",
      "      resources:",
      "        limits: {memory: 300M}",
      "- apiVersion: v1",
      "  kind: Pod",
      "  metadata:",
      "    name: web-1",
      "  status:",
      "    containerStatuses:",
      "    - name: web",
      "      lastState:",
      "        terminated: {exitCode: 137, reason: OOMKilled}",
      "kind: List",
      "metadata:",
      '  resourceVersion: ""',
    ].join("\n");
    const facts = await parseText("pods.yaml", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pods.map((p) => [p.name, p.source.line])).toEqual([
      ["web-0", 6],
      ["web-1", 16],
    ]);
    expect(facts.pods[0]!.containers[0]).toMatchObject({
      limitBytes: 300e6,
      limitSource: { line: 12 },
      source: { line: 10 },
    });
    expect(facts.pods[1]!.containers[0]!.lastState).toMatchObject({ reason: "OOMKilled", source: { line: 21 } });
    expectLinesPointAtNodes(text, facts);
  });

  it("takes limits from status.resources when the spec is absent", async () => {
    const text =
      "containerStatuses:\n- name: app\n  resources:\n    limits:\n      memory: 1Gi\n    requests:\n      memory: 256Mi\n  restartCount: 4\n";
    const c = only(only((await parseText("s.yaml", text)).pods).containers);
    expect(c).toMatchObject({
      limitBytes: 2 ** 30,
      requestBytes: 256 * 2 ** 20,
      limitSource: { line: 5 },
      restartCount: 4,
    });
  });

  it.each([
    [
      "httpGet with host, named port and HTTPS",
      "httpGet: {host: 10.0.0.7, port: http, path: /healthz, scheme: HTTPS}",
      "http-get https://10.0.0.7:http/healthz delay=0s timeout=1s period=10s #success=1 #failure=3",
    ],
    [
      "grpc",
      "grpc: {port: 9090, service: health}\n      failureThreshold: 5",
      "grpc <pod>:9090 health delay=0s timeout=1s period=10s #success=1 #failure=5",
    ],
    [
      "tcpSocket",
      "tcpSocket: {port: 5432}\n      initialDelaySeconds: 15",
      "tcp-socket :5432 delay=15s timeout=1s period=10s #success=1 #failure=3",
    ],
  ])("prints a %s liveness probe as kubectl describe does", async (_what, probe, expected) => {
    const text = `kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    livenessProbe:\n      ${probe}\n`;
    const c = only(only((await parseText("p.yaml", text)).pods).containers);
    expect(c.livenessProbe).toBe(expected);
  });

  it("falls back to YAML for JSON with a trailing comma (hand-edited)", async () => {
    const text = '{\n  "kind": "Pod",\n  "metadata": {"name": "edited",},\n  "status": {"qosClass": "Guaranteed"}\n}\n';
    const facts = await parseText("edited.json", text);
    expect(facts.diagnostics).toEqual([]);
    expect(only(facts.pods)).toMatchObject({ name: "edited", qosClass: "Guaranteed", source: { line: 3 } });
  });

  it("cites the last line with content for a YAML error at the end of the file", async () => {
    const facts = await parseText("b.yaml", "kind: Pod\nmetadata:\n  name: [a\n\n");
    expect(facts.pods).toEqual([]);
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([["pod-json/invalid-yaml", 3]]);
  });

  it("does not join an owner that is not the controller", async () => {
    const text =
      "kind: Pod\nmetadata:\n  name: p\n  ownerReferences:\n  - {kind: ConfigMap, name: cm, controller: false}\n  - {kind: Node, name: n1}\n";
    expect(only((await parseText("o.yaml", text)).pods).owner).toBeNull();
  });
});

describe("pod-json on hostile input", () => {
  const full = readFixture("oomkilled-pod-full.json");

  it.each([
    ["empty", ""],
    ["blank lines", "\n\n   \n"],
  ])("returns no facts and one warning for an %s file", async (_what, text) => {
    const facts = await parseText("e.json", text);
    expect(facts.pods).toEqual([]);
    expect(codes(facts)).toEqual(["pod-json/empty"]);
  });

  it("returns no facts for binary garbage", async () => {
    const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join("");
    const facts = await parseText("core.bin", bytes);
    expect(facts.pods).toEqual([]);
    expect(facts.events).toEqual([]);
    expect(facts.diagnostics.length).toBeGreaterThan(0);
  });

  it("never throws on the full pod JSON cut at any of 120 points, and never invents values", async () => {
    const total = full.split("\n").length;
    for (let i = 1; i <= 120; i++) {
      const cut = full.slice(0, Math.floor((full.length * i) / 121));
      const facts = await parseText("cut.json", cut);
      expect(codes(facts)).toContain("pod-json/truncated");
      for (const d of facts.diagnostics) expect(d.at.line).toBeLessThanOrEqual(total);
      for (const pod of facts.pods) {
        expect([null, "billing-api-6c9f7d8b5-q7x2k"]).toContain(pod.name);
        expect([null, 45]).toContain(pod.terminationGracePeriodSeconds);
        for (const c of pod.containers) {
          expect([null, 2 * 2 ** 30, 64 * 2 ** 20]).toContain(c.limitBytes);
          expect([null, 0, 137]).toContain(c.lastState?.exitCode ?? c.state?.exitCode ?? null);
          expect([null, 0, 3]).toContain(c.restartCount);
        }
      }
    }
  });

  it("never throws on YAML cut at any of 60 points", async () => {
    const yaml = readFixture("multi-doc-pods.yaml");
    for (let i = 1; i <= 60; i++) {
      const facts = await parseText("cut.yaml", yaml.slice(0, Math.floor((yaml.length * i) / 61)));
      for (const pod of facts.pods) expect(["cache-0", "cache-1", null]).toContain(pod.name);
    }
  });

  it("reads a pod JSON whose single line is huge", async () => {
    const pod = JSON.parse(full) as { metadata: { annotations?: Record<string, string> } };
    pod.metadata.annotations = { "example.com/blob": "x".repeat(2_000_000) };
    const facts = await parseText("big.json", JSON.stringify(pod));
    expect(facts.diagnostics).toEqual([]);
    const p = only(facts.pods);
    expect(p.source.line).toBe(1);
    expect(p.containers.find((c) => c.name === "billing-api")?.lastState?.source.line).toBe(1);
  });

  it("reads a UTF-16LE file with BOM (PowerShell redirect) through sourceFromFile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pod-json-"));
    try {
      const text = readFixture("multi-doc-pods.yaml");
      const file = join(dir, "pods.yaml");
      writeFileSync(
        file,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, "\r\n"), "utf16le")]),
      );
      const source = await sourceFromFile(file, "pods.yaml");
      expect(podJson.sniff(source.head, "pods.yaml")).toBe(true);
      const facts = await podJson.parse(source);
      expect(facts.pods.map((p) => p.name)).toEqual(["cache-0", "cache-1"]);
      expect(facts.pods[1]!.containers[0]!.limitSource!.line).toBe(lineWhere(text, "memory: 1Gi", 3));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["a Deployment", `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"}}`],
    ["a ConfigMap in YAML", "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n"],
    ["a JSON array of numbers", "[1, 2, 3]"],
    ["a plain string", '"just text"'],
  ])("yields no facts and a not-a-pod warning for %s", async (_what, text) => {
    const facts = await parseText("x.json", text);
    expect(facts.pods).toEqual([]);
    expect(facts.events).toEqual([]);
    expect(codes(facts)).toContain("pod-json/not-a-pod");
  });

  it("skips non-pod items of a List with one warning", async () => {
    const text = JSON.stringify(
      {
        apiVersion: "v1",
        kind: "List",
        items: [
          { apiVersion: "v1", kind: "Service", metadata: { name: "api" } },
          { apiVersion: "v1", kind: "Pod", metadata: { name: "api-0" }, spec: { containers: [{ name: "api" }] } },
          { apiVersion: "v1", kind: "Service", metadata: { name: "api-headless" } },
        ],
      },
      null,
      2,
    );
    const facts = await parseText("all.json", text);
    expect(facts.pods.map((p) => p.name)).toEqual(["api-0"]);
    const skipped = only(facts.diagnostics.filter((d) => d.code === "pod-json/unsupported-item"));
    expect(skipped.message).toContain("2 × kind Service");
    expect(skipped.at.line).toBe(lineWhere(text, "{", 2));
  });

  it("survives absurd nesting", async () => {
    const facts = await parseText("deep.json", "[".repeat(100_000) + "]".repeat(100_000));
    expect(facts.pods).toEqual([]);
    expect(facts.diagnostics.length).toBeGreaterThan(0);
  });

  it("cuts a YAML line longer than 64 KiB with a warning naming it, and still reads the pod around it", async () => {
    const lines = readFixture("evicted-pod.yaml").split("\n");
    const at = lines.findIndex((l) => l.startsWith("  uid:"));
    lines.splice(at, 0, `  annotations:`, `    huge: ${"abc ".repeat(280_000)}`);
    const facts = await parseText("pod.yaml", lines.join("\n"));
    expect(only(facts.pods).name).toBe("report-builder-7f5d4c3b2-mv9hx");
    const cut = only(facts.diagnostics.filter((d) => d.code === "pod-json/line-cut"));
    expect(cut.at.line).toBe(at + 2);
    expect(cut.message).toContain("line of 1120010 characters cut to its first 65536");
  });

  it("survives a YAML alias bomb", async () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`,
      );
    lines.push("kind: Pod", "metadata:", "  name: bomb");
    const facts = await parseText("bomb.yaml", lines.join("\n"));
    expect(only(facts.pods).name).toBe("bomb");
  });

  it("reads JSON after a kubectl warning line, citing the line it was read from", async () => {
    const text = "Warning: v1 ComponentStatus is deprecated in v1.19+\n" + readFixture("oomkilled-pod-full.json");
    const facts = await parseText("pod.json", text);
    expect(only(facts.pods).name).toBe("billing-api-6c9f7d8b5-q7x2k");
    const fragment = only(facts.diagnostics.filter((d) => d.code === "pod-json/fragment"));
    expect(fragment.message).toContain("read from line 2");
    expectLinesPointAtNodes(text, facts);
  });

  it("reads several JSON values in a row (two `kubectl get pod -o json` appended)", async () => {
    const one = JSON.stringify({ kind: "Pod", metadata: { name: "a" } }, null, 2);
    const two = JSON.stringify({ kind: "Pod", metadata: { name: "b" } }, null, 2);
    const text = `${one}\n${two}\n`;
    const facts = await parseText("two.json", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.pods.map((p) => [p.name, p.source.line])).toEqual([
      ["a", lineWhere(text, '"a"')],
      ["b", lineWhere(text, '"b"')],
    ]);
  });

  it("reads the good documents of a multi-document YAML with one broken document", async () => {
    const text =
      "kind: Pod\nmetadata:\n  name: good\n---\nkind: Pod\nmetadata:\n  name: [broken\n---\nkind: Pod\nmetadata:\n  name: also-good\n";
    const facts = await parseText("m.yaml", text);
    expect(facts.pods.map((p) => p.name)).toEqual(["good", "also-good"]);
    expect(facts.pods[1]!.source.line).toBe(11);
    expect(codes(facts)).toContain("pod-json/invalid-yaml");
  });

  it("reads a lone container status (`lastState:` pasted by itself)", async () => {
    const text = "  - name: app\n    lastState:\n      terminated:\n        exitCode: 137\n        reason: OOMKilled\n";
    const facts = await parseText("s.yaml", text);
    const c = only(only(facts.pods).containers);
    expect(c).toMatchObject({ name: "app", lastState: { reason: "OOMKilled", exitCode: 137, source: { line: 3 } } });
  });

  it("warns on unreadable quantities and times instead of guessing", async () => {
    const text = [
      "kind: Pod",
      "metadata: {name: odd}",
      "spec:",
      "  containers:",
      "  - name: app",
      "    resources: {limits: {memory: lots}}",
      "status:",
      "  startTime: yesterday",
    ].join("\n");
    const facts = await parseText("odd.yaml", text);
    const pod = only(facts.pods);
    expect(pod.startTimeMs).toBeNull();
    expect(pod.containers[0]!.limitBytes).toBeNull();
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([
      ["pod-json/bad-time", 8],
      ["pod-json/bad-quantity", 6],
    ]);
  });
});

describe("pod-json header sample", () => {
  it("is claimed by sniff and parses into a pod without warnings", async () => {
    const src = readFileSync(new URL("../../src/ingest/pod-json.ts", import.meta.url), "utf8");
    const block = /Sample input:\n \* ```text\n([\s\S]*?)\n \* ```/.exec(src)![1]!;
    const sample = block
      .split("\n")
      .map((l) => l.replace(/^ \* ?/, ""))
      .join("\n");
    expect(podJson.sniff(sample, "sample.yaml")).toBe(true);
    const facts = await parseText("sample.yaml", sample);
    expect(facts.diagnostics).toEqual([]);
    expect(only(facts.pods).containers[0]!.lastState).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
  });
});

describe("pod-json terminated-state fragments (jq '.status.containerStatuses[].lastState.terminated')", () => {
  const stream = [
    '{\n  "containerID": "containerd://aa11",\n  "exitCode": 137,\n  "finishedAt": "2025-01-02T03:04:05Z",\n  "reason": "OOMKilled",\n  "startedAt": "2025-01-02T02:00:00Z"\n}',
    '{\n  "containerID": "containerd://bb22",\n  "exitCode": 137,\n  "finishedAt": "2025-01-02T04:00:00Z",\n  "reason": "OOMKilled"\n}',
  ].join("\n");

  it("reads each object of a jq stream as one terminated container, its containerID kept", async () => {
    const facts = await parseText("t.json", stream);
    expect(facts.pods).toHaveLength(2);
    const states = facts.pods.map((p) => only(p.containers).lastState);
    expect(states.map((s) => [s?.kind, s?.reason, s?.exitCode])).toEqual([
      ["terminated", "OOMKilled", 137],
      ["terminated", "OOMKilled", 137],
    ]);
    expect(facts.pods.map((p) => only(p.containers).containerId)).toEqual(["aa11", "bb22"]);
    expect(states[1]?.finishedAtMs).toBe(ms("2025-01-02T04:00:00Z"));
    expect(states[1]?.source.line).toBe(lineWhere(stream, "bb22") - 1);
    expect(facts.diagnostics.find((d) => d.code === "pod-json/fragment")?.message).toContain(
      "terminated container state",
    );
  });

  it("reads a YAML list of terminated states, and leaves a waiting state or a full status alone", async () => {
    const facts = await parseText("t.yaml", "- exitCode: 137\n  reason: OOMKilled\n- exitCode: 1\n  reason: Error\n");
    expect(facts.pods.flatMap((p) => p.containers.map((c) => c.lastState?.reason))).toEqual(["OOMKilled", "Error"]);
    const waiting = await parseText("w.json", '{"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}');
    expect(waiting.pods).toHaveLength(0);
    const status = await parseText("s.yaml", "name: app\nrestartCount: 2\nexitCode: 137\nreason: OOMKilled\n");
    expect(only(status.pods).containers[0]?.name).toBe("app");
  });
});
