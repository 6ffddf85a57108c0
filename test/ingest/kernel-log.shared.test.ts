/** kernelLog on the real captures of ../shared/realworld (npm run test:shared). */
import { describe, it, expect } from "vitest";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet, OomEvent } from "../../src/model/facts.js";
import { parseMemcgPath } from "../../src/correlate/memcg-path.js";
import { realworldFile, realworldText } from "../realworld.js";

const KIB = 1024;
const realworld = (prefix: string): string => realworldText(realworldFile(prefix));
const parse = (path: string, text: string): Promise<FactSet> => kernelLog.parse(sourceFromString(path, text));
const parseRealworld = (prefix: string): Promise<FactSet> => parse(realworldFile(prefix), realworld(prefix));
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);

function only(facts: FactSet): OomEvent {
  expect(facts.ooms).toHaveLength(1);
  return facts.ooms[0]!;
}

function counter(ev: OomEvent, name: string) {
  const c = ev.counters.find((x) => x.name === name);
  if (!c) throw new Error(`no ${name} counter`);
  return c;
}

const KERNEL_CAPTURES = ["02-", "03-", "09-", "11-", "13-", "23-", "53-"];
const OTHER_CAPTURES = ["12-", "16-", "18-", "20-", "26-", "30-", "34-", "36-", "50-", "51-", "52-"];

describe("kernelLog.sniff on real captures", () => {
  it.each(KERNEL_CAPTURES)("claims real kernel capture %s", (p) => {
    expect(kernelLog.sniff(realworld(p).slice(0, 8192), realworldFile(p))).toBe(true);
  });

  it.each(OTHER_CAPTURES)("does not claim non-kernel capture %s", (p) => {
    expect(kernelLog.sniff(realworld(p).slice(0, 8192), realworldFile(p))).toBe(false);
  });
});

