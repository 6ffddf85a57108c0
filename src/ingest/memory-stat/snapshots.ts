/**
 * Collects memory.* values into one `MemcgSnapshot` per cgroup directory. Sibling files of
 * the same directory (memory.stat, memory.max, memory.events, …) merge into one snapshot; a
 * key seen again for the same directory starts the next snapshot of that directory (a file
 * dumped twice, e.g. `while sleep 60; do cat memory.stat; done`).
 *
 * Sample input it is fed, one call per line: `anon 348016640` (memory.stat),
 * `max` (memory.max), `oom_kill 3` (memory.events).
 */
import type { MemcgPressure, MemcgSnapshot, PsiLine } from "../../model/facts.js";
import { isUnlimited } from "../../model/units.js";
import { REQUIRED_KEYS, versionOfKey } from "./keys.js";
import { minOf } from "../../util/arrays.js";

/** Reports a problem at a line (the caller turns it into a Diagnostic). */
type Warn = (code: string, message: string, line: number) => void;

/** A single-value file's meaning. */
export type ScalarRole = "limit" | "current" | "peak";

interface Scalar {
  value: number | null;
  unlimited: boolean;
  line: number;
  key: string;
}

interface Acc {
  path: string | null;
  first: number;
  last: number;
  stat: Record<string, number>;
  statLines: Record<string, number>;
  events: Record<string, number>;
  eventLines: Record<string, number>;
  scalars: Partial<Record<ScalarRole | "hierarchical", Scalar>>;
  pressure: MemcgPressure | null;
  fileVersions: Set<1 | 2>;
  takenAtText?: string;
}

/** Snapshots under construction, keyed by cgroup directory (null: the artifact names none). */
export class SnapshotCollector {
  private readonly open = new Map<string | null, Acc>();
  private readonly closed: Acc[] = [];
  private pendingTakenAt: string | undefined;

  constructor(
    private readonly file: string,
    private readonly warn: Warn,
  ) {}

  /** A memory.stat `key value` line; bytes or counters as printed. */
  stat(dir: string | null, key: string, value: number, line: number): void {
    const acc = this.accFor(dir, line, key in this.peek(dir).stat);
    acc.stat[key] = value;
    acc.statLines[key] = line;
    if (key === "hierarchical_memory_limit") acc.scalars.hierarchical = scalar(value, line, key);
  }

  /** A memory.events / memory.oom_control counter, or v1 memory.failcnt as `failcnt`. */
  event(dir: string | null, key: string, value: number, line: number): void {
    const acc = this.accFor(dir, line, key in this.peek(dir).events);
    acc.events[key] = value;
    acc.eventLines[key] = line;
  }

  /** memory.max / .current / .peak (or v1 equivalents); `value` null means `max`. */
  scalar(dir: string | null, role: ScalarRole, value: number | null, key: string, line: number): void {
    const acc = this.accFor(dir, line, this.peek(dir).scalars[role] !== undefined);
    acc.scalars[role] = scalar(value, line, key);
  }

  /** One PSI line of memory.pressure. */
  pressure(dir: string | null, kind: "some" | "full", psi: PsiLine, line: number): void {
    const acc = this.accFor(dir, line, this.peek(dir).pressure?.[kind] !== undefined);
    acc.pressure ??= { line };
    acc.pressure[kind] = psi;
  }

  /** A `date` line: it dates the next snapshot that starts. */
  takenAt(text: string): void {
    this.pendingTakenAt = text;
  }

  /** Records that the directory's open snapshot read a file that exists only in one cgroup version. */
  fileVersion(dir: string | null, version: 1 | 2): void {
    this.open.get(dir)?.fileVersions.add(version);
  }

  /** All snapshots in order of their first line, with missing-key and version warnings. */
  finish(): MemcgSnapshot[] {
    const all = [...this.closed, ...this.open.values()].filter(hasData).sort((a, b) => a.first - b.first);
    return all.map((acc) => this.build(acc));
  }

  private peek(dir: string | null): Acc {
    return this.open.get(dir) ?? emptyAcc(dir, 0);
  }

