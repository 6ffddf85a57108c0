/**
 * Reports on kernel-log captures from public threads (sources in test/ingest/kernel-log-captures.test.ts):
 * what the report claims from each, and that it claims no more than the capture shows.
 */
import { describe, it, expect } from "vitest";
import { fileURLToPath } from "node:url";
import { reportInProcess } from "./in-process.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/kernel-log/${name}`, import.meta.url));

describe("reports on public kernel-log captures", () => {
  it("v1 memory and memory+swap both at 512Mi: the counter that refused charges (failcnt 38) is the limit hit", async () => {
    const report = await reportInProcess(fixture("realworld-v1-hard-wrapped-memsw.txt"));
    expect(report.incidents).toHaveLength(1);
    const [inc] = report.incidents;
    expect(inc!.subject).toMatchObject({ podUid: "951f6bc5-c5a5-11ea-8707-80e455f266a2", containerId: "024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9" });
    expect(inc!.kills).toEqual([expect.objectContaining({ pid: 62685, process: "bash", limitBytes: 512 * 1024 * 1024, limitHit: "memory+swap", memcgLevel: "container" })]);
  });

  it("v1 memory and memory+swap both at 1 GiB, memory's failcnt 189: memory is the limit hit", async () => {
    const report = await reportInProcess(fixture("realworld-alibaba-systemd-docker-scope-v1.txt"));
    expect(report.incidents[0]!.kills).toEqual([expect.objectContaining({ limitBytes: 1024 * 1024 * 1024, limitHit: "memory", memcgLevel: "container" })]);
    expect(report.incidents[0]!.subject.podUid).toBe("0330b2c1-a15b-4cdd-b5e5-72d4a90bee82");
  });
});
