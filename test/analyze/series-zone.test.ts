/**
 * Zone-less metric exports placed on UTC from their restart drops (analyze/series-zone.ts): unit
 * cases of the shift search, and end to end, a sample's Grafana CSV rewritten as if exported at
 * UTC+02:00 and at UTC−05:30 gives the same runs as the UTC export, with a note saying so.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shifted, utcAnchors, zoneShift } from "../../src/analyze/series-zone.js";
import type { MetricSeries } from "../../src/model/facts.js";
import { pointColumns } from "../../src/model/series-points.js";
import type { Kill } from "../../src/model/incident.js";
import { jsonReport, REPO } from "../e2e/cli.js";

const H = 3_600_000;
const T0 = Date.parse("2026-10-14T12:00:00Z");

/** 30 s points from T0 (as printed, no zone) at 400 MB, dropping to 20 MB right after each of `dropsAt` (ms as printed). */
function series(dropsAt: number[]): MetricSeries {
  const points = Array.from({ length: 721 }, (_, i) => {
    const ms = T0 + i * 30_000;
    const fresh = dropsAt.some((d) => ms > d && ms - d <= 30_000);
    return { ms, value: fresh ? 20e6 : 400e6, line: i + 2 };
  });
  return {
    source: { file: "ws.csv", line: 1 },
    metric: null,
    labels: {},
    name: "ws",
    unit: "bytes",
    points: pointColumns(points),
    rawPoints: points.length,
    stepMs: 30_000,
    zoneless: { line: 2, text: "2026-10-14 12:00:00" },
  };
}

const kill = (iso: string, timeSource: string): Kill => ({
  time: iso,
  timeSource,
  pid: 1,
  process: "app",
  anonRssBytes: null,
  limitBytes: null,
  limitHit: null,
  memcg: null,
  memcgLevel: null,
  evidence: [],
});

describe("zoneShift", () => {
  it("finds UTC when the drop follows a kill known in UTC", () => {
    const k = Date.parse("2026-10-14T16:07:43Z");
    expect(zoneShift(series([k]), [k])).toEqual({ shiftMs: 0, matched: [k], tried: 1 });
  });

  it("finds the export's zone from whole-hour and half-hour offsets, and UTC wins a tie", () => {
    const k1 = Date.parse("2026-10-14T14:07:43Z");
    const k2 = Date.parse("2026-10-14T16:40:10Z");
    expect(zoneShift(series([k1 + 2 * H, k2 + 2 * H]), [k1, k2])?.shiftMs).toBe(-2 * H);
    expect(zoneShift(series([k1 - 5.5 * H]), [k1])).toBeNull(); // 08:37 local: before the series starts
    expect(zoneShift(series([k1 + 1.5 * H]), [k1])?.shiftMs).toBe(-1.5 * H);
  });

  it("claims nothing from two shifts that fit equally, from no drop, or from no anchor", () => {
    const k = Date.parse("2026-10-14T15:00:10Z");
    expect(zoneShift(series([k + H, k + 2 * H]), [k])).toBeNull();
    expect(zoneShift(series([]), [k])).toBeNull();
    expect(zoneShift(series([k]), [])).toBeNull();
  });

  it("anchors only on UTC clocks: a dmesg -T time of unknown zone is not one", () => {
    const anchors = utcAnchors(
      [kill("2026-10-14T16:07:43Z", "kernel-local"), kill("2026-10-14T16:07:45Z", "kubelet-finishedAt")],
      [Date.parse("2026-10-14T16:07:50Z")],
    );
    expect(anchors).toEqual([Date.parse("2026-10-14T16:07:45Z"), Date.parse("2026-10-14T16:07:50Z")]);
  });
});

describe("shifted", () => {
  it("moves every time by the shift, keeps values and lines, drops the mark, and leaves the original as read", () => {
    const s = series([T0 + H]);
    const moved = shifted(s, -2 * H);
    expect(moved.zoneless).toBeUndefined();
    expect([...moved.points.ms]).toEqual([...s.points.ms].map((ms) => ms - 2 * H));
    expect(moved.points.value).toEqual(s.points.value);
    expect(moved.points.line).toEqual(s.points.line);
    expect(s.points.ms[0]).toBe(T0);
    expect(shifted(s, 0).points).toBe(s.points);
  });
});

describe("a zone-less Grafana CSV end to end", () => {
  const work = mkdtempSync(join(tmpdir(), "oom-postmortem-zone-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const sample = join(REPO, "samples/burst-shorter-than-scrape");

  /** The sample with every CSV time printed `hours` ahead of UTC, as a browser in that zone exports it. */
  function exportedAt(hours: number): string {
    const dir = join(work, `utc${hours}`);
    cpSync(sample, dir, { recursive: true });
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".csv"))) {
      const text = readFileSync(join(dir, name), "utf8").replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/gm, (t) =>
        new Date(Date.parse(`${t.replace(" ", "T")}Z`) + hours * H).toISOString().slice(0, 19).replace("T", " "),
      );
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  const utc = jsonReport(sample);

  it.each([2, -5.5])(
    "exported at UTC%s: the same runs as the UTC export, a note with the offset, no zone warning",
    (hours) => {
      const r = jsonReport(exportedAt(hours));
      expect(r.incidents[0]!.usage!.runs).toEqual(utc.incidents[0]!.usage!.runs);
      expect(r.incidents[0]!.verdict).toEqual(utc.incidents[0]!.verdict);
      const sign = hours > 0 ? "+" : "−";
      expect(r.incidents[0]!.notes.join("\n")).toContain(
        `working-set.csv prints its times without a zone; its restart drops fall`,
      );
      expect(r.incidents[0]!.notes.join("\n")).toContain(
        `so it was exported at UTC${sign}0${Math.floor(Math.abs(hours))}:${Math.abs(hours) % 1 ? "30" : "00"}`,
      );
      expect(r.warnings.map((w) => w.message).join("\n")).not.toMatch(/carry no zone/);
    },
  );

  it("a zone-less export with no kill or restart to place it keeps its warning, naming the file and line", () => {
    const r = jsonReport(join(REPO, "samples/page-cache-false-alarm"));
    const w = r.warnings.find((x) => /carry no zone/.test(x.message));
    expect(w).toMatchObject({ file: "grafana-memory-usage.csv", line: 2 });
    expect(r.bundle.files.find((f) => f.path === "grafana-memory-usage.csv")!.warnings).toHaveLength(1);
  });
});
