/**
 * metrics-csv: every export shape on realistic fixtures, then hostile input (unsorted, CRLF,
 * missing columns, truncated rows, garbage) and the memory bound on a large generated export.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { metricsCsv } from "../../src/ingest/metrics-csv.js";
import { MAX_POINTS } from "../../src/ingest/metrics-csv/collector.js";
import { parseTime, parseValue } from "../../src/ingest/metrics-csv/values.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { pointAt, pointList } from "../../src/model/series-points.js";
import type { ArtifactSource, Line } from "../../src/ingest/types.js";
import type { MetricSeries } from "../../src/model/facts.js";

const MI = 1024 ** 2;
const GI = 1024 ** 3;
const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/metrics-csv/${name}`, import.meta.url), "utf8");
const parse = (path: string, text: string) => metricsCsv.parse(sourceFromString(path, text));
const sorted = (ms: number[]): boolean => ms.every((m, i) => i === 0 || m >= ms[i - 1]!);

describe("metrics-csv shapes", () => {
  it("reads a Grafana wide export with labelled headers and local times", async () => {
    const text = fixture("grafana-wide-leak.csv");
    const f = await parse("grafana-wide-leak.csv", text);
    expect(f.series).toHaveLength(2);
    const [ws, restarts] = f.series as [(typeof f.series)[0], (typeof f.series)[0]];
    expect(ws.metric).toBe("container_memory_working_set_bytes");
    expect(ws.labels).toEqual({ container: "app", namespace: "shop", pod: "worker-7b9" });
    expect(ws.unit).toBe("bytes");
    expect(ws.rawPoints).toBe(text.trim().split("\n").length - 1);
    expect(ws.stepMs).toBe(15_000);
    expect(pointAt(ws.points, 0)).toMatchObject({ ms: Date.parse("2026-06-09T10:00:00Z"), line: 2 });
    expect(ws.source).toMatchObject({ file: "grafana-wide-leak.csv", line: 1 });
    expect(restarts.metric).toBe("kube_pod_container_status_restarts_total");
    expect(restarts.unit).toBe("count");
    expect(Math.max(...restarts.points.value)).toBe(2);
    // Times without a zone: marked on every series of the file (analyze places them or warns; test/analyze/series-zone.test.ts).
    expect(f.series.map((x) => x.zoneless)).toEqual([
      { line: 2, text: text.split("\n")[1]!.split(",")[0] },
      { line: 2, text: text.split("\n")[1]!.split(",")[0] },
    ]);
    expect(f.diagnostics).toEqual([]);
  });

  it("reads a Grafana long export (series joined, `;`, sep= line) with unit strings", async () => {
    const f = await parse("grafana-long-units.csv", fixture("grafana-long-units.csv"));
    expect(f.series.map((s) => s.name)).toEqual(["worker-plateau-6c4 / app", "worker-plateau-6c4 / sidecar"]);
    const app = f.series[0]!;
    expect(app.unit).toBe("bytes");
    expect(app.rawPoints).toBe(40);
    expect(app.stepMs).toBe(30_000);
    expect(app.points.value[0]).toBeCloseTo(1.85 * GI, -3);
    expect(pointList(app.points).every((p) => p.value > 1.7 * GI && p.value < 2 * GI)).toBe(true);
    expect(f.series[1]!.points.value[0]).toBe(40 * MI);
    expect(f.diagnostics).toEqual([]);
  });

  it("reads a Prometheus export with label columns and rows out of time order", async () => {
    const f = await parse("prometheus-range.csv", fixture("prometheus-range.csv"));
    const ws = f.series.find((s) => s.metric === "container_memory_working_set_bytes")!;
    const rss = f.series.find((s) => s.metric === "container_memory_rss")!;
    expect(ws.labels).toEqual({ namespace: "shop", pod: "api-7d9c-x1", container: "app" });
    expect(ws.points.ms).toHaveLength(30);
    expect(sorted([...ws.points.ms])).toBe(true);
    expect(ws.points.value[0]).toBe(300 * MI);
    expect(ws.points.value[29]).toBe(329 * MI);
    expect(ws.stepMs).toBe(60_000);
    expect(rss.unit).toBe("bytes");
    expect(f.diagnostics).toEqual([]);
  });

  it("reads a single-series `Time,Value` export, naming it by its value column and the file's memory hint", async () => {
    const f = await parse("working-set.csv", "Time,Value\n2026-06-09T10:00:30Z,2\n2026-06-09T10:00:00Z,1\n");
    expect(f.series.map((s) => [s.name, s.unit, [...s.points.value]])).toEqual([["Value", "bytes", [1, 2]]]);
  });

  it("reads a netdata export (newest first, MiB) as bytes in time order", async () => {
    const f = await parse("netdata-system-ram.csv", fixture("netdata-system-ram.csv"));
    expect(f.series.map((s) => s.name)).toEqual(["free", "used", "cached", "buffers"]);
    const used = f.series[1]!;
    expect(used.unit).toBe("bytes");
    expect(sorted([...used.points.ms])).toBe(true);
    expect(used.points.value[0]).toBe(2049.5 * MI);
    expect(used.points.line.at(-1)).toBe(2);
    expect(used.stepMs).toBe(1000);
  });

  it("parses unit strings, skips empty cells and warns with line numbers for bad rows, short rows and a cut last row", async () => {
    const f = await parse("messy-units.csv", fixture("messy-units.csv"));
    const [app, proxy] = f.series as [(typeof f.series)[0], (typeof f.series)[0]];
    expect(app.unit).toBe("bytes");
    expect([...app.points.value]).toEqual([1.9 * GI, 512 * MI, 500e6, 1.2e9, 1.1e9]);
    expect([...proxy.points.line]).toEqual([2, 4, 6, 7]);
    const codes = f.diagnostics.map((d) => `${d.code}@${d.at.line}`);
    expect(codes).toEqual([
      "metrics-csv/bad-time@8",
      "metrics-csv/short-row@9",
      "metrics-csv/short-row@10",
      "metrics-csv/bad-value@7",
    ]);
    expect(f.diagnostics[2]!.message).toMatch(/cut off/);
  });

  it("reads CRLF files the same as LF files", async () => {
    const lf = await parse("a.csv", fixture("grafana-wide-leak.csv"));
    const crlf = await parse("a.csv", fixture("grafana-wide-leak.csv").replace(/\n/g, "\r\n"));
    expect(crlf.series).toEqual(lf.series);
  });

  it("truncated at several points keeps what was read and never throws", async () => {
    const text = fixture("prometheus-range.csv");
    for (const cut of [0, 10, 47, 60, 500, 2000, text.length - 3]) {
      const f = await parse("p.csv", text.slice(0, cut));
      const points = f.series.reduce((n, s) => n + s.rawPoints, 0);
      expect(points).toBeLessThanOrEqual(60);
      if (points === 0) expect(f.diagnostics.some((d) => d.code === "metrics-csv/no-data")).toBe(true);
    }
  });

  it("returns a no-data error for empty input and binary garbage", async () => {
    for (const text of ["", "\u0000\u0001\u0002garbage\u00ff\n\u0007", "just some text\nwithout a header\n"]) {
      const f = await parse("x.csv", text);
      expect(f.series).toEqual([]);
      expect(f.diagnostics.at(-1)!.code).toBe("metrics-csv/no-data");
    }
  });

  it("survives a huge line", async () => {
    const f = await parse("x.csv", `Time,mem_bytes\n1781002800,1\n${"9".repeat(200_000)},2\n1781002815,3\n`);
    expect([...f.series[0]!.points.value]).toEqual([1, 3]);
    expect(f.diagnostics[0]!.message.length).toBeLessThan(400);
  });

  it("says once per column that its values are unreadable, with how many rows and where", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${1781002800 + 15 * i},${100 + i},${i} widgets`);
    const f = await parse("x.csv", `Time,mem_bytes,queue\n${rows.join("\n")}\n`);
    expect(f.diagnostics.filter((d) => d.code === "metrics-csv/bad-value")).toEqual([
      {
        severity: "warning",
        code: "metrics-csv/bad-value",
        message:
          "`queue` value unreadable (40 rows, lines 2–41) — expected a number, optionally with a unit (512 MiB, 1.5 K req/s) — received `0 widgets`",
        at: { file: "x.csv", line: 2 },
      },
    ]);
    expect(f.series.find((x) => x.name === "mem_bytes")?.rawPoints).toBe(40);
  });

  it("caps line warnings with a summary", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `bad${i},1`);
    const f = await parse("x.csv", `Time,mem_bytes\n${rows.join("\n")}\n1781002800,5\n`);
    expect(f.diagnostics.filter((d) => d.code === "metrics-csv/bad-time")).toHaveLength(50);
    expect(f.diagnostics.some((d) => d.code === "metrics-csv/too-many-warnings" && /70 more/.test(d.message))).toBe(
      true,
    );
    expect(f.series[0]!.rawPoints).toBe(1);
  });
});

describe("metrics-csv bounded memory", () => {
  it("hands each series its points as three Float64Array columns of the kept length, by time then line: no object per point", async () => {
    const f = await parse(
      "long.csv",
      [
        "Series,Time,Value",
        "a,1781002860,2",
        "b,1781002800,9",
        "a,1781002800,1",
        "a,1781002860,3",
        "b,1781002860,8",
      ].join("\n"),
    );
    const [a, b] = ["a", "b"].map((name) => f.series.find((s) => s.name === name)!) as [MetricSeries, MetricSeries];
    for (const [s, n] of [[a, 3] as const, [b, 2] as const])
      for (const column of [s.points.ms, s.points.value, s.points.line]) {
        expect(column).toBeInstanceOf(Float64Array);
        expect(column).toHaveLength(n);
      }
    // Read out of order: sorted, equal times by line.
    expect(pointList(a.points)).toEqual([
      { ms: 1781002800000, value: 1, line: 4 },
      { ms: 1781002860000, value: 2, line: 2 },
      { ms: 1781002860000, value: 3, line: 5 },
    ]);
    // Read in order: the same columns, kept as read.
    expect(pointList(b.points)).toEqual([
      { ms: 1781002800000, value: 9, line: 3 },
      { ms: 1781002860000, value: 8, line: 6 },
    ]);
  });

  it("keeps points bounded on a generated 500k-row export and keeps the spikes", async () => {
    const ROWS = 500_000;
    const t0 = Date.parse("2026-06-01T00:00:00Z");
    const spikeRow = 312_345;
    async function* lines(): AsyncGenerator<Line> {
      yield { text: 'Time,container_memory_working_set_bytes{pod="big"}', line: 1 };
      for (let i = 0; i < ROWS; i++) {
        const v = i === spikeRow ? 4 * GI : 200 * MI + (i % 100) * 1000;
        yield { text: `${t0 + i * 5000},${v}`, line: i + 2 };
      }
    }
    const source: ArtifactSource = {
      path: "big.csv",
      head: "",
      lines,
      text: () => Promise.reject(new Error("text() must not be used")),
    };
    const before = process.memoryUsage().heapUsed;
    const f = await metricsCsv.parse(source);
    const s = f.series[0]!;
    expect(s.rawPoints).toBe(ROWS);
    expect(s.points.ms.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(s.points.ms.length).toBeGreaterThan(MAX_POINTS / 2);
    expect(s.stepMs).toBe(5000);
    expect(Math.max(...s.points.value)).toBe(4 * GI);
    expect(pointList(s.points).find((p) => p.value === 4 * GI)!.line).toBe(spikeRow + 2);
    expect(s.points.ms[0]).toBe(t0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * MI);
  }, 60_000);
});

describe("metrics-csv cells and sniffing", () => {
  it("reads epoch seconds, ms, ISO with offsets and zone-less times", () => {
    expect(parseTime("1781002800")).toEqual({ ms: 1781002800000, local: false });
    expect(parseTime("1781002800123")).toEqual({ ms: 1781002800123, local: false });
    expect(parseTime("2026-06-09T12:00:00+02:00")).toEqual({ ms: Date.parse("2026-06-09T10:00:00Z"), local: false });
    expect(parseTime("2026-06-09 10:00:00")).toEqual({ ms: Date.parse("2026-06-09T10:00:00Z"), local: true });
    expect(parseTime("yesterday")).toBeNull();
  });

  it("reads values with units", () => {
    expect(parseValue("1.9 GiB")).toEqual({ ok: true, value: 1.9 * GI, byteUnit: true });
    expect(parseValue("2Gi")).toEqual({ ok: true, value: 2 * GI, byteUnit: true });
    expect(parseValue("1,234,567")).toEqual({ ok: true, value: 1234567, byteUnit: false });
    expect(parseValue("null")).toEqual({ ok: false, empty: true });
    expect(parseValue("12 apples")).toEqual({ ok: false, empty: false });
  });

  it("reads Grafana's count and rate units as counts (reqps, ops, iops, scaled by K/Mil)", () => {
    expect(parseValue("43.6 req/s")).toEqual({ ok: true, value: 43.6, byteUnit: false });
    expect(parseValue("1.50 K req/s")).toEqual({ ok: true, value: 1500, byteUnit: false });
    expect(parseValue("2 Mil ops/s")).toEqual({ ok: true, value: 2e6, byteUnit: false });
    expect(parseValue("12 io/s")).toEqual({ ok: true, value: 12, byteUnit: false });
    expect(parseValue("1.5 K apples")).toEqual({ ok: false, empty: false });
  });

  it("sniffs CSV exports and leaves other kinds alone", () => {
    for (const name of [
      "grafana-wide-leak.csv",
      "grafana-long-units.csv",
      "prometheus-range.csv",
      "netdata-system-ram.csv",
    ]) {
      expect(detectIngester(fixture(name).slice(0, 8192), `bundle/${name.replace(".csv", ".txt")}`)?.kind).toBe(
        "metrics-csv",
      );
    }
    expect(metricsCsv.sniff('{"kind":"Pod"}', "pod.json")).toBe(false);
    expect(metricsCsv.sniff("anon 1\nfile 2\n", "memory.stat")).toBe(false);
    expect(metricsCsv.sniff("[12345.678901] app invoked oom-killer: gfp_mask=0xcc0", "dmesg.txt")).toBe(false);
    expect(metricsCsv.sniff("Name:  api\nNamespace: shop\n", "describe.txt")).toBe(false);
    expect(metricsCsv.sniff("Time,value\nnot a time,1\n", "x.csv")).toBe(false);
  });
});
