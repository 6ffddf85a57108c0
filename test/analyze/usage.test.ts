/**
 * usageSeries: picking the subject's memory series, splitting it into runs at restarts and
 * kills, per-run statistics, and the chart bound; sizing from the series.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { linearFit, quantile } from "../../src/analyze/series-stats.js";
import { pickMemorySeries, usageSeries, usageView } from "../../src/analyze/usage.js";
import { buildKills } from "../../src/correlate/kills.js";
import { resolveLimit } from "../../src/correlate/limit.js";
import { seriesFor } from "../../src/correlate/series.js";
import { recommendLimit, roundLimit } from "../../src/diagnose/sizing.js";
import { metricsCsv } from "../../src/ingest/metrics-csv.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { MetricSeries } from "../../src/model/facts.js";
import { pointColumns } from "../../src/model/series-points.js";
import type { Kill } from "../../src/model/incident.js";
import { container, subject } from "../diagnose/builders.js";

const MI = 1024 ** 2;
const T0 = Date.parse("2026-06-09T10:00:00Z");

async function fixtureSeries(name: string): Promise<MetricSeries[]> {
  const text = readFileSync(new URL(`../fixtures/metrics-csv/${name}`, import.meta.url), "utf8");
  return (await metricsCsv.parse(sourceFromString(name, text))).series;
}

/** A kill at `time` (ISO) of the 512 MiB container. */
function kill(time: string | null): Kill {
  return {
    time,
    pid: 1,
    process: "app",
    anonRssBytes: null,
    limitBytes: 512 * MI,
    limitHit: "memory",
    memcg: null,
    memcgLevel: null,
    evidence: [],
  };
}

/** A series from values at a fixed step, lines counted from 2. */
function makeSeries(
  name: string,
  values: number[],
  stepMs = 15_000,
  unit: MetricSeries["unit"] = "bytes",
  t0 = T0,
): MetricSeries {
  const m = /^([\w:]+)/.exec(name);
  return {
    source: { file: "metrics.csv", line: 1 },
    metric: m ? m[1]! : null,
    labels: {},
    name,
    unit,
    points: pointColumns(values.map((value, i) => ({ ms: t0 + i * stepMs, value, line: i + 2 }))),
    rawPoints: values.length,
    stepMs,
  };
}

describe("usageSeries", () => {
  it("splits the leak fixture into its three runs with slope, R² and time to the limit", async () => {
    const s = {
      ...subject({ container: container({ name: "app" }) }),
      series: await fixtureSeries("grafana-wide-leak.csv"),
    };
    const u = usageSeries(s, buildKills(s))!;
    expect(u.metric).toBe("container_memory_working_set_bytes");
    expect(u.evidence).toMatchObject({ file: "grafana-wide-leak.csv", line: 1 });
    expect(u.evidence.text).toMatch(/2026-06-09 10:00:00 UTC … .*step 15 s/);
    expect(u.limitBytes).toBe(512 * MI);
    expect(u.stepSec).toBe(15);
    expect(u.restarts).toHaveLength(2);
    expect(u.runs).toHaveLength(3);
    for (const r of u.runs) {
      expect(r.slopeBytesPerSec * 60).toBeGreaterThan(35 * MI);
      expect(r.slopeBytesPerSec * 60).toBeLessThan(39 * MI);
      expect(r.r2).toBeGreaterThan(0.98);
      expect(r.minBytes).toBeLessThan(100 * MI);
      expect(r.maxBytes).toBeGreaterThan(480 * MI);
      expect(r.timeToLimitSec).toBeGreaterThan(9 * 60);
      expect(r.timeToLimitSec).toBeLessThan(12 * 60);
      expect(r.medianBytes).toBeLessThan(r.p99Bytes);
    }
    expect(u.points.length).toBeLessThanOrEqual(500);
  });

  it("prefers the working set over RSS", async () => {
    const all = await fixtureSeries("prometheus-range.csv");
    expect(pickMemorySeries(all, "app", "api-7d9c-x1")!.metric).toBe("container_memory_working_set_bytes");
    expect(
      pickMemorySeries(
        all.filter((x) => x.metric !== "container_memory_working_set_bytes"),
        "app",
        null,
      )!.metric,
    ).toBe("container_memory_rss");
  });

  it("splits at kill times when usage does not drop, and keeps the chart at 500 points", () => {
    const values = Array.from({ length: 4000 }, (_, i) => 300 * MI + (i % 7) * MI);
    const s = {
      ...subject({ container: container() }),
      series: [makeSeries("container_memory_working_set_bytes", values, 5000)],
    };
    const u = usageSeries(s, [kill(new Date(T0 + 1000 * 5000 + 100).toISOString())])!;
    expect(u.runs).toHaveLength(2);
    expect(Date.parse(u.runs[0]!.end!)).toBe(T0 + 1000 * 5000);
    expect(u.kills).toEqual([new Date(T0 + 1000 * 5000 + 100).toISOString()]);
    expect(u.points.length).toBeLessThanOrEqual(500);
    expect(Math.max(...u.points.map((p) => p[1]))).toBe(306 * MI);
  });

  it("reads the limit correlate resolved from a kube_pod_container_resource_limits series when the pod spec has none", () => {
    const base = {
      ...subject({ container: container({ limitBytes: null }) }),
      series: [
        makeSeries("container_memory_working_set_bytes", [100 * MI, 120 * MI, 130 * MI]),
        { ...makeSeries("kube_pod_container_resource_limits", [1024 * MI, 1024 * MI]), labels: { resource: "memory" } },
      ],
    };
    const s = { ...base, limit: resolveLimit(base) };
    expect(s.limit).toMatchObject({ bytes: 1024 * MI, source: "metrics" });
    expect(usageSeries(s, [])!.limitBytes).toBe(1024 * MI);
  });

  it("is null without a memory series, and ignores node-wide netdata series for a container", async () => {
    expect(usageSeries(subject({}), [])).toBeNull();
    const s = { ...subject({}), series: await fixtureSeries("netdata-system-ram.csv") };
    expect(usageSeries(s, [])).toBeNull();
    expect(usageSeries({ ...s, subject: { ...s.subject, container: null } }, [])!.metric).toBe("netdata_mem_used");
  });
});

