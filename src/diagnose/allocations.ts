/**
 * What BCC `memleak` reports (ingest/memleak.ts) say about a subject: the stack with the most
 * bytes allocated and not freed in the latest report, whether the same allocation site grew
 * between reports, and the evidence lines. memleak traces the C allocators (malloc, calloc,
 * realloc, mmap, …), so what it shows is native memory whatever the runtime.
 */
import type { AllocationReport, AllocationStack } from "../model/facts.js";
import { evidence, type Evidence } from "../model/source.js";
import type { RuleContext } from "./types.js";

/** Outstanding bytes below this share of the limit (or below 64 MiB with no limit) say nothing. */
const MIN_SHARE = 0.1;
const MIN_BYTES_NO_LIMIT = 64 * 2 ** 20;

/** The largest outstanding allocation site of the latest memleak report. */
interface OutstandingSite {
  report: AllocationReport;
  stack: AllocationStack;
  /** The site as printed (`vips_image_new_memory+0x81 [libvips.so.42]`), or the first frame. */
  site: string;
  /** Outstanding bytes from this site in the earlier reports of the same file, oldest first. */
  earlier: number[];
  /** True when the site's outstanding bytes grew from report to report (two or more reports). */
  growing: boolean;
  evidence: Evidence[];
}

/**
 * The top outstanding site when it holds a meaningful share of the limit (≥ 10 %, or ≥ 64 MiB
 * when the limit is unknown); null otherwise or without a memleak report. Reports that name a
 * pid other than the victim's are skipped when the victim's pid is known and equals one of them.
 */
export function outstandingSite(ctx: RuleContext, limitBytes: number | null): OutstandingSite | null {
  const all = ctx.facts.observations?.allocations ?? [];
  const pid = ctx.kills.at(-1)?.pid ?? null;
  const own = all.filter((r) => r.pid !== null && r.pid === pid);
  const reports = (own.length > 0 ? own : all).filter((r) => r.stacks.length > 0);
  const report = reports.at(-1);
  if (!report) return null;
  const stack = report.stacks[0]!;
  const floor = limitBytes !== null && limitBytes > 0 ? MIN_SHARE * limitBytes : MIN_BYTES_NO_LIMIT;
  if (stack.bytes < floor) return null;
  const site = stack.site ?? stack.frames[0] ?? "an unnamed stack";
  const earlier = reports
    .slice(0, -1)
    .filter((r) => r.source.file === report.source.file)
    .map((r) => r.stacks.find((s) => (s.site ?? s.frames[0]) === site)?.bytes ?? 0);
  const series = [...earlier, stack.bytes];
  const growing = series.length >= 2 && series.every((b, i) => i === 0 || b > series[i - 1]!);
  const at = { file: report.source.file, line: stack.line };
  return {
    report,
    stack,
    site,
    earlier,
    growing,
    evidence: [
      evidence(
        at,
        `memleak${report.timeText ? ` [${report.timeText}]` : ""}: ${stack.bytes} bytes in ${stack.allocations} allocations from stack, site ${site}`,
      ),
    ],
  };
}
