/**
 * `journalctl -o verbose`: each entry is a header line, its time in the reader's zone and its
 * cursor, then one `    FIELD=value` line per field (a value's later lines indented under its
 * first). `VerboseJournal` turns each entry into the one-line JSON of `journalctl -o json`, so
 * `journalEntry` (journal-json.ts) reads it like any other journal entry. The cursor's `t=` and
 * `m=` are the entry's realtime (µs since the epoch, UTC) and monotonic (µs since boot) in hex:
 * they give `__REALTIME_TIMESTAMP` and `__MONOTONIC_TIMESTAMP`, so the zone name in the header
 * (`CET`) is not needed. With `--output-fields=MESSAGE` the entry has no `_TRANSPORT`: an entry
 * that names no transport nor identifier is read as a kernel message (what `-k` selects).
 * Format: systemd `src/shared/logs-show.c` (`output_verbose`, `print_multiline`),
 * `src/libsystemd/sd-journal/sd-journal.c` (`sd_journal_get_cursor`: `s=…;i=…;b=…;m=…;t=…;x=…`).
 *
 * Sample input (Azure/WALinuxAgent#2749):
 * ```text
 * Thu 2023-02-02 11:49:13.015489 CET [s=1d8f87cf60064ba690c44490f14bb3e3;i=10823659;b=796d12a513054cf1bbde201dd1bca9a1;m=1f6726955fe3;t=5f3b550c118c1;x=e5347f6b24873f0c]
 *     MESSAGE=Memory cgroup out of memory: Killed process 2855014 (tail) total-vm:4296kB, anon-rss:60kB, file-rss:516kB, shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0
 * ```
 */

// "%s [%s]": format_timestamp_style(TIMESTAMP_US) (`Thu 2023-02-02 11:49:13.015489 CET`, weekday and
// zone optional) and the cursor.
const HEADER =
  /^(?:[^\s\d]+ )?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: \S+)? \[s=[0-9a-f]+;i=[0-9a-f]+;b=[0-9a-f]+;m=([0-9a-f]+);t=([0-9a-f]+);x=[0-9a-f]+\]\s*$/;
// "    %.*s=" then the value; a value printed as `[N bytes blob data]` is not text.
const FIELD = /^ {4}([A-Z_][A-Z0-9_]*)=(.*)$/;
const CONTINUATION = /^ {5,}\S/;
const HEX_DIGITS = 13; // µs since 1970 stay below 16^13 until the year 2112

/** True when the head's first non-empty line is a `journalctl -o verbose` entry header. */
export function isVerboseJournal(head: string): boolean {
  const first = head.trimStart().split("\n", 1)[0] ?? "";
  return HEADER.test(first.trimEnd());
}

/**
 * Joins the lines of `journalctl -o verbose` entries: each entry becomes one `-o json` line,
 * numbered at its MESSAGE line. Lines before the first entry pass as they are.
 */
export class VerboseJournal {
  private entry: Record<string, string> | null = null;
  private messageLine = 0;
  private last: string | null = null;

  /** One line of the file; the entry it ends (if any) as one line. */
  feed(input: { text: string; line: number }): { text: string; line: number }[] {
    const text = input.text.trimEnd();
    const header = HEADER.exec(text);
    if (header) {
      const done = this.end();
      this.entry = { __MONOTONIC_TIMESTAMP: hexMicros(header[1]!), __REALTIME_TIMESTAMP: hexMicros(header[2]!) };
      this.messageLine = input.line;
      return done;
    }
    if (this.entry === null) return [input];
    const field = FIELD.exec(text);
    if (field) {
      this.last = Object.hasOwn(this.entry, field[1]!) ? null : field[1]!;
      if (this.last !== null) this.entry[this.last] = field[2]!;
      if (field[1] === "MESSAGE") this.messageLine = input.line;
    } else if (this.last !== null && CONTINUATION.test(text)) {
      this.entry[this.last] += `\n${text.trim()}`;
    }
    return [];
  }

  /** The entry still open at the end of the file. */
  end(): { text: string; line: number }[] {
    const e = this.entry;
    this.entry = null;
    this.last = null;
    if (e === null || e["MESSAGE"] === undefined) return [];
    if (e["_TRANSPORT"] === undefined && e["SYSLOG_IDENTIFIER"] === undefined) e["_TRANSPORT"] = "kernel";
    return [{ text: JSON.stringify(e), line: this.messageLine }];
  }
}

// A cursor's hex µs as the decimal string `-o json` prints.
function hexMicros(hex: string): string {
  return hex.length <= HEX_DIGITS ? String(parseInt(hex, 16)) : "";
}
