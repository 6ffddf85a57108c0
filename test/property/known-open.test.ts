/**
 * Tripwires for the open bugs listed in `KNOWN_OPEN` (invariants.ts): each test reproduces one
 * and FAILS once the bug is fixed, saying which `KNOWN_OPEN` entry to delete so the property
 * suite checks that field strictly again.
 */
import { describe, expect, it } from "vitest";
import { ingesters } from "../../src/ingest/index.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { KNOWN_OPEN } from "./invariants.js";

/** A memcg OOM report (kernel 6.x format) whose Tasks-state row has `-1` pages for total_vm and rss. */
const NEGATIVE_PAGES = [
  "app invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984",
  "Tasks state (memory values in pages):",
  "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
  "[   1234]     0  1234       -1       -1    40960        0           984 app",
  "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg=/a,task_memcg=/a,task=app,pid=1234,uid=0",
  "Memory cgroup out of memory: Killed process 1234 (app) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:984",
].join("\n");

describe("known open bugs (tolerated by the property suite until fixed)", () => {
  it("kernel-log: a Tasks-state row with -1 pages still gives negative totalVmBytes/rssBytes", async () => {
    expect(KNOWN_OPEN.some((k) => k.kind === "kernel-log")).toBe(true);
    const kernelLog = ingesters.find((i) => i.kind === "kernel-log")!;
    const facts = await kernelLog.parse(sourceFromString("dmesg.txt", NEGATIVE_PAGES));
    const task = facts.ooms[0]?.tasks[0];
    expect(task?.pid).toBe(1234);
    const fixed = task!.rssBytes === null || task!.rssBytes >= 0;
    expect(fixed, "fixed: delete the kernel-log entry of KNOWN_OPEN in test/property/invariants.ts and this test").toBe(false);
  });
});
