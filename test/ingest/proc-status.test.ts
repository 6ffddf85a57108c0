import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { procStatus } from "../../src/ingest/proc-status.js";
import { sourceFromString } from "../../src/ingest/source.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/proc-status/${name}`, import.meta.url), "utf8");
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
const KIB = 1024;

describe("proc-status", () => {
  it("merges a status and the smaps_rollup of the same pid, and starts another fact for the next pid", async () => {
    const text = fixture("head-status-and-rollup.txt");
    expect(detectIngester(text, "proc.txt")?.kind).toBe("proc-status");
    const facts = await procStatus.parse(sourceFromString("proc.txt", text));
    expect(facts.diagnostics).toEqual([]);
    expect(facts.processes).toHaveLength(2);
    const [main, worker] = facts.processes;
    expect(main).toMatchObject({
      pid: 7,
      name: "gunicorn",
      vmRssBytes: 1402212 * KIB,
      vmHwmBytes: 1466004 * KIB,
      rssAnonBytes: 1311004 * KIB,
      rssShmemBytes: 67092 * KIB,
      threads: 9,
    });
    expect(main!.smaps).toMatchObject({
      Rss: 1402212 * KIB,
      Pss: 1389441 * KIB,
      Anonymous: 1311004 * KIB,
      AnonHugePages: 405504 * KIB,
    });
    expect(main!.lines["VmRSS"]).toBe(lineOf(text, "VmRSS:\t 1402212"));
    expect(worker).toMatchObject({ pid: 31, vmRssBytes: 498112 * KIB, threads: 3 });
  });

  it("reads a status pasted after a kubectl exec prompt, pid from the Pid line", async () => {
    const text =
      "$ kubectl exec api-0 -- cat /proc/1/status\nName:\tjava\nPid:\t1\nVmHWM:\t  812000 kB\nVmRSS:\t  800000 kB\n";
    expect(procStatus.sniff(text, "x")).toBe(true);
    const facts = await procStatus.parse(sourceFromString("s.txt", text));
    expect(facts.processes[0]).toMatchObject({
      pid: 1,
      name: "java",
      vmRssBytes: 800000 * KIB,
      source: { file: "s.txt", line: 2 },
    });
  });

  it("is not taken for a kubectl describe or a memory.stat", () => {
    expect(procStatus.sniff("Name:         api-0\nNamespace:    shop\nStatus:       Running\n", "x")).toBe(false);
    expect(procStatus.sniff("anon 1234\nfile 5678\n", "x")).toBe(false);
  });
});
