/**
 * Issue 10, "crashes" and "one file stops the whole run": each hostile file sits next to a
 * valid describe, and the run must exit 0 with a report that still analyses the describe,
 * name the hostile file in a warning, stay within the time and memory bounds, and leave the
 * bundle untouched.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import {
  describeWithEvents,
  eventListChunks,
  GOOD_DESCRIBE,
  oomTriggerLines,
  uptimeOutOfRangeLog,
  writeBundle,
  writeChunks,
  writeLines,
  yamlAliasBomb,
} from "./generate.js";
import { checkBounded, runMeasured, treeHash } from "./run.js";
import { MAX_VICTIMLESS_REPORTS } from "../../src/ingest/kernel-log.js";

const work = mkdtempSync(join(tmpdir(), "oom-postmortem-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI on `dir` as JSON and checks the common bounds; returns the report. */
async function analyse(dir: string, extra: string[] = []): Promise<Report> {
  const before = treeHash(dir);
  const r = await runMeasured([dir, "--format", "json", "--quiet", ...extra]);
  expect(checkBounded(r)).toEqual([]);
  expect(r.status).toBe(0);
  expect(treeHash(dir)).toBe(before);
  const report = JSON.parse(r.stdout) as Report;
  const describe = report.bundle.files.find((f) => f.path === "describe.txt");
  expect(describe?.kind).toBe("kubectl-describe");
  return report;
}

describe("hostile: one file never stops the run", () => {
  it("a kernel log whose uptime [9000000000000.0] no date can hold: a warning naming the line", async () => {
    const dir = writeBundle(join(work, "uptime"), { "describe.txt": GOOD_DESCRIBE, syslog: uptimeOutOfRangeLog() });
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        file: "syslog",
        line: 1,
        message: expect.stringMatching(/uptime 9000000000000 s is out of range/),
      }),
    );
  });

  it("150k `invoked oom-killer` lines without victims: no stack overflow, the first 1,000 reports kept, the rest counted", async () => {
    const dir = writeBundle(join(work, "triggers"), { "describe.txt": GOOD_DESCRIBE });
    await writeLines(join(dir, "dmesg.txt"), oomTriggerLines(150_000));
    const report = await analyse(dir);
    expect(report.bundle.files.find((f) => f.path === "dmesg.txt")?.kind).toBe("kernel-log");
    const kills = report.incidents
      .flatMap((i) => i.kills)
      .filter((k) => k.evidence.some((e) => e.file === "dmesg.txt"));
    expect(kills.length).toBe(MAX_VICTIMLESS_REPORTS);
    expect(report.warnings).toContainEqual({
      file: "dmesg.txt",
      line: MAX_VICTIMLESS_REPORTS + 1,
      message: expect.stringMatching(/^149000 more OOM reports without a victim were skipped, from line 1001 on/),
    });
  });

  it("an EventList of 20k events: read, no stack overflow", async () => {
    const dir = writeBundle(join(work, "events"), { "describe.txt": GOOD_DESCRIBE });
    await writeChunks(join(dir, "events.json"), eventListChunks(20_000));
    const report = await analyse(dir);
    expect(report.bundle.files.find((f) => f.path === "events.json")?.kind).toBe("pod-json");
  });

  it("a describe with 120k event rows: events past the budget counted in a warning, repeats one timeline entry", async () => {
    const dir = writeBundle(join(work, "describe-events"), { "describe.txt": GOOD_DESCRIBE });
    await writeLines(join(dir, "big-describe.txt"), describeWithEvents(120_000, 60_000));
    const report = await analyse(dir);
    // 50,000 of the 60,000 Normal rows, then Warnings up to 100,000 kept; 10,000 Normal + 10,000 Warning rows counted.
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        file: "big-describe.txt",
        message: expect.stringMatching(
          /^10000 Normal events past the first 50000 and 10000 events past the first 100000 not kept/,
        ),
      }),
    );
    const timeline = report.incidents.flatMap((i) => i.timeline ?? []);
    expect(timeline.filter((t) => t.what.startsWith("Warning BackOff"))).toHaveLength(1);
    expect(timeline.find((t) => t.what.startsWith("Warning BackOff"))?.what).toMatch(/^Warning BackOff \(x50000\)/);
    expect(timeline.filter((t) => /more distinct events not listed/.test(t.what))).toHaveLength(1);
  });

  it("a YAML alias bomb (one anchor of 20k items aliased 100 times): stopped with a warning", async () => {
    const dir = writeBundle(join(work, "aliases"), {
      "describe.txt": GOOD_DESCRIBE,
      "pod.yaml": yamlAliasBomb(20_000, 100),
    });
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ file: "pod.yaml", message: expect.stringMatching(/alias/i) }),
    );
  });
});
