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
import { eventListChunks, GOOD_DESCRIBE, oomTriggerLines, uptimeOutOfRangeLog, writeBundle, writeChunks, writeLines, yamlAliasBomb } from "./generate.js";
import { checkBounded, runMeasured, treeHash } from "./run.js";

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
    const dir = writeBundle(join(work, "uptime"), { "describe.txt": GOOD_DESCRIBE, "syslog": uptimeOutOfRangeLog() });
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(expect.objectContaining({ file: "syslog", line: 1, message: expect.stringMatching(/uptime 9000000000000 s is out of range/) }));
  });

  it("20k `invoked oom-killer` lines without victims: no stack overflow", async () => {
    const dir = writeBundle(join(work, "triggers"), { "describe.txt": GOOD_DESCRIBE });
    await writeLines(join(dir, "dmesg.txt"), oomTriggerLines(20_000));
    const report = await analyse(dir);
    expect(report.bundle.files.find((f) => f.path === "dmesg.txt")?.kind).toBe("kernel-log");
  });

  it("an EventList of 20k events: read, no stack overflow", async () => {
    const dir = writeBundle(join(work, "events"), { "describe.txt": GOOD_DESCRIBE });
    await writeChunks(join(dir, "events.json"), eventListChunks(20_000));
    const report = await analyse(dir);
    expect(report.bundle.files.find((f) => f.path === "events.json")?.kind).toBe("pod-json");
  });

  it("a YAML alias bomb (one anchor of 20k items aliased 100 times): stopped with a warning", async () => {
    const dir = writeBundle(join(work, "aliases"), { "describe.txt": GOOD_DESCRIBE, "pod.yaml": yamlAliasBomb(20_000, 100) });
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(expect.objectContaining({ file: "pod.yaml", message: expect.stringMatching(/alias/i) }));
  });
});
