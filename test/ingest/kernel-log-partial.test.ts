/**
 * Partial OOM reports in the kernel-log ingester: the `oom-kill:` summary's task, `oom_reaper`
 * lines for reports whose victim line is missing, `Out of memory and no killable processes...`,
 * and reports cut off by the end of the capture.
 */
import { describe, expect, it } from "vitest";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { sourceFromString } from "../../src/ingest/source.js";

const parse = (text: string) => kernelLog.parse(sourceFromString("k.log", text));

describe("kernel-log partial reports", () => {
  it("keeps the oom-kill summary's task as the chosen victim", async () => {
    const facts = await parse(
      "[ 77.1] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/mysqld.service,task=mysqld,pid=4410,uid=27\n",
    );
    expect(facts.ooms).toHaveLength(1);
    expect(facts.ooms[0]!.summaryTask).toMatchObject({
      pid: 4410,
      process: "mysqld",
      uid: 27,
      source: { file: "k.log", line: 1 },
    });
    expect(facts.ooms[0]!.global).toBe(true);
    expect(facts.ooms[0]!.endedAtCaptureEnd).toBe(true);
  });

  it("gives a reaper line to the earlier report that lost its victim, not to the report in progress", async () => {
    const facts = await parse(
      [
        "[ 10.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
        "[ 10.1] memory: usage 1024kB, limit 1024kB, failcnt 1",
        "[ 11.0] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
        "[ 11.1] oom_reaper: reaped process 900 (a), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
        "[ 11.2] memory: usage 2048kB, limit 2048kB, failcnt 1",
        "[ 11.3] Memory cgroup out of memory: Killed process 901 (b) total-vm:4096kB, anon-rss:2000kB, file-rss:0kB, shmem-rss:0kB",
      ].join("\n"),
    );
    expect(facts.ooms).toHaveLength(2);
    expect(facts.ooms[0]!.reaped).toEqual([
      expect.objectContaining({ pid: 900, process: "a", source: { file: "k.log", line: 4 } }),
    ]);
    expect(facts.ooms[1]!.reaped).toEqual([]);
    expect(facts.ooms[1]!.victims.map((v) => v.pid)).toEqual([901]);
    expect(facts.ooms[0]!.endedAtCaptureEnd).toBeUndefined();
  });

  it("reads `Out of memory and no killable processes...` behind any prefix, and says nothing was killed", async () => {
    const facts = await parse(
      [
        "Jan 02 03:04:05 node-7 kernel: worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=1000",
        ...Array.from({ length: 30 }, (_, i) => `Jan 02 03:04:05 node-7 kernel: unrelated line ${i}`),
        "Jan 02 03:04:05 node-7 kernel: Out of memory and no killable processes...",
      ].join("\n"),
    );
    expect(facts.ooms).toHaveLength(1);
    expect(facts.ooms[0]!.noKillable).toMatchObject({ source: { file: "k.log", line: 32 } });
    expect(facts.diagnostics.map((d) => d.code)).toEqual(["kernel-log/no-killable-process"]);
  });
});
