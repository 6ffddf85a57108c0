/**
 * Reads the lines of `pmap -x` output (procps `pmap.c`, extended format) into snapshots: a
 * state machine fed one line at a time, so a unified diff can feed each side separately.
 * BusyBox's `pmap -x` (procps/pmap.c in BusyBox 1.x, what `kubectl exec … -- pmap -x 1` prints in
 * an Alpine or busybox image; toybox's is alike) prints PSS where procps prints RSS, and a Swap
 * column: its snapshots say so (`resident: "pss"`) and keep PSS in `rssBytes`.
 *
 * Sample input (procps-ng 3.3, 64-bit):
 * ```text
 * 4299:   ./memory-user 1000 100
 * Address           Kbytes     RSS   Dirty Mode  Mapping
 * 00007fed800fa000 4096004 1006616 1006616 rw---   [ anon ]
 * 00007ffc1b3f2000     136      16      16 rw---   [ stack ]
 * ---------------- ------- ------- -------
 * total kB         4096140 1006632 1006632
 * ```
 * BusyBox 1.36, 64-bit (its address column is followed by tabs; `[ anon ]` has two spaces before it):
 * ```text
 * 1: mem -n 1024
 * Address		  Kbytes     PSS   Dirty    Swap  Mode  Mapping
 * 000055c4251e2000 1048576 1048576 1048576       0  rw-p  [heap]
 * 00007fc662fc3000      12       8       8       0  rw-p    [ anon ]
 * ----------------  ------  ------  ------  ------
 * total		 1048760 1048616 1048592       0
 * ```
 */
import type { PmapMapping, PmapSnapshot } from "../../model/facts.js";
import { kib } from "../../model/units.js";

/** Reports a problem at a line (the caller turns it into a Diagnostic). */
type Warn = (code: string, message: string, line: number) => void;

/** pmap.c: printf("%u:   %s\n", pid, cmd) — `4299:   ./memory-user 1000 100` (`PID:` when redacted). */
const PID_LINE = /^(\d+|PID):\s+(\S.*)$/;

/**
 * pmap.c -x header, 64-bit ("Address           Kbytes …") and 32-bit ("Address   Kbytes …") widths;
 * BusyBox's `puts("Address" TABS "  Kbytes     PSS   Dirty    Swap  Mode  Mapping")` (group 1: PSS).
 */
const HEADER_LINE = /^Address\s+Kbytes\s+(?:RSS|(PSS))\s+Dirty\s+(?:Swap\s+)?Mode\s+Mapping$/;

/**
 * pmap.c -x row: "%.*s %7lu %7lu %7lu %s %s" — address, Kbytes, RSS, Dirty, mode, mapping:
 * `00007fed800fa000 4096004 1006616 1006616 rw---   [ anon ]`. Old procps (3.2) prints `-`
 * for RSS/Dirty it could not read. Mode: r w x s/- and a 5th flag (`R` = MAP_NORESERVE).
 */
const ROW_LINE = /^([0-9a-fA-F]{8,16})\s+(\d+)\s+(\d+|-)\s+(\d+|-)\s+([-rwxsSpR]{4,5})(?:\s+((?:\S.*)?))?$/;

/**
 * BusyBox pmap.c -x row: "%016lx %7lu %7lu %7lu %7lu  %.4s  %s" — address, Kbytes, PSS, Dirty
 * (private), Swap, mode, mapping: `000055c4251e2000 1048576 1048576 1048576       0  rw-p  [heap]`
 * (toybox prints a 5-letter mode, `rw---`).
 */
const PSS_ROW_LINE = /^([0-9a-fA-F]{8,16})\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+([-rwxsSpR]{4,5})(?:\s+((?:\S.*)?))?$/;

/** pmap.c -x rule under the rows: `---------------- ------- ------- ------- ` (narrower in old procps; four columns in BusyBox). */
const RULE_LINE = /^-{8,}(?:\s+-{4,}){2,4}$/;

/** pmap.c -x footer: printf("total kB %15ld %7llu %7llu\n", …) — `total kB         4098500 1008172 1006700`. */
const TOTAL_LINE = /^total kB\s+(\d+)\s+(\d+|-)\s+(\d+|-)$/;

/** BusyBox pmap.c -x footer: "total" TABS " %7lu %7lu %7lu %7lu" — Kbytes, PSS, Dirty, Swap. */
const PSS_TOTAL_LINE = /^total\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+$/;

