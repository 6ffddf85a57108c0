/**
 * jcmd: two diagnostic commands of a running JVM (JDK 8 to 21), `jcmd <pid> VM.native_memory
 * summary` (Native Memory Tracking, needs `-XX:NativeMemoryTracking=summary`; HotSpot
 * `MemSummaryReporter`: a `Total:` line, then one `-  <Category> (reserved=NKB, committed=NKB)`
 * line per category, sizes in the `scale=` unit, KB by default) and `jcmd <pid> GC.heap_info`
 * (HotSpot `CollectedHeap::print_on()`: G1 `garbage-first heap   total 262144K, used 81920K
 * [0x…, 0x…)`, Parallel `PSYoungGen`/`ParOldGen`, Serial `def new generation`/`tenured
 * generation` with their reserved address ranges, ZGC `ZHeap used 12M, capacity 256M, max
 * capacity 1024M`, Shenandoah `1048576K max, … committed, … used`, and `Metaspace used …K,
 * committed …K, reserved …K`). One `RuntimeConfigFact` (runtime `jvm`) per printout:
 * origin `jcmd VM.native_memory` with `Total.reserved`, `Total.committed` and
 * `<Category>.reserved|committed` (`Java Heap.reserved` is the maximum heap), or origin
 * `jcmd GC.heap_info` with `heap.max` (the reserved heap range: the maximum heap), `heap.committed`,
 * `heap.used`, `Metaspace.used|committed|reserved`. All in bytes.
 *
 * Sample input (Temurin 17.0.9, `jcmd 1 VM.native_memory summary`):
 * ```text
 * Total: reserved=2743296KB, committed=476612KB
 * -                 Java Heap (reserved=1048576KB, committed=262144KB)
 *                             (mmap: reserved=1048576KB, committed=262144KB)
 * ```
 * and (`jcmd 1 GC.heap_info`):
 * ```text
 *  garbage-first heap   total 262144K, used 81920K [0x00000000c0000000, 0x0000000100000000)
 *  Metaspace       used 20011K, committed 20480K, reserved 1069056K
 * ```
 */
import { emptyFacts, type FactSet, type RuntimeConfigFact } from "../model/facts.js";
import { warning } from "../model/source.js";
import type { ArtifactSource, Ingester } from "./types.js";

const UNIT: Record<string, number> = {
  "": 1,
  B: 1,
  K: 1024,
  KB: 1024,
  M: 1024 ** 2,
  MB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1024 ** 3,
};

