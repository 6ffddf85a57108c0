import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nodeMemoryAt } from "../../src/analyze/node-memory.js";
import { detectIngester } from "../../src/ingest/index.js";
import { pointList } from "../../src/model/series-points.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { sysstat } from "../../src/ingest/sysstat.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/sysstat/${name}`, import.meta.url), "utf8");
const lineOf = (text: string, wanted: string, nth = 1): number =>
  text
    .split("\n")
    .map((l, i) => (l.includes(wanted) ? i + 1 : 0))
    .filter((n) => n > 0)[nth - 1]!;
const read = (path: string, text: string) => {
  expect(detectIngester(text.slice(0, 8192), path)?.kind).toBe("sysstat");
  return sysstat.parse(sourceFromString(path, text));
};
const KIB = 1024;

describe("sysstat: sadf -x XML", () => {
  it("reads memory elements and old-style paging attributes per timestamp, in bytes, labelled with the node, each sample at its <timestamp> line", async () => {
    const text = fixture("sadf-x-old-paging.xml");
    const facts = await read("sa11.xml", text);
    expect(facts.diagnostics.map((d) => d.code)).toEqual(["sysstat/local-time"]);
    const free = facts.series.find((s) => s.metric === "node_memory_MemFree_bytes")!;
    expect(free.labels).toEqual({ node: "worker-3.prod.internal" });
    expect(pointList(free.points)).toEqual([
      { ms: Date.UTC(2026, 1, 11, 9, 10, 1), value: 912340 * KIB, line: lineOf(text, 'time="09:10:01"') },
      { ms: Date.UTC(2026, 1, 11, 9, 20, 1), value: 131072 * KIB, line: lineOf(text, 'time="09:20:01"') },
    ]);
    const used = facts.series.find((s) => s.metric === "node_memory_sysstat_memused_percent")!;
    expect(used.unit).toBe("percent");
    expect([...used.points.value]).toEqual([97.22, 99.6]);
    expect([...facts.series.find((s) => s.metric === "node_sysstat_majflt_per_second")!.points.value]).toEqual([
      0.21, 140.02,
    ]);
  });

  it("warns on a document that does not parse, and reads nothing from it", async () => {
    const facts = await sysstat.parse(
      sourceFromString("x.xml", "<sysstat><host nodename='a'><statistics><timestamp date=\"2026-01-01\""),
    );
    expect(facts.series).toEqual([]);
    expect(facts.diagnostics.map((d) => d.severity)).toContain("error");
  });
});

describe("sysstat: sar text", () => {
  it("reads -r and -S sections of a 12-hour capture across midnight into one row per interval", async () => {
    const text = fixture("sar-r-S-12h.txt");
    const facts = await read("sar.txt", text);
    const avail = facts.series.find((s) => s.metric === "node_memory_MemAvailable_bytes")!;
    expect(avail.labels).toEqual({ node: "db-node-2" });
    expect(pointList(avail.points).map((p) => [new Date(p.ms).toISOString(), p.value / KIB])).toEqual([
      ["2026-03-14T23:50:01.000Z", 3320100],
      ["2026-03-15T00:00:01.000Z", 610044],
      ["2026-03-15T00:10:01.000Z", 120312],
    ]);
    const swap = facts.series.find((s) => s.metric === "node_memory_SwapFree_bytes")!;
    expect(Array.from(swap.points.ms, (ms) => new Date(ms).toISOString())).toEqual([
      "2026-03-14T23:50:01.000Z",
      "2026-03-15T00:00:01.000Z",
    ]);
    expect(facts.series.find((s) => s.metric === "node_memory_sysstat_commit_percent")!.points.line.at(-1)).toBe(
      lineOf(text, "12:10:01 AM"),
    );
  });

  it("skips rows with no date line, saying how many", async () => {
    const facts = await sysstat.parse(sourceFromString("s.txt", "15:00:01 kbmemfree kbavail\n15:10:01 100 200\n"));
    expect(facts.series).toEqual([]);
    expect(facts.diagnostics[0]).toMatchObject({ code: "sysstat/no-date", at: { line: 2 } });
  });
});

describe("node memory at a kill", () => {
  it("reads the last sample before the kill, and the tightest one when the kill cannot be placed", async () => {
    const facts = await sysstat.parse(sourceFromString("sar.txt", fixture("sar-r-S-12h.txt")));
    const at = nodeMemoryAt(facts.series, "db-node-2", Date.UTC(2026, 2, 15, 0, 5, 0))!;
    expect(at.availableBytes).toBe(610044 * KIB);
    expect(at.words).toContain("96.21% used");
    expect(at.evidence[0]).toMatchObject({ file: "sar.txt", line: 5 });
    expect(nodeMemoryAt(facts.series, "db-node-2", null)!.availableBytes).toBe(120312 * KIB);
    expect(nodeMemoryAt(facts.series, "another-node", null)).toBeNull();
  });
});
