/**
 * pmap: `pmap -x PID` (procps `pmap.c`, extended format; BusyBox's, with PSS for RSS: see
 * `pmap/reader.ts`) — one or more snapshots per file,
 * `pmap -xp` (full paths), snapshots preceded by a `date` line or `# taken at …` comment
 * (kept verbatim as `takenAtText`), and a unified `diff -u` of two `pmap -x` outputs, which
 * becomes two snapshots: `diffSide: "before"` (context and `-` lines) and `"after"` (context
 * and `+` lines). With hunks, each side holds only the rows the diff shows.
 * Sizes are kB in the source and bytes in the facts. procps-ng rows repeated with zero sizes
 * are merged into the previous row of the same address (see `PmapReader`).
 *
 * Sample input:
 * ```text
 * 4299:   ./memory-user 1000 100
 * Address           Kbytes     RSS   Dirty Mode  Mapping
 * 000055d09b7a9000     132       4       4 rw---   [ anon ]
 * 00007fed800fa000 4096004 1006616 1006616 rw---   [ anon ]
 * ---------------- ------- ------- -------
 * total kB         4096136 1006620 1006620
 * ```
 */
import { emptyFacts, type FactSet } from "../model/facts.js";
import { warning } from "../model/source.js";
import { PmapReader } from "./pmap/reader.js";
import type { ArtifactSource, Ingester } from "./types.js";
import { pushAll } from "../util/arrays.js";

/** The -x header anywhere in the head (procps's RSS, BusyBox's PSS and Swap), also as a diff line (` `, `-`, `+` prefix) or indented. */
const SNIFF_HEADER =
  /^[ \t]*(?:[-+][ \t]*)?Address[ \t]+Kbytes[ \t]+(?:RSS|PSS)[ \t]+Dirty[ \t]+(?:Swap[ \t]+)?Mode[ \t]+Mapping[ \t]*\r?$/m;

/** The -x footer `total kB  4098500 1008172 1006700`, also as a diff line. */
const SNIFF_TOTAL = /^[ \t]*(?:[-+][ \t]*)?total kB[ \t]+\d+[ \t]+(?:\d+|-)[ \t]+(?:\d+|-)[ \t]*\r?$/m;

/** diffutils unified header: `--- pmap-1100.txt\t2026-06-09 11:00:00.000000000 +0000` (`+++` for the new file). */
const DIFF_FILE_HEADER = /^(---|\+\+\+) \S[^\t]*(?:\t(.*))?$/;

/** Unified hunk header `@@ -1,27 +1,27 @@`, and git's `diff --git a/x b/x` / `index 3f1c2a7..9b4d4c1 100644`. */
const DIFF_NOISE = /^(?:@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@|diff |index [0-9a-f]+\.\.[0-9a-f]+|\\ No newline)/;

/** At most this many line warnings per file; the rest are counted in one summary warning. */
const MAX_LINE_WARNINGS = 50;

export const pmap: Ingester = {
  kind: "pmap",
  description:
    "procps pmap -x / -xp and BusyBox pmap -x snapshots (one or several per file, optionally dated) and diff -u of two",
  nameHint: /pmap/i,

  sniff(head: string): boolean {
    return SNIFF_HEADER.test(head) || SNIFF_TOTAL.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let lineWarnings = 0;
    let lastLine = 0;
    const seen = new Set<string>();
    const warn = (code: string, message: string, line: number): void => {
      // A diff context line is read by both sides: report it once.
      if (seen.has(`${code}:${line}`)) return;
      seen.add(`${code}:${line}`);
      if (++lineWarnings <= MAX_LINE_WARNINGS)
        facts.diagnostics.push(warning(code, message, { file: source.path, line }));
    };
    const plain = new PmapReader(source.path, warn);
    let sides: { before: PmapReader; after: PmapReader } | null = null;
    const readers: PmapReader[] = [plain];
    for await (const { text, line } of source.lines()) {
      lastLine = line;
      const header = DIFF_FILE_HEADER.exec(text);
      if (header) {
        // `---` opens a new file pair; each side keeps its header's timestamp as takenAtText.
        if (header[1] === "---" || !sides) {
          sides?.before.end();
          sides?.after.end();
          sides = {
            before: new PmapReader(source.path, warn, "before"),
            after: new PmapReader(source.path, warn, "after"),
          };
          readers.push(sides.before, sides.after);
        }
        if (header[2]) (header[1] === "---" ? sides.before : sides.after).setTakenAt(header[2].trim());
      } else if (!sides) plain.feed(text, line);
      else if (!DIFF_NOISE.test(text)) routeDiffLine(text, line, sides);
    }
    for (const r of readers) {
      r.end();
      pushAll(facts.pmaps, r.snapshots);
    }
    facts.pmaps.sort((a, b) => (a.source.line ?? 0) - (b.source.line ?? 0));
    if (lineWarnings > MAX_LINE_WARNINGS) {
      facts.diagnostics.push(
        warning(
          "pmap/too-many-warnings",
          `${lineWarnings - MAX_LINE_WARNINGS} more bad lines not listed — expected pmap -x output — received ${lineWarnings} bad lines`,
          { file: source.path, line: lastLine },
        ),
      );
    }
    if (facts.pmaps.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "pmap/no-data",
        message:
          "no pmap snapshot read — expected `PID:   command`, the `Address  Kbytes  RSS  Dirty Mode  Mapping` header and rows — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

/** A unified diff body line: ` ` context goes to both sides, `-` to before, `+` to after. */
function routeDiffLine(text: string, line: number, sides: { before: PmapReader; after: PmapReader }): void {
  const mark = text[0];
  const body = text.slice(1);
  if (mark === "-") sides.before.feed(body, line);
  else if (mark === "+") sides.after.feed(body, line);
  else {
    // Context (` `), or an empty line from an editor that stripped the trailing space.
    sides.before.feed(mark === " " ? body : text, line);
    sides.after.feed(mark === " " ? body : text, line);
  }
}