/**
 * A time stamp line between snapshots: coreutils `date` (`Tue Jun  9 11:01:17 UTC 2026`),
 * `date -R`, or ISO 8601 (`2026-06-09T11:01:17Z`).
 */
const DATE_LINE =
  /^(?:[A-Z][a-z]{2},? +(?:[A-Z][a-z]{2} +\d{1,2}|\d{1,2} +[A-Z][a-z]{2}) +(?:\d{4} +)?\d{2}:\d{2}:\d{2}(?: +(?:[A-Z]{2,5}|[+-]\d{4}))?(?: +\d{4})?|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5}))?)$/;

/** The start of a comment naming when the snapshot was taken: `# taken at `, `## captured: `, `# `. */
const TAKEN_AT_LABEL = /^#+\s*(?:(?:taken|captured|snapshot)(?:\s+at\b)?[\s:]*)?/i;

/** A time of day inside such a comment: `11:01`. */
const TIME_OF_DAY = /\d:\d{2}/;

/** Shell prompts and other comments, skipped: `$ pmap -x 4299`, `# second run`. */
const PROMPT_OR_COMMENT = /^\S*[$#>](?:\s|$)/;

interface Building {
  snap: PmapSnapshot;
  lastLine: number;
  dashRss: boolean;
}

/** Builds `PmapSnapshot`s from `pmap -x` lines; `diffSide` tags every snapshot it makes. */
export class PmapReader {
  readonly snapshots: PmapSnapshot[] = [];
  private current: Building | null = null;
  private takenAt: string | undefined;

  constructor(
    private readonly file: string,
    private readonly warn: Warn,
    private readonly diffSide?: "before" | "after",
  ) {}

  /** Sets the time label of the next snapshot (a diff header's timestamp). */
  setTakenAt(text: string): void {
    this.takenAt = text;
  }

  /** Feeds one line (1-based line number in the artifact). */
  feed(text: string, line: number): void {
    const t = text.trim();
    if (t === "") return;
    let m: RegExpExecArray | null;
    if ((m = PID_LINE.exec(t))) {
      this.close();
      this.start(line, m[1] === "PID" ? null : Number(m[1]), m[2]!);
    } else if ((m = HEADER_LINE.exec(t))) {
      if (!this.current || this.current.snap.mappings.length > 0 || this.current.snap.totalSizeBytes !== null) {
        this.close();
        this.start(line, null, null);
      }
      if (m[1]) this.current!.snap.resident = "pss";
      this.touch(line);
    } else if ((m = ROW_LINE.exec(t))) {
      this.startFor(line, false);
      this.addRow(m, line);
    } else if ((m = PSS_ROW_LINE.exec(t))) {
      this.startFor(line, true);
      this.addRow(m, line);
    } else if (RULE_LINE.test(t)) {
      if (this.current) this.touch(line);
    } else if ((m = TOTAL_LINE.exec(t) ?? PSS_TOTAL_LINE.exec(t))) {
      this.startFor(line, !t.startsWith("total kB")); // procps's footer says kB, BusyBox's does not
      this.setTotals(m, line);
      this.close();
    } else if (DATE_LINE.test(t) || takenAtComment(t) !== null) {
      this.close();
      this.takenAt = DATE_LINE.test(t) ? t : (takenAtComment(t) ?? t);
    } else if (!PROMPT_OR_COMMENT.test(t)) {
      const where = this.current
        ? "a pmap -x row"
        : "a `PID:   command` line, the `Address … Mapping` header or a `date` line";
      this.warn(
        this.current ? "pmap/bad-row" : "pmap/unrecognized-line",
        `line not understood — expected ${where} — received \`${clip(t)}\``,
        line,
      );
    }
  }

  /** Closes the snapshot being read (call at end of input). */
  end(): void {
    this.close();
  }

  private start(line: number, pid: number | null, command: string | null): void {
    const snap: PmapSnapshot = {
      source: { file: this.file, line, endLine: line },
      pid,
      command,
      mappings: [],
      totalSizeBytes: null,
      totalRssBytes: null,
      totalDirtyBytes: null,
    };
    if (this.takenAt !== undefined) snap.takenAtText = this.takenAt;
    if (this.diffSide) snap.diffSide = this.diffSide;
    this.takenAt = undefined;
    this.current = { snap, lastLine: line, dashRss: false };
  }

  // The snapshot a row or total line belongs to: the open one, or a new one (BusyBox's `-q`
  // prints no header); `pss`: the line has BusyBox's shape.
  private startFor(line: number, pss: boolean): void {
    if (!this.current) this.start(line, null, null);
    if (pss) this.current!.snap.resident = "pss";
  }

  private touch(line: number): void {
    if (this.current) this.current.lastLine = line;
  }

  // procps-ng ≥ 3.3.x may print a mapping twice, the copy with zero sizes: the copy is merged
  // into the previous row of the same address (field-wise maximum), so sums stay right.
  private addRow(m: RegExpExecArray, line: number): void {
    const cur = this.current!;
    cur.dashRss ||= m[3] === "-" || m[4] === "-";
    const row: PmapMapping = {
      address: m[1]!.toLowerCase(),
      sizeBytes: this.bytes(m[2]!, line),
      rssBytes: this.bytes(m[3]!, line),
      dirtyBytes: this.bytes(m[4]!, line),
      mode: m[5]!,
      mapping: (m[6] ?? "").trim(),
      line,
    };
    const prev = cur.snap.mappings.at(-1);
    if (prev && prev.address === row.address) {
      prev.sizeBytes = Math.max(prev.sizeBytes, row.sizeBytes);
      prev.rssBytes = Math.max(prev.rssBytes, row.rssBytes);
      prev.dirtyBytes = Math.max(prev.dirtyBytes, row.dirtyBytes);
      prev.mapping ||= row.mapping;
    } else cur.snap.mappings.push(row);
    this.touch(line);
  }

  private setTotals(m: RegExpExecArray, line: number): void {
    const snap = this.current!.snap;
    snap.totalSizeBytes = this.bytes(m[1]!, line);
    snap.totalRssBytes = m[2] === "-" ? null : this.bytes(m[2]!, line);
    snap.totalDirtyBytes = m[3] === "-" ? null : this.bytes(m[3]!, line);
    this.touch(line);
  }

  // kB column → bytes; `-` (not reported) → 0, flagged once per snapshot in close().
  private bytes(kbText: string, line: number): number {
    if (kbText === "-") return 0;
    const bytes = kib(Number(kbText));
    // Property tests (test/property): a 400-digit kB column overflowed to Infinity bytes; read it as 0 with a warning.
    if (!Number.isFinite(bytes)) {
      this.warn(
        "pmap/imprecise-number",
        `size out of range — expected a kB count below 2^43 — received ${clip(kbText)}`,
        line,
      );
      return 0;
    }
    if (!Number.isSafeInteger(bytes)) {
      this.warn(
        "pmap/imprecise-number",
        `size loses precision — expected a kB count below 2^43 — received ${clip(kbText)}`,
        line,
      );
    }
    return bytes;
  }

  private close(): void {
    const cur = this.current;
    if (!cur) return;
    this.current = null;
    const { snap } = cur;
    snap.source.endLine = cur.lastLine;
    if (snap.mappings.length === 0 && snap.totalSizeBytes === null && snap.pid === null) return;
    if (cur.dashRss) {
      this.warn(
        "pmap/rss-not-reported",
        "RSS/Dirty shown as `-` (old procps without smaps) — expected kB counts — received `-`, counted as 0",
        snap.source.line!,
      );
    }
    if (snap.totalSizeBytes === null) {
      this.warn(
        "pmap/missing-total",
        `snapshot has no \`total kB\` row — expected it after the last mapping — received ${snap.mappings.length} rows (truncated capture?)`,
        cur.lastLine,
      );
    } else if (snap.totalSizeBytes !== null && snap.mappings.length > 0 && !this.diffSide) {
      const sum = snap.mappings.reduce((a, r) => a + r.sizeBytes, 0);
      if (sum !== snap.totalSizeBytes) {
        this.warn(
          "pmap/total-mismatch",
          `rows do not add up to \`total kB\` — expected ${snap.totalSizeBytes / 1024} kB — received ${sum / 1024} kB over ${snap.mappings.length} rows (rows missing or edited?)`,
          cur.lastLine,
        );
      }
    }
    this.snapshots.push(snap);
  }
}

/** Control characters (binary input) are shown as `?` in warning messages. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g;

/** Shortens a received text for a warning message and masks control characters. */
function clip(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return shown.replace(CONTROL_CHARS, "?");
}

/** The time text of a `# taken at 2026-06-09 11:01:17 UTC` comment (one with a time of day), or null. */
function takenAtComment(t: string): string | null {
  if (!t.startsWith("#")) return null;
  const rest = t.replace(TAKEN_AT_LABEL, "").trim();
  return TIME_OF_DAY.test(rest) ? rest : null;
}