describe("sizing from the usage series", () => {
  it("sizes at the worst run's p99 × 1.5, rounded to a quantity, and cites the series", async () => {
    const s = {
      ...subject({ container: container({ name: "app" }) }),
      series: await fixtureSeries("grafana-wide-leak.csv"),
    };
    const u = usageSeries(s, [])!;
    const worst = Math.max(...u.runs.map((r) => r.p99Bytes));
    const max = Math.max(...u.runs.map((r) => r.maxBytes));
    const sized = recommendLimit({ kills: [], containerLimit: 512 * MI, usage: u })!;
    expect(sized.recommendedLimitBytes).toBe(roundLimit(Math.max(worst * 1.5, max * 1.15)));
    expect(sized.basis).toMatch(/^p99 working set [\d.]+ MiB × 1\.5 = /);
    expect(sized.evidence!.map((e) => `${e.file}:${e.line}`)).toContain("grafana-wide-leak.csv:1");
    expect(recommendLimit({ kills: [], containerLimit: 512 * MI, usage: null })).toBeNull();
  });
});

describe("series statistics", () => {
  it("fits a line and takes nearest-rank quantiles", () => {
    const fit = linearFit([0, 1, 2, 3].map((i) => ({ ms: i * 60_000, value: 100 + 60 * i })));
    expect(fit.slopePerSec).toBeCloseTo(1, 9);
    expect(fit.r2).toBeCloseTo(1, 9);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  });
});

describe("seriesFor", () => {
  it("matches series by pod/container labels, including pre-1.16 cAdvisor names, and keeps unlabelled ones", () => {
    const subj = {
      namespace: "shop",
      pod: "api-7d9c-x1",
      podUid: null,
      container: "app",
      containerId: null,
      node: null,
    };
    const mk = (labels: Record<string, string>, name = "container_memory_working_set_bytes"): MetricSeries => ({
      ...makeSeries(name, [1, 2, 3]),
      labels,
    });
    const all = [
      mk({ pod: "api-7d9c-x1", container: "app" }),
      mk({ pod_name: "api-7d9c-x1", container_name: "app" }),
      mk({ pod: "other", container: "app" }),
      mk({ container_name: "sidecar" }),
      mk({}, "worker-7b9 / app"),
    ];
    expect(seriesFor(subj, all).map((s) => all.indexOf(s))).toEqual([0, 1, 4]);
  });
});

describe("usageView", () => {
  it("is built once per subject and kill list: the rules that ask for it share one view", () => {
    const s = {
      ...subject({ container: container({ name: "app" }) }),
      series: [makeSeries("container_memory_working_set_bytes", [100 * MI, 200 * MI, 300 * MI])],
    };
    const kills = [kill("2026-06-09T10:00:30Z")];
    const view = usageView(s, kills);
    expect(view?.series.name).toBe("container_memory_working_set_bytes");
    expect(usageView(s, kills)).toBe(view);
    const other = usageView(s, [kill(null)]);
    expect(other).not.toBe(view);
    expect(other?.killsMs).toEqual([]);
  });
});
