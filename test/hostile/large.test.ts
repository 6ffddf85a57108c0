/**
 * Issue 10, large inputs at in-suite sizes (the full sizes run in `npm run test:hostile`):
 * a `kubectl get pods -A -o json` list read as a stream, stdin. Bounds: exit 0, time and peak
 * RSS within `LIMITS`, bundle unchanged, the OOM-killed pods of the list found.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { dmesgWithOneKill, podListChunks, writeChunks, writeLines } from "./generate.js";
import { checkBounded, runMeasured, treeHash } from "./run.js";

const work = mkdtempSync(join(tmpdir(), "oom-postmortem-large-"));
mkdirSync(join(work, "tmp"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("hostile: large inputs", () => {
  it("a 24 MB PodList (4,000 pods) is read in a stream: every OOM-killed pod found", async () => {
    const file = join(work, "pods.json");
    await writeChunks(file, podListChunks(24 * 1024 * 1024));
    const before = treeHash(file);
    const r = await runMeasured([file, "--format", "json", "--quiet"]);
    expect(checkBounded(r, { rssMiB: 200 })).toEqual([]);
    expect(r.status).toBe(0);
    expect(treeHash(file)).toBe(before);
    const report = JSON.parse(r.stdout) as Report;
    // pod(i) is OOM-killed for i % 97 === 0: 4,000 pods hold 42 of them.
    const pods = new Set(report.incidents.map((i) => i.subject.pod));
    expect(pods.size).toBeGreaterThanOrEqual(40);
    expect(report.warnings).toEqual([]);
  });

  it("40 MB of kernel log on stdin is spooled, not held: the kill at its end found, no temp file left", async () => {
    const file = join(work, "dmesg.txt");
    await writeLines(file, dmesgWithOneKill(600_000));
    const r = await runMeasured(["-", "--format", "json", "--quiet"], {
      stdinFile: file,
      env: { TMPDIR: join(work, "tmp") },
    });
    expect(checkBounded(r, { rssMiB: 200 })).toEqual([]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.incidents.flatMap((i) => i.kills.map((k) => k.pid))).toContain(4127);
    expect(readdirSync(join(work, "tmp"))).toEqual([]);
  });
});
