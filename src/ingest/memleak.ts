/**
 * memleak: BCC's `memleak` (bcc `tools/memleak.py`, packaged as `memleak-bpfcc` on Debian and
 * Ubuntu, bcc 0.18 to 0.30): allocations traced with eBPF that were not freed, grouped by the
 * stack that made them. Every interval it prints `[HH:MM:SS] Top N stacks with outstanding
 * allocations:` and, per stack (smallest first), `\t<bytes> bytes in <n> allocations from stack`
 * followed by one `\t\t[0x<addr>\t]<symbol>+0x<off> [<module>]` line per frame, innermost first.
 * `Attaching to pid N` names the traced process (`Attaching to kernel allocators` for `-k`).
 * Each interval is one `AllocationReport`, stacks largest first, each with its allocation site:
 * the first frame that is not an allocator (malloc, calloc, realloc, memalign, operator new, or a
 * library's `*_malloc` wrapper).
 *
 * Sample input (`memleak-bpfcc -p 1 60`, bcc 0.29, Ubuntu 24.04):
 * ```text
 * Attaching to pid 1, Ctrl+C to quit.
 * [20:01:12] Top 10 stacks with outstanding allocations:
 * 	301989888 bytes in 288 allocations from stack
 * 		0x00007f3c1a2b3c4d	malloc+0x5d [libc.so.6]
 * 		0x000055a1b2c3e011	vips_image_new_memory+0x81 [libvips.so.42]
 * ```
 */
import { emptyFacts, type AllocationReport, type AllocationStack, type FactSet } from "../model/facts.js";
import { warning } from "../model/source.js";
import { readCommandLine } from "./shared/command-line.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** `Attaching to pid 5193, Ctrl+C to quit.` */
const ATTACH = /^Attaching to pid (\d+)/;
/** `[11:16:33] Top 10 stacks with outstanding allocations:` (the time is missing with some options). */
const REPORT = /^(?:\[([^\]]{1,40})\]\s*)?Top \d+ stacks with outstanding allocations:?$/;
/** `80 bytes in 5 allocations from stack`. */
const STACK = /^(\d+) bytes in (\d+) allocations from stack$/;
/** A frame: `0x00007f3c1a2b3c4d\tmalloc+0x5d [libc.so.6]`, `main+0x6d [allocs]`, `[unknown]`. */
const FRAME = /^(?:0x[0-9a-fA-F]+\s+)?(\S.*)$/;
/** Allocator entry points and wrappers: the site is the first frame below them. */
const ALLOCATOR =
  /^(?:\[unknown\]|operator new\b.*|_Zn[wa][jmy]|__libc_\w+|__GI_\w+|(?:[A-Za-z0-9]+_)*(?:[a-z]*malloc\d?|calloc|realloc|reallocarray|memalign|posix_memalign|aligned_alloc|valloc|pvalloc|mmap\d*|strn?dup)(?:_impl)?)$/;
/** Symbols longer than this are never allocator names (and are not run through the pattern). */
const MAX_SYMBOL = 120;

const MAX_LINE_WARNINGS = 20;

export const memleak: Ingester = {
  kind: "memleak",
  description:
    "BCC memleak / memleak-bpfcc output: outstanding allocations by stack (the allocation site of a native leak)",
  nameHint: /memleak/i,

  sniff(head: string): boolean {
    return (
      /Top \d+ stacks with outstanding allocations/.test(head) ||
      (/^[ \t]*\d+ bytes in \d+ allocations from stack\s*$/m.test(head) && /Attaching to (?:pid|kernel)/.test(head))
    );
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let pid: number | null = null;
    let report: AllocationReport | null = null;
    let stack: AllocationStack | null = null;
    let bad = 0;
    const warn = (message: string, line: number): void => {
      if (++bad <= MAX_LINE_WARNINGS)
        facts.diagnostics.push(warning("memleak/bad-line", message, { file: source.path, line }));
    };
    for await (const { text, line } of source.lines()) {
      const t = text.trim();
      if (t === "") continue;
      const attach = ATTACH.exec(t);
      if (attach) {
        pid = Number(attach[1]);
        continue;
      }
      const head = REPORT.exec(t);
      if (head) {
        report = { source: { file: source.path, line }, pid, timeText: head[1] ?? null, stacks: [] };
        facts.allocations.push(report);
        stack = null;
        continue;
      }
      const s = STACK.exec(t);
      if (s) {
        const bytes = Number(s[1]);
        if (!Number.isSafeInteger(bytes)) {
          warn(`stack size too large — expected bytes below 2^53 — received ${s[1]}`, line);
          stack = null;
          continue;
        }
        if (!report) {
          report = { source: { file: source.path, line }, pid, timeText: null, stacks: [] };
          facts.allocations.push(report);
        }
        stack = { bytes, allocations: Number(s[2]), frames: [], site: null, line };
        report.stacks.push(stack);
        report.source.endLine = line;
        continue;
      }
      if (stack && /^\s/.test(text)) {
        const f = FRAME.exec(t)!;
        stack.frames.push(f[1]!);
        if (stack.site === null && !isAllocator(f[1]!)) stack.site = f[1]!;
        report!.source.endLine = line;
        continue;
      }
      if (/^(?:Ctrl|Exiting|Detaching|Tracing|\^C)/.test(t) || readCommandLine(text)) continue;
      warn(
        `line not understood — expected memleak's \`N bytes in M allocations from stack\` and its frames — received \`${t.length > 100 ? `${t.slice(0, 97)}…` : t}\``,
        line,
      );
    }
    for (const r of facts.allocations) r.stacks.sort((a, b) => b.bytes - a.bytes);
    facts.allocations = facts.allocations.filter((r) => r.stacks.length > 0);
    if (facts.allocations.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "memleak/no-stacks",
        message:
          "no outstanding allocation read — expected `[HH:MM:SS] Top N stacks with outstanding allocations:` and `N bytes in M allocations from stack` lines — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

function isAllocator(frame: string): boolean {
  if (frame.length > 4 * MAX_SYMBOL) return false;
  const symbol = symbolOf(frame);
  return symbol.length <= MAX_SYMBOL && ALLOCATOR.test(symbol);
}

/**
 * The ` [libvips.so.42]` a frame ends with (group 1 without the `]`): found at the final `]` and read
 * backwards once, so a frame repeating ` [` costs linear time.
 */
const TRAILING_MODULE = /\]$(?<=(\s+\[[^\]]*)\])/;

/**
 * `vips_image_new_memory+0x81 [libvips.so.42]` → `vips_image_new_memory`.
 * @internal exported for its tests (not the public API)
 */
export function symbolOf(frame: string): string {
  const module = TRAILING_MODULE.exec(frame);
  const bare = module ? frame.slice(0, frame.length - module[1]!.length - 1) : frame;
  return bare.replace(/\+0x[0-9a-fA-F]+$/, "").trim();
}
