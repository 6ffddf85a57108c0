/**
 * shared-memory: shmem/tmpfs charged to the container's memcg (a memory-backed emptyDir,
 * /dev/shm, SysV/POSIX shared memory) makes up the overage. Evidence: `shmem` in the memcg
 * stats of the kernel's OOM report (else the container's memory.stat), the victim's shmem-rss,
 * memory-medium emptyDir volumes.
 */
import { evidence } from "../../model/source.js";
import { memcgBreakdown, shareOfUsage } from "../signals.js";
import { formatBytes, formatPercent } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined } from "../types.js";
import { boundTmpfs } from "../advice/memory-kinds.js";

export default defineRule({
  id: "shared-memory",
  title: "Shared memory (tmpfs, /dev/shm, memory-backed emptyDir) filled the limit",
  role: "where",
  requires: ["container", "kernelKills", "memcgSnapshots", "pod"],
  sizesLimit: false,
  advise: boundTmpfs,
  evaluate(ctx) {
    const b = memcgBreakdown(ctx);
    const when = b?.fromSnapshot ? "in memory.stat" : "at the kill";
    const share = b ? shareOfUsage(b, b.shmemBytes) : null;
    if (b && share !== null) {
      const what = `shmem is ${formatBytes(b.shmemBytes)}, ${formatPercent(share)} of the memcg's usage ${when}`;
      if (share >= 0.5)
        return supported(
          "shared-memory",
          "high",
          `${what}: tmpfs / shared memory, not the process heap, filled the limit (anon-rss of the victim is what a heap dump would show)`,
          b.evidence,
          [],
          { decisive: !b.fromSnapshot },
        );
      if (share >= 0.25)
        return supported(
          "shared-memory",
          "medium",
          `${what}: a large part of the limit is tmpfs / shared memory`,
          b.evidence,
        );
      if (share < 0.1) return rejected("shared-memory", `${what}`, b.evidence);
    }
    const victim = ctx.kills.find((k) => (k.shmemRssBytes ?? 0) > 0 && k.anonRssBytes !== null);
    if (victim && victim.shmemRssBytes! > victim.anonRssBytes!) {
      return supported(
        "shared-memory",
        "medium",
        `the victim's shmem-rss (${formatBytes(victim.shmemRssBytes)}) exceeds its anon-rss (${formatBytes(victim.anonRssBytes)})`,
        victim.evidence.slice(0, 1),
      );
    }
    const c = ctx.facts.container;
    const tmpfs = (ctx.facts.pod?.volumes ?? []).filter(
      (v) => v.memoryBacked && (!c || c.volumeMounts.some((m) => m.name === v.name)),
    );
    if (tmpfs.length > 0) {
      const ev = tmpfs.map((v) =>
        evidence(
          v.source,
          `emptyDir ${v.name} medium: Memory${v.sizeLimitBytes !== null ? `, sizeLimit ${formatBytes(v.sizeLimitBytes)}` : ", no sizeLimit"}`,
        ),
      );
      return supported(
        "shared-memory",
        "low",
        `the container mounts memory-backed emptyDir volume(s) (${tmpfs.map((v) => v.name).join(", ")}); files written there count against its memory limit`,
        ev,
        ["memory.stat of the container (shmem) or the kernel OOM report"],
      );
    }
    if (b && share !== null)
      return rejected(
        "shared-memory",
        `shmem is ${formatBytes(b.shmemBytes)}, ${formatPercent(share)} of the memcg's usage`,
        b.evidence,
      );
    return undetermined("shared-memory", "the bundle has no memcg stats with a shmem figure", [
      "the kernel OOM report with its memcg stats, or memory.stat of the container",
    ]);
  },
});