/** `Total: reserved=2743296KB, committed=476612KB`. */
const NMT_TOTAL = /^Total:\s+reserved=(\d+)(KB|MB|GB|B)?,\s+committed=(\d+)(KB|MB|GB|B)?/;
/** `-                 Java Heap (reserved=1048576KB, committed=262144KB)`. */
const NMT_CATEGORY = /^-([^(]+)\(reserved=(\d+)(KB|MB|GB|B)?,\s+committed=(\d+)(KB|MB|GB|B)?\)/;
/** `Native Memory Tracking:` heading, and NMT turned off. */
const NMT_HEADING = /^Native Memory Tracking:\s*$/;
const NMT_OFF = /Native memory tracking is not enabled/i;

/** A heap space line: `<name>   total 262144K, used 81920K [0x…, 0x…(, 0x…))`. */
const HEAP_SPACE =
  /^(\D+?)total (\d+)([KMG]), used (\d+)([KMG])\s+\[(0x[0-9a-fA-F]+)(?:, (0x[0-9a-fA-F]+))?(?:, (0x[0-9a-fA-F]+))?\)/;
/** ZGC: `ZHeap           used 12M, capacity 256M, max capacity 1024M`. */
const ZGC = /^ZHeap\s+used (\d+)([KMG]), capacity (\d+)([KMG]), max capacity (\d+)([KMG])/;
/** Shenandoah: `1048576K max, 262144K soft max, 262144K committed, 81920K used` (soft max from JDK 13). */
const SHENANDOAH = /^(\d+)([KMG]) max,(?: (\d+)([KMG]) soft max,)? (\d+)([KMG]) committed, (\d+)([KMG]) used/;
/** `Metaspace       used 20011K, committed 20480K, reserved 1069056K` (JDK 8: `capacity` too). */
const METASPACE =
  /^Metaspace\s+used (\d+)([KMG]),(?: capacity \d+[KMG],)? committed (\d+)([KMG]), reserved (\d+)([KMG])/;

/** Longer lines are never jcmd's (its lines are under 200 characters); skipped before the patterns run. */
const MAX_LINE = 4096;

/** Lines only these printouts have. */
const SNIFF =
  /^(?:Native Memory Tracking:|Total: reserved=\d+|-\s+Java Heap \(reserved=|[ \t]*(?:garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation|ZHeap|Shenandoah Heap)\b)/m;

export const jcmd: Ingester = {
  kind: "jcmd",
  description:
    "jcmd PID VM.native_memory summary (NMT) and jcmd PID GC.heap_info: the JVM's reserved heap and native memory",
  nameHint: /jcmd|native[-_]?memory|nmt|heap[-_]info/i,

  sniff(head: string): boolean {
    return SNIFF.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let nmt: RuntimeConfigFact | null = null;
    let heap: RuntimeConfigFact | null = null;
    // The reserved address range of the heap's spaces so far (its length is the maximum heap).
    let range: { lo: bigint; hi: bigint } | null = null;
    const open = (origin: string, line: number): RuntimeConfigFact => {
      const fact: RuntimeConfigFact = {
        source: { file: source.path, line },
        runtime: "jvm",
        origin,
        flags: {},
        version: null,
      };
      facts.runtimeConfigs.push(fact);
      return fact;
    };
    const set = (
      fact: RuntimeConfigFact,
      key: string,
      raw: string,
      unit: string | undefined,
      text: string,
      line: number,
    ): void => {
      const bytes = Number(raw) * UNIT[unit ?? ""]!;
      fact.flags[key] = { value: text.trim(), bytes: Number.isSafeInteger(bytes) ? bytes : null, line };
      fact.source.endLine = line;
    };
    for await (const { text, line } of source.lines()) {
      const t = text.trim();
      if (t === "" || t.length > MAX_LINE) continue;
      if (NMT_OFF.test(t)) {
        facts.diagnostics.push(
          warning(
            "jcmd/nmt-off",
            "Native Memory Tracking is off in this JVM — expected a VM.native_memory summary — received the JVM's refusal; start it with -XX:NativeMemoryTracking=summary",
            { file: source.path, line },
          ),
        );
        continue;
      }
      if (NMT_HEADING.test(t)) {
        nmt = null;
        continue;
      }
      const total = NMT_TOTAL.exec(t);
      if (total) {
        nmt = open("jcmd VM.native_memory", line);
        set(nmt, "Total.reserved", total[1]!, total[2] ?? "KB", t, line);
        set(nmt, "Total.committed", total[3]!, total[4] ?? "KB", t, line);
        continue;
      }
      const cat = NMT_CATEGORY.exec(t);
      if (cat) {
        nmt ??= open("jcmd VM.native_memory", line);
        const name = cat[1]!.trim();
        set(nmt, `${name}.reserved`, cat[2]!, cat[3] ?? "KB", t, line);
        set(nmt, `${name}.committed`, cat[4]!, cat[5] ?? "KB", t, line);
        continue;
      }
      const space = HEAP_SPACE.exec(t);
      if (space && !/^(?:eden|from|to|object|the) space/.test(t)) {
        const name = space[1]!.trim();
        if (!heap || heap.flags[`${name}.total`] !== undefined) {
          heap = open("jcmd GC.heap_info", line);
          range = null;
        }
        set(heap, `${name}.total`, space[2]!, space[3], t, line);
        addSum(heap, "heap.committed", Number(space[2]) * UNIT[space[3]!]!, t, line);
        addSum(heap, "heap.used", Number(space[4]) * UNIT[space[5]!]!, t, line);
        const lo = BigInt(space[6]!);
        const hi = BigInt(space[8] ?? space[7] ?? space[6]!);
        range = { lo: range && range.lo < lo ? range.lo : lo, hi: range && range.hi > hi ? range.hi : hi };
        const max = Number(range.hi - range.lo);
        if (max > 0 && Number.isSafeInteger(max))
          heap.flags["heap.max"] = {
            value: `reserved heap range [0x${range.lo.toString(16)}, 0x${range.hi.toString(16)})`,
            bytes: max,
            line,
          };
        continue;
      }
      const z = ZGC.exec(t) ?? null;
      const s = z ? null : SHENANDOAH.exec(t);
      if (z || s) {
        heap = open("jcmd GC.heap_info", line);
        range = null;
        if (z) {
          set(heap, "heap.used", z[1]!, z[2], t, line);
          set(heap, "heap.committed", z[3]!, z[4], t, line);
          set(heap, "heap.max", z[5]!, z[6], t, line);
        } else {
          set(heap, "heap.max", s![1]!, s![2], t, line);
          set(heap, "heap.committed", s![5]!, s![6], t, line);
          set(heap, "heap.used", s![7]!, s![8], t, line);
        }
        continue;
      }
      const meta = METASPACE.exec(t);
      if (meta && heap) {
        set(heap, "Metaspace.used", meta[1]!, meta[2], t, line);
        set(heap, "Metaspace.committed", meta[3]!, meta[4], t, line);
        set(heap, "Metaspace.reserved", meta[5]!, meta[6], t, line);
      }
    }
    facts.runtimeConfigs = facts.runtimeConfigs.filter((f) => Object.keys(f.flags).length > 0);
    if (facts.runtimeConfigs.length === 0 && facts.diagnostics.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "jcmd/nothing-read",
        message:
          "no heap or native memory figure read — expected `Total: reserved=…KB, committed=…KB` (VM.native_memory summary) or a heap line such as `garbage-first heap total …K, used …K [0x…, 0x…)` (GC.heap_info) — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

// Adds `bytes` to a summed flag (committed and used over the heap's spaces).
function addSum(fact: RuntimeConfigFact, key: string, bytes: number, text: string, line: number): void {
  const prev = fact.flags[key]?.bytes ?? 0;
  const sum = prev + bytes;
  fact.flags[key] = { value: text.trim(), bytes: Number.isSafeInteger(sum) ? sum : null, line };
}
