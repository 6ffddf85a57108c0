/**
 * pmap growth: compares two `pmap -x` snapshots of one process (two dated snapshots, or the
 * `before`/`after` sides of a `diff -u`) mapping by mapping, keyed by start address, and says
 * where the resident memory grew: the brk `[ heap ]`, the managed heap (the runtime's one big
 * reservation, when its size is known), anonymous mappings (malloc arenas of 64 MiB, direct
 * buffers, JIT, metaspace), thread stacks, file mappings or shared memory.
 * Growth of the mapped size (Kbytes, VSZ) without resident growth is address space reserved,
 * not memory used: it is reported as such, never as a leak.
 *
 * Input rows (procps `pmap.c`, `-x`), sizes already in bytes in `PmapSnapshot`:
 * ```text
 * 00007f2a4c000000   65536    1200    1200 rw---   [ anon ]
 * 00007f2a4c000000  262144  198400  198400 rw---   [ anon ]
 * ```
 */
import type { PmapMapping, PmapSnapshot } from "../model/facts.js";

/** What a mapping holds. `managed-heap` is the runtime heap reservation (only when its size is known). */
type MappingClass = "heap" | "managed-heap" | "anon" | "stack" | "file" | "shm";

/** One mapping that changed between the snapshots. */
interface MappingGrowth {
  address: string;
  mapping: string;
  cls: MappingClass;
  beforeRssBytes: number;
  afterRssBytes: number;
  rssDeltaBytes: number;
  sizeDeltaBytes: number;
  /** Mapping absent from the `before` snapshot. */
  added: boolean;
  /** A 64 MiB-ish anonymous mapping: the shape of a glibc malloc arena (64 MiB per arena on 64-bit). */
  arenaLike: boolean;
  /** Line of the row in the `after` snapshot (or `before` when removed). */
  line: number;
}

/** The comparison of two snapshots of one process. */
export interface PmapDiff {
  pid: number | null;
  before: PmapSnapshot;
  after: PmapSnapshot;
  /** Total resident / mapped growth in bytes (sum over mappings; may be negative). */
  rssDeltaBytes: number;
  sizeDeltaBytes: number;
  /** Resident growth per class, bytes (only positive growth counted). */
  growthByClass: Record<MappingClass, number>;
  /** Share of the positive resident growth outside `[ heap ]` and the managed heap (0..1), null without growth. */
  outsideHeapShare: number | null;
  /** Mappings whose RSS or size changed, largest RSS growth first. */
  changed: MappingGrowth[];
  /** True when the mapped size grew by ≥ 16 MiB while resident memory did not grow by ≥ 1/8 of it. */
  reservedOnly: boolean;
  /**
   * Time between the snapshots, ms, from their `takenAtText` (a `date` line `Fri Nov 21 09:15:03 UTC 2025`,
   * a diff header `2025-11-30 14:00:03.118221330 +0000`); null when either is missing or unreadable (added field).
   */
  elapsedMs: number | null;
  /** Plain-words reading. */
  notes: string[];
}

/** An anonymous mapping within this range (bytes) reads as one malloc arena (HEAP_MAX_SIZE 64 MiB). */
const ARENA_MIN = 60 * 2 ** 20;
const ARENA_MAX = 64 * 2 ** 20;
/** VSZ growth below this is noise. */
const RESERVE_MIN = 16 * 2 ** 20;