describe("kernelLog.parse on real captures", () => {
  it("02: global OOM on 3.13, bare messages, legacy selection, tasks table", async () => {
    const facts = await parseRealworld("02-");
    const ev = only(facts);
    expect(ev.global).toBe(true);
    expect(ev.constraint).toBe("none");
    expect(ev.kernelVersion).toBe("3.13.0-27-generic");
    expect(ev.trigger).toMatchObject({ process: "badsysprogram", gfpMask: "0x280da", order: 0, oomScoreAdj: 0 });
    expect(ev.selected).toMatchObject({ pid: 1532, process: "badsysprogram", score: 919 });
    expect(ev.victims).toHaveLength(1);
    expect(ev.victims[0]).toMatchObject({
      pid: 1532,
      process: "badsysprogram",
      scope: "global",
      anonRssBytes: 1595164 * KIB,
      fileRssBytes: 76 * KIB,
      totalVmBytes: 1641388 * KIB,
      shmemRssBytes: null,
    });
    expect(ev.victims[0]!.source.line).toBe(81);
    expect(ev.victims[0]!.text).toContain("Killed process 1532 (badsysprogram)");
    expect(ev.tasks).toHaveLength(28);
    const biggest = [...ev.tasks].sort((a, b) => (b.rssBytes ?? 0) - (a.rssBytes ?? 0))[0]!;
    expect(biggest).toMatchObject({
      pid: 1532,
      name: "badsysprogram",
      uid: 1020,
      rssBytes: 398810 * 4096,
      totalVmBytes: 410347 * 4096,
      oomScoreAdj: 0,
    });
    expect(ev.tasks.find((t) => t.pid === 293)).toMatchObject({ name: "systemd-udevd", oomScoreAdj: -1000 });
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: null, clock: "none" });
    expect(facts.diagnostics).toEqual([]);
  });

  it("03: two docker OOMs with memory+swap at its limit, noise in between, reaper", async () => {
    const facts = await parseRealworld("03-");
    expect(facts.ooms).toHaveLength(2);
    const [first, second] = facts.ooms as [OomEvent, OomEvent];
    expect(first.victims.map((v) => v.pid)).toEqual([1381]);
    expect(counter(first, "memory").limitBytes).toBe(20480 * KIB);
    expect(second.victims).toHaveLength(1);
    expect(second.victims[0]).toMatchObject({
      pid: 1667,
      process: "gunpowder-memho",
      scope: "memcg",
      anonRssBytes: 248180 * KIB,
      shmemRssBytes: 0,
    });
    expect(counter(second, "memory")).toMatchObject({
      limitBytes: 314572800,
      usageBytes: 307112 * KIB,
      failcnt: 35982,
    });
    const memsw = counter(second, "memory+swap");
    expect(memsw.usageBytes).toBe(memsw.limitBytes);
    expect(memsw.limitBytes).toBe(614400 * KIB);
    expect(counter(second, "kmem").limitBytes).toBeGreaterThan(2 ** 60);
    expect(second.oomMemcg).toBe("/docker/532c003a242a1cc95ca10486c8f82460b6a0eb81c1d309e334991fcb0e449137");
    expect(second.taskMemcg).toBe(second.oomMemcg);
    expect(second.constraint).toBe("memcg");
    expect(second.global).toBe(false);
    expect(second.reaped).toEqual([
      expect.objectContaining({
        pid: 1667,
        process: "gunpowder-memho",
        source: { file: realworldFile("03-"), line: 90 },
      }),
    ]);
    expect(second.memcgStats?.bytes).toMatchObject({ rss: 305804 * KIB, swap: 307288 * KIB, cache: 0 });
    expect(second.tasks).toEqual([expect.objectContaining({ pid: 1667, rssBytes: 62557 * 4096 })]);
    expect(second.source).toEqual({ file: realworldFile("03-"), line: 61, endLine: 90 });
    expect(facts.diagnostics).toEqual([]);
  });

  it("09: 4.18 systemd docker, memsw limit hit, single-line v1 stats with shmem", async () => {
    const facts = await parseRealworld("09-");
    const ev = only(facts);
    expect(ev.victims).toHaveLength(1);
    expect(ev.victims[0]).toMatchObject({
      pid: 321688,
      process: "java",
      scope: "memcg",
      anonRssBytes: 2740520 * KIB,
      uid: null,
    });
    expect(counter(ev, "memory").limitBytes).toBe(34359738368);
    const memsw = counter(ev, "memory+swap");
    expect(memsw.usageBytes).toBe(memsw.limitBytes);
    expect(ev.memcgStats?.bytes["shmem"]).toBe(27731164 * KIB);
    expect(ev.memcgStats?.bytes["cache"]).toBe(27747820 * KIB);
    expect(ev.taskMemcg).toContain("kubepods-burstable-pod1125cba4_f538_4f48_8774_b857f59efc0f.slice");
    expect(parseMemcgPath(ev.taskMemcg!)).toMatchObject({
      podUid: "1125cba4-f538-4f48-8774-b857f59efc0f",
      runtime: "docker",
      level: "container",
      qosClass: "Burstable",
    });
    expect(ev.trigger).toMatchObject({ process: "java", oomScoreAdj: 916, gfpMask: "0x6200ca" });
    expect(ev.kernelVersion).toBe("4.18.0-147.mt20200626.413.el8_1.x86_64");
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: 20148402.291616, clock: "uptime" });
    expect(ev.reaped).toEqual([]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("11: dmesg -Tx, cgroup v2 stats on indented continuation lines, oom-kill summary", async () => {
    const text = realworld("11-");
    const facts = await parseRealworld("11-");
    const ev = only(facts);
    expect(ev.victims[0]).toMatchObject({
      pid: 1586608,
      process: "xray",
      anonRssBytes: 26372 * KIB,
      uid: 0,
      pgtablesBytes: 176 * KIB,
      oomScoreAdj: -997,
    });
    expect(counter(ev, "memory").limitBytes).toBe(209715200);
    expect(counter(ev, "swap").limitBytes).toBe(0);
    expect(ev.memcgStats?.bytes["sock"]).toBe(183623680);
    expect(ev.memcgStats?.bytes["anon"]).toBe(28139520);
    expect(ev.memcgStats?.bytes["thp_collapse_alloc"]).toBe(4);
    expect(Object.keys(ev.memcgStats!.bytes)).toHaveLength(51);
    expect(ev.memcgStats?.source).toEqual({ file: realworldFile("11-"), line: 43, endLine: 94 });
    const summary = text.split("\n").find((l) => l.includes("oom-kill:constraint="))!;
    const oomMemcg = summary.slice(
      summary.indexOf("oom_memcg=") + "oom_memcg=".length,
      summary.indexOf(",task_memcg="),
    );
    expect(ev.oomMemcg).toBe(oomMemcg);
    expect(ev.constraint).toBe("memcg");
    expect(ev.global).toBe(false);
    expect(parseMemcgPath(ev.oomMemcg!)).toMatchObject({
      podUid: "8aa7129e-3609-4b57-86b2-f59358fbf3b9",
      qosClass: "Guaranteed",
      runtime: "containerd",
      level: "container",
    });
    expect(ev.time).toEqual({ wallMs: Date.UTC(2023, 7, 17, 17, 29, 27), uptimeSec: null, clock: "local" });
    expect(ev.tasks).toEqual([
      expect.objectContaining({ pid: 1586608, name: "xray", rssBytes: 6593 * 4096, oomScoreAdj: -997 }),
    ]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("13: syslog with [uptime], global OOM, survives the hard break and spliced UFW lines", async () => {
    const facts = await parseRealworld("13-");
    const ev = only(facts);
    expect(ev.global).toBe(true);
    expect(ev.constraint).toBe("none");
    expect(ev.victims).toHaveLength(1);
    expect(ev.victims[0]).toMatchObject({
      pid: 517,
      process: "clamd",
      scope: "global",
      anonRssBytes: 1689296 * KIB,
      uid: 111,
    });
    expect(ev.trigger?.process).toBe("f2b/f.postfix");
    expect(ev.taskMemcg).toBe("/system.slice/clamav-daemon.service");
    expect(ev.oomMemcg).toBeNull();
    expect(ev.reaped.map((r) => r.pid)).toEqual([517]);
    expect(ev.host).toBe("node-4jdugq");
    expect(ev.kernelVersion).toBe("5.10.0-10-amd64");
    expect(ev.tasks).toHaveLength(35);
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: 75669.581768, clock: "local", wallText: "Dec 20 03:17:52" });
    expect(ev.source).toEqual({ file: realworldFile("13-"), line: 2, endLine: 96 });
    expect(facts.clockAnchors).toEqual([]); // syslog times have no year
    expect(facts.diagnostics).toEqual([]);
  });

  it("23: dmesg -T fragment starting at the stats line, selected ≠ killed, then a second report cut short", async () => {
    const facts = await parseRealworld("23-");
    expect(facts.ooms).toHaveLength(2);
    const [frag, cut] = facts.ooms as [OomEvent, OomEvent];
    expect(frag.trigger).toBeNull();
    expect(frag.memcgStats?.path).toBe(
      "/kubepods/pod13e681d2-41d1-46c9-8568-f3c213e63593/171f8986ba4db5307ff78b57d32b1a598221409701f52b81284e1cebeea3e8df",
    );
    expect(frag.memcgStats?.bytes["swap"]).toBe(524356 * KIB);
    expect(frag.victims.map((v) => [v.pid, v.scope])).toEqual([[28438, "memcg"]]);
    expect(frag.selected).toMatchObject({ pid: 24572, process: "java", score: 0 });
    expect(frag.constraint).toBe("memcg");
    expect(frag.global).toBe(false);
    expect(frag.time).toEqual({ wallMs: Date.UTC(2017, 11, 7, 0, 5, 14), uptimeSec: null, clock: "local" });
    expect(parseMemcgPath(frag.memcgStats!.path!)).toMatchObject({
      podUid: "13e681d2-41d1-46c9-8568-f3c213e63593",
      qosClass: "Guaranteed",
      level: "container",
    });
    expect(cut.trigger).toMatchObject({ process: "java", gfpMask: "0xd0", oomScoreAdj: -998 });
    expect(cut.kernelVersion).toBe("3.10.0-327.4.5.el7.x86_64");
    expect(cut.victims).toEqual([]);
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([
      ["kernel-log/report-starts-mid-way", 1],
      ["kernel-log/no-victim-line", 6],
    ]);
    expect(facts.diagnostics[0]!.message).toContain("no `invoked oom-killer` header");
  });

  it("53: legacy two-line kill takes its scope from the selection line", async () => {
    const facts = await parseRealworld("53-");
    const ev = only(facts);
    expect(ev.victims[0]).toMatchObject({ pid: 1012, process: "heapster", scope: "memcg", shmemRssBytes: 12345 * KIB });
    expect(ev.selected).toMatchObject({ pid: 1012, score: 1035 });
    expect(ev.constraint).toBe("memcg");
    expect(ev.global).toBe(false);
    expect(codes(facts)).toEqual(["kernel-log/report-starts-mid-way"]);
  });
});

describe("kernelLog.parse on truncated real captures", () => {
  it("survives truncation at every third line of capture 13", async () => {
    const lines = realworld("13-").split("\n");
    for (let n = 1; n <= lines.length; n += 3) {
      const facts = await parse("cut.txt", lines.slice(0, n).join("\n"));
      expect(facts.ooms.length).toBeLessThanOrEqual(1);
      const ev = facts.ooms[0];
      if (!ev) continue;
      if (n >= 95) expect(ev.victims.map((v) => v.pid)).toEqual([517]);
      else expect(codes(facts)).toContain("kernel-log/no-victim-line");
    }
  });

  it("survives truncation in the middle of a line", async () => {
    const text = realworld("11-");
    for (const at of [17, 500, 4321, 6000, text.length - 40, text.length - 5]) {
      const facts = await parse("cut.txt", text.slice(0, at));
      expect(facts.ooms.length).toBeLessThanOrEqual(1);
    }
  });
});
