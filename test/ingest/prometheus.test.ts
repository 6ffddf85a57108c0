import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { metricsCsv } from "../../src/ingest/metrics-csv.js";
import { prometheus } from "../../src/ingest/prometheus.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { pointList } from "../../src/model/series-points.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/prometheus/${name}`, import.meta.url), "utf8");
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
const read = (path: string, text: string) => {
  expect(detectIngester(text.slice(0, 8192), path)?.kind).toBe("prometheus");
  return prometheus.parse(sourceFromString(path, text));
};

describe("prometheus: HTTP API JSON", () => {
  it("reads a jq-formatted query_range matrix: one series per result, points with their lines, NaN samples skipped", async () => {
    const text = fixture("query-range-jq.json");
    const facts = await read("qr.json", text);
    expect(facts.diagnostics).toEqual([]);
    const ws = facts.series.find((s) => s.metric === "container_memory_working_set_bytes")!;
    expect(ws.labels).toEqual({ container: "renderer", namespace: "media", pod: "renderer-58c7d9b6f4-hq2zt" });
    expect(ws.unit).toBe("bytes");
    expect(pointList(ws.points).map((p) => [p.ms, p.value])).toEqual([
      [1767261600000, 201326592],
      [1767261660000, 205520896],
      [1767261780000, 213909504],
    ]);
    expect(ws.points.line[1]).toBe(lineOf(text, "1767261660") - 1); // the pair's opening bracket
    // The limit series also makes the container known, with its limit.
    expect(facts.pods[0]).toMatchObject({ name: "renderer-58c7d9b6f4-hq2zt", namespace: "media" });
    expect(facts.pods[0]!.containers[0]).toMatchObject({ name: "renderer", limitBytes: 268435456, lastState: null });
  });

  it("reads a query vector of last_terminated_reason: the OOMKilled container gets its termination, Completed its own", async () => {
    const facts = await read("v.json", fixture("query-vector.json"));
    const byPod = Object.fromEntries(facts.pods.map((p) => [p.name, p.containers[0]!]));
    expect(byPod["renderer-58c7d9b6f4-hq2zt"]!.lastState).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: null,
      finishedAtMs: null,
    });
    expect(byPod["api-6d5c4b3a2f-zz1yy"]!.lastState).toMatchObject({ reason: "Completed" });
  });

  it("turns an error response into a warning naming it", async () => {
    const facts = await read(
      "e.json",
      '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\"","data":{"resultType":"matrix","result":[]}}',
    );
    expect(facts.diagnostics.map((d) => d.code)).toEqual(["prometheus/query-error", "prometheus/no-data"]);
    expect(facts.diagnostics[0]!.message).toContain("bad_data");
  });
});

describe("prometheus: text exposition", () => {
  it("reads a kube-state-metrics page: OOMKilled with exit code, time, restarts, memory limit (not CPU), node and owner; the Evicted pod", async () => {
    const text = fixture("ksm-metrics.txt");
    const facts = await read("ksm.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const consumer = facts.pods.find((p) => p.name === "consumer-7c6b5a4d3e-k2j9h")!;
    expect(consumer).toMatchObject({
      namespace: "queue",
      node: "gke-pool-a-1",
      uid: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
      owner: { kind: "ReplicaSet", name: "consumer-7c6b5a4d3e" },
    });
    expect(consumer.containers[0]).toMatchObject({
      name: "consumer",
      restartCount: 5,
      limitBytes: 7.516192768e8,
      lastState: {
        reason: "OOMKilled",
        exitCode: 137,
        finishedAtMs: 1767254712000,
        source: { line: lineOf(text, 'reason="OOMKilled"') },
      },
      limitSource: { line: lineOf(text, 'resource="memory"') },
    });
    expect(facts.pods.find((p) => p.name === "loader-0")).toMatchObject({
      reason: "Evicted",
      phase: "Failed",
      containers: [],
    });
    expect(facts.series).toEqual([]);
  });

  it("reads a cAdvisor scrape: timestamped samples as series, an untimed working set as a reading", async () => {
    const text = fixture("cadvisor-scrape.txt");
    const facts = await read("cadvisor.txt", text);
    const ws = facts.series.filter((s) => s.metric === "container_memory_working_set_bytes");
    expect(ws.map((s) => [s.labels["container"], s.points.ms.length])).toEqual([
      ["", 1],
      ["consumer", 2],
    ]);
    expect(facts.pods[0]!.containers.find((c) => c.name === "consumer")!.limitBytes).toBe(7.516192768e8);
    expect(facts.topReadings).toEqual([
      expect.objectContaining({
        scope: "container",
        pod: "consumer-7c6b5a4d3e-k2j9h",
        container: "sidecar",
        memoryBytes: 33554432,
        origin: "cAdvisor scrape",
        source: { file: "cadvisor.txt", line: lineOf(text, 'container="sidecar"') },
      }),
    ]);
  });

  it("is not taken for a memory.stat file (bare key value lines)", () => {
    expect(prometheus.sniff("anon 348016640\nfile 7502163968\nkernel 146997248\nsock 4096\n", "x")).toBe(false);
  });
});

describe("metrics CSV with kube-state-metrics series", () => {
  it("finds the OOM kill and the limit from the long export alone", async () => {
    const csv = [
      "metric,namespace,pod,container,reason,timestamp,value",
      "kube_pod_container_resource_limits,web,web-5f6d7c8b9a-xx1yy,web,,1767254400,402653184",
      "kube_pod_container_status_restarts_total,web,web-5f6d7c8b9a-xx1yy,web,,1767254400,0",
      "kube_pod_container_status_restarts_total,web,web-5f6d7c8b9a-xx1yy,web,,1767254460,1",
      "kube_pod_container_status_last_terminated_reason,web,web-5f6d7c8b9a-xx1yy,web,OOMKilled,1767254460,1",
    ].join("\n");
    const facts = await metricsCsv.parse(sourceFromString("m.csv", csv));
    expect(facts.pods).toHaveLength(1);
    expect(facts.pods[0]!.containers[0]).toMatchObject({
      name: "web",
      limitBytes: 402653184,
      restartCount: 1,
      lastState: { reason: "OOMKilled", source: { file: "m.csv", line: 5 } },
    });
  });
});