  private accFor(dir: string | null, line: number, repeated: boolean): Acc {
    let acc = this.open.get(dir);
    if (acc && repeated) {
      this.closed.push(acc);
      acc = undefined;
    }
    if (!acc) {
      acc = emptyAcc(dir, line);
      if (this.pendingTakenAt !== undefined) acc.takenAtText = this.pendingTakenAt;
      this.pendingTakenAt = undefined;
      this.open.set(dir, acc);
    }
    acc.last = Math.max(acc.last, line);
    return acc;
  }

  private build(acc: Acc): MemcgSnapshot {
    const version = this.version(acc);
    this.checkRequired(acc, version);
    const { limit, hierarchical, current, peak } = acc.scalars;
    const effectiveLimit = limit ?? hierarchical;
    const snap: MemcgSnapshot = {
      source: { file: this.file, line: acc.first, endLine: acc.last },
      path: acc.path,
      version,
      stat: acc.stat,
      statLines: acc.statLines,
      currentBytes: current?.value ?? null,
      limitBytes: effectiveLimit && !effectiveLimit.unlimited ? effectiveLimit.value : null,
      peakBytes: peak?.value ?? null,
      events: acc.events,
      eventLines: acc.eventLines,
    };
    const sources: NonNullable<MemcgSnapshot["valueSources"]> = {};
    if (current) sources.currentBytes = { line: current.line, key: current.key };
    if (effectiveLimit) sources.limitBytes = { line: effectiveLimit.line, key: effectiveLimit.key };
    if (peak) sources.peakBytes = { line: peak.line, key: peak.key };
    if (Object.keys(sources).length > 0) snap.valueSources = sources;
    if (effectiveLimit) snap.limitUnlimited = effectiveLimit.unlimited;
    if (acc.pressure) snap.pressure = acc.pressure;
    if (acc.takenAtText !== undefined) snap.takenAtText = acc.takenAtText;
    return snap;
  }

  // Stat keys decide; without them, the version-specific sibling files do.
  private version(acc: Acc): 1 | 2 | null {
    const votes = { 1: 0, 2: 0 };
    for (const key of Object.keys(acc.stat)) {
      const v = versionOfKey(key);
      if (v) votes[v]++;
    }
    if (votes[1] > 0 && votes[2] > 0) {
      this.warn(
        "memory-stat/mixed-versions",
        `memory.stat mixes cgroup v1 and v2 keys — expected one version — received ${votes[1]} v1-only and ${votes[2]} v2-only keys`,
        acc.first,
      );
    }
    if (votes[1] + votes[2] > 0) return votes[1] >= votes[2] ? 1 : 2;
    return acc.fileVersions.size === 1 ? [...acc.fileVersions][0]! : null;
  }

  private checkRequired(acc: Acc, version: 1 | 2 | null): void {
    if (version === null || Object.keys(acc.stat).length === 0) return;
    const missing = REQUIRED_KEYS[version]
      .filter((alts) => !alts.some((k) => k in acc.stat))
      .map((alts) => alts.join("/"));
    if (missing.length === 0) return;
    const first = minOf(Object.values(acc.statLines), 0);
    this.warn(
      "memory-stat/missing-key",
      `memory.stat (cgroup v${version}) is incomplete — expected ${missing.map((k) => `\`${k}\``).join(" and ")} — received ${Object.keys(acc.stat).length} other keys (truncated capture?)`,
      first,
    );
  }
}

function scalar(value: number | null, line: number, key: string): Scalar {
  const unlimited = value === null || isUnlimited(value);
  return { value: unlimited ? null : value, unlimited, line, key };
}

function emptyAcc(path: string | null, line: number): Acc {
  return {
    path,
    first: line,
    last: line,
    stat: {},
    statLines: {},
    events: {},
    eventLines: {},
    scalars: {},
    pressure: null,
    fileVersions: new Set(),
  };
}

function hasData(acc: Acc): boolean {
  return (
    Object.keys(acc.stat).length + Object.keys(acc.events).length + Object.keys(acc.scalars).length > 0 ||
    acc.pressure !== null
  );
}
