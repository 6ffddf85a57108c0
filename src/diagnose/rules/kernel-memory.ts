/**
 * kernel-memory: kernel allocations charged to the memcg (slab, socket buffers, kernel stacks,
 * page tables) make up the overage. Evidence: v2 `kernel` and `sock` in the kernel's memcg
 * stats (else the container's memory.stat: `kernel`, `slab`, `sock`), v1 `kmem:` usage.
 */
import { memcgBreakdown, shareOfUsage } from "../signals.js";
import { formatBytes, formatPercent } from "../../util/format.js";
import { defineRule, rejected, supported, undetermined } from "../types.js";
import { kernelMemory } from "../advice/memory-kinds.js";

export default defineRule({
  id: "kernel-memory",
  title: "Kernel memory (socket buffers, slab, stacks, page tables) filled the limit",
  role: "where",
  requires: ["kernelKills", "memcgSnapshots"],
  sizesLimit: false,
  advise: kernelMemory,
  evaluate(ctx) {
    const b = memcgBreakdown(ctx);
    const when = b?.fromSnapshot ? "in memory.stat" : "at the kill";
    const share = b ? shareOfUsage(b, b.kernelBytes) : null;
    if (!b || share === null)
      return undetermined("kernel-memory", "the bundle has no memcg stats with kernel, sock or kmem figures", [
        "the kernel OOM report with its memcg stats, or memory.stat of the container",
      ]);
    const sock = b.sockBytes !== null && b.sockBytes > 0 ? ` (socket buffers ${formatBytes(b.sockBytes)})` : "";
    const what = `kernel memory is ${formatBytes(b.kernelBytes)}${sock}, ${formatPercent(share)} of the memcg's usage ${when}${b.anonBytes !== null ? ` while anon was ${formatBytes(b.anonBytes)}` : ""}`;
    if (share >= 0.5)
      return supported(
        "kernel-memory",
        "high",
        `${what}: the kernel's allocations for this container, not its heap, filled the limit`,
        b.evidence,
        [],
        // Decisive only from a report that printed the memcg's usage and limit (what filled the
        // limit is known only where the limit is): a fragment without its `memory:` line is not.
        { decisive: !b.fromSnapshot && b.usageBytes !== null && b.limitBytes !== null },
      );
    if (share >= 0.3) return supported("kernel-memory", "medium", `${what}`, b.evidence);
    return rejected("kernel-memory", what, b.evidence);
  },
});