/** `[ heap ]`, `[ stack ]`, `[ stack:1234 ]`, `[ anon ]`, `/dev/shm/x`, `/SYSV00000000 (deleted)`, `/memfd:x`, files. */
const STACK = /^\[\s*stack(?::\d+)?\s*\]$/;
const HEAP = /^\[\s*heap\s*\]$/;
const ANON = /^\[\s*anon(?::[^\]]*|\s*)\]$|^$/;
const SHM = /^\/dev\/shm\/|^\/?SYSV[0-9a-f]{8}|^\/?memfd:|^\[\s*shmid=/i;

/**
 * Classifies a mapping. `heapBytes` (the runtime's max heap, e.g. MaxHeapSize or -Xmx) marks an
 * anonymous mapping of that size (±10 %) as the managed heap.
 * @internal exported for its tests (not the public API)
 */
export function classifyMapping(
  m: Pick<PmapMapping, "mapping" | "sizeBytes">,
  heapBytes: number | null = null,
): MappingClass {
  const name = m.mapping.trim();
  if (HEAP.test(name)) return "heap";
  if (STACK.test(name)) return "stack";
  if (SHM.test(name)) return "shm";
  if (ANON.test(name))
    return heapBytes !== null && heapBytes > 0 && Math.abs(m.sizeBytes - heapBytes) <= 0.1 * heapBytes
      ? "managed-heap"
      : "anon";
  return "file";
}

/**
 * Diffs two snapshots of one process by start address (see the file header).
 * @internal exported for its tests (not the public API)
 */
export function diffPmaps(before: PmapSnapshot, after: PmapSnapshot, heapBytes: number | null = null): PmapDiff {
  const old = new Map(before.mappings.map((m) => [m.address, m]));
  const seen = new Set<string>();
  const changed: MappingGrowth[] = [];
  const growthByClass: Record<MappingClass, number> = {
    heap: 0,
    "managed-heap": 0,
    anon: 0,
    stack: 0,
    file: 0,
    shm: 0,
  };
  let rssDelta = 0;
  let sizeDelta = 0;
  const add = (b: PmapMapping | undefined, a: PmapMapping | undefined): void => {
    const ref = (a ?? b)!;
    const cls = classifyMapping(ref, heapBytes);
    const g: MappingGrowth = {
      address: ref.address,
      mapping: ref.mapping,
      cls,
      beforeRssBytes: b?.rssBytes ?? 0,
      afterRssBytes: a?.rssBytes ?? 0,
      rssDeltaBytes: (a?.rssBytes ?? 0) - (b?.rssBytes ?? 0),
      sizeDeltaBytes: (a?.sizeBytes ?? 0) - (b?.sizeBytes ?? 0),
      added: b === undefined,
      arenaLike: cls === "anon" && ref.sizeBytes >= ARENA_MIN && ref.sizeBytes <= ARENA_MAX,
      line: ref.line,
    };
    rssDelta += g.rssDeltaBytes;
    sizeDelta += g.sizeDeltaBytes;
    if (g.rssDeltaBytes > 0) growthByClass[cls] += g.rssDeltaBytes;
    if (g.rssDeltaBytes !== 0 || g.sizeDeltaBytes !== 0) changed.push(g);
  };
  for (const a of after.mappings) {
    seen.add(a.address);
    add(old.get(a.address), a);
  }
  for (const b of before.mappings) if (!seen.has(b.address)) add(b, undefined);
  changed.sort((x, y) => y.rssDeltaBytes - x.rssDeltaBytes);
  const grown = Object.values(growthByClass).reduce((s, v) => s + v, 0);
  const outsideHeapShare = grown > 0 ? (grown - growthByClass.heap - growthByClass["managed-heap"]) / grown : null;
  const reservedOnly = sizeDelta >= RESERVE_MIN && Math.max(0, rssDelta) < sizeDelta / 8;
  const diff: PmapDiff = {
    pid: after.pid ?? before.pid,
    before,
    after,
    rssDeltaBytes: rssDelta,
    sizeDeltaBytes: sizeDelta,
    growthByClass,
    outsideHeapShare,
    changed,
    reservedOnly,
    elapsedMs: elapsed(before, after),
    notes: [],
  };
  diff.notes = describe(diff);
  return diff;
}

/**
 * Milliseconds from `before` to `after` by their stamps. Both are read the same way, so a stamp
 * without a zone (read as the machine's local time) still gives the right difference; null when
 * either does not parse or they are not in order.
 */
function elapsed(before: PmapSnapshot, after: PmapSnapshot): number | null {
  const at = (s: PmapSnapshot) => (s.takenAtText ? Date.parse(s.takenAtText.trim()) : NaN);
  const d = at(after) - at(before);
  return Number.isFinite(d) && d > 0 ? d : null;
}

/**
 * The pairs worth diffing in a bundle: each `diff -u` file's before/after sides, and for plain
 * snapshots the first and last snapshot of each pid (in bundle order). Largest RSS growth first.
 */
export function pmapDiffs(snapshots: PmapSnapshot[], heapBytes: number | null = null): PmapDiff[] {
  const out: PmapDiff[] = [];
  const plain = new Map<string, PmapSnapshot[]>();
  for (const s of snapshots) {
    if (s.diffSide === "before") {
      const after = snapshots.find(
        (x) =>
          x.diffSide === "after" && x.source.file === s.source.file && (x.source.line ?? 0) >= (s.source.line ?? 0),
      );
      if (after) out.push(diffPmaps(s, after, heapBytes));
    } else if (s.diffSide === undefined) {
      const key = s.pid !== null ? `pid:${s.pid}` : `file:${s.source.file}`;
      plain.set(key, [...(plain.get(key) ?? []), s]);
    }
  }
  for (const snaps of plain.values()) if (snaps.length >= 2) out.push(diffPmaps(snaps[0]!, snaps.at(-1)!, heapBytes));
  return out.sort((a, b) => b.rssDeltaBytes - a.rssDeltaBytes);
}

/** The resident column a snapshot has: `RSS` (procps), or `PSS` (BusyBox/toybox `pmap -x`). */
export function residentColumn(s: PmapSnapshot): "RSS" | "PSS" {
  return s.resident === "pss" ? "PSS" : "RSS";
}

function describe(d: PmapDiff): string[] {
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  const notes: string[] = [];
  if (residentColumn(d.before) !== residentColumn(d.after))
    notes.push(
      `one snapshot counts resident memory as ${residentColumn(d.before)}, the other as ${residentColumn(d.after)} (procps and BusyBox pmap): the growth compares two measures`,
    );
  if (d.reservedOnly)
    notes.push(
      `the mapped size grew by ${mib(d.sizeDeltaBytes)} but resident memory by only ${mib(Math.max(0, d.rssDeltaBytes))}: address space reserved, not used — not a leak`,
    );
  const grown = Object.values(d.growthByClass).reduce((s, v) => s + v, 0);
  if (grown > 0) {
    const parts = (Object.entries(d.growthByClass) as [MappingClass, number][])
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1]);
    const pss = residentColumn(d.after) === "PSS" ? " (PSS)" : "";
    notes.push(`resident memory${pss} grew ${mib(grown)}: ${parts.map(([c, v]) => `${c} ${mib(v)}`).join(", ")}`);
    const arenas = d.changed.filter((g) => g.arenaLike && g.rssDeltaBytes > 0);
    if (arenas.length > 0)
      notes.push(
        `${arenas.length} growing 64 MiB anonymous mapping(s), the shape of glibc malloc arenas (native allocations: try MALLOC_ARENA_MAX=2 or jemalloc)`,
      );
  }
  return notes;
}
