/**
 * One entry of `journalctl -o json` (one object per line) or `-o json-seq` (the same after an
 * ASCII RS, RFC 7464); `-o json-pretty` spreads each entry over lines (`{`, one `"KEY" : value`
 * per line, `}`), which `PrettyJournal` joins back into one. Format: systemd `src/shared/logs-show.c`
 * (`output_json`, `update_json_data`) and journalctl(1): every field of the entry by name, in no
 * fixed order (compact in systemd ≥ 250, `"KEY" : "value", ` with spaces before); a value is a
 * string, an array of byte values when it is not printable UTF-8, null when it is 4096 bytes or
 * longer (without `--all`), or an array of such values when the entry has the field twice.
 * `__REALTIME_TIMESTAMP` and `__MONOTONIC_TIMESTAMP` are µs as decimal strings (wall clock UTC,
 * CLOCK_MONOTONIC of the boot); kernel entries (`_TRANSPORT=kernel`) also carry
 * `_SOURCE_MONOTONIC_TIMESTAMP`, the printk time, which is what `dmesg` prints.
 *
 * Sample input:
 * ```text
 * {"__CURSOR":"s=5d7f1c2a9e4b4c1f8a3b2c1d0e9f8a7b;i=3f1a;b=0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f;m=2c1b7e2a;t=5ff0c3e2a1b40;x=9a8b7c6d5e4f3a2b","__REALTIME_TIMESTAMP":"1780916537123456","__MONOTONIC_TIMESTAMP":"1178612734","_BOOT_ID":"0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f","_TRANSPORT":"kernel","PRIORITY":"3","SYSLOG_FACILITY":"0","SYSLOG_IDENTIFIER":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"1178612734","_HOSTNAME":"node-1","MESSAGE":"Memory cgroup out of memory: Killed process 31744 (worker) total-vm:1843212kB, anon-rss:519880kB, file-rss:3412kB, shmem-rss:0kB, UID:1000 pgtables:1164kB oom_score_adj:985"}
 * ```
 */

// What json-seq puts before an entry's `{` (ASCII RS).
const RECORD_SEPARATOR = "\u001e";
const MESSAGE_KEY = '"MESSAGE"';
const DIGITS = /^\d{1,20}$/;
/** How `journalctl -o json-pretty` starts: `{` alone, then an indented `"FIELD" : ` line. */
const PRETTY_HEAD = /^\s*\{[ \t]*\r?\n[ \t]+"[A-Z_][A-Z0-9_]*"[ \t]*:/;
/** A line that ends a pretty entry (`}` at the margin). */
const PRETTY_END = /^\}[ \t]*\r?$/;
/** A pretty entry longer than this (lines, characters) is not one (a hostile file): dropped. */
const MAX_PRETTY_LINES = 1000;
const MAX_PRETTY_CHARS = 1 << 20;

/** True when `head` is `journalctl -o json-pretty` output (its first entry's fields, a MESSAGE among them). */
export function isPrettyJournal(head: string): boolean {
  return PRETTY_HEAD.test(head) && head.includes(MESSAGE_KEY);
}

/**
 * Joins the lines of `journalctl -o json-pretty` entries: each `{ … }` becomes one line (the
 * compact object, numbered at its `MESSAGE` line) for `stripPrefix`; lines outside an entry pass
 * as they are. An entry cut by the end of the file is dropped.
 */
export class PrettyJournal {
  private lines: string[] = [];
  private chars = 0;
  private messageLine = 0;
  private open = false;

  /** One line of the file; what to read for it (none while an entry is open). */
  feed(input: { text: string; line: number }): { text: string; line: number }[] {
    if (!this.open) {
      if (input.text.trim() !== "{") return [input];
      this.open = true;
      this.lines = [input.text];
      this.chars = input.text.length;
      this.messageLine = input.line;
      return [];
    }
    this.lines.push(input.text);
    this.chars += input.text.length;
    if (input.text.includes(MESSAGE_KEY)) this.messageLine = input.line;
    if (PRETTY_END.test(input.text)) {
      this.open = false;
      return [{ text: compact(this.lines.join("\n")), line: this.messageLine }];
    }
    if (this.lines.length > MAX_PRETTY_LINES || this.chars > MAX_PRETTY_CHARS) this.open = false;
    return [];
  }

  /** Nothing: an entry still open at the end of the file was cut and is dropped. */
  end(): { text: string; line: number }[] {
    return [];
  }
}

// One entry on one line (what -o json prints), or the text as is when it is not JSON.
function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.replaceAll("\n", " ");
  }
}

/** What one journal entry says, for `stripPrefix`. */
export interface JournalEntry {
  /** MESSAGE (bytes decoded as UTF-8; `""` when journalctl left it out as too long). */
  message: string;
  /** `__REALTIME_TIMESTAMP` in epoch ms (UTC), or null. */
  wallMs: number | null;
  /** `_SOURCE_MONOTONIC_TIMESTAMP`, else `__MONOTONIC_TIMESTAMP`, in seconds since boot, or null. */
  uptimeSec: number | null;
  /** `_HOSTNAME`, or null. */
  host: string | null;
  /** `_TRANSPORT=kernel` or `SYSLOG_IDENTIFIER=kernel`. */
  kernel: boolean;
}

/**
 * Reads one line as a journal entry; null when it is not one (not a JSON object, no MESSAGE,
 * a line cut short). Never throws.
 */
export function journalEntry(text: string): JournalEntry | null {
  const body = text.startsWith(RECORD_SEPARATOR) ? text.slice(1) : text;
  if (!body.startsWith("{") || !body.includes(MESSAGE_KEY)) return null;
  let entry: unknown;
  try {
    entry = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry) || !("MESSAGE" in entry)) return null;
  const e = entry as Record<string, unknown>;
  const realtime = micros(e["__REALTIME_TIMESTAMP"]);
  const monotonic = micros(e["_SOURCE_MONOTONIC_TIMESTAMP"]) ?? micros(e["__MONOTONIC_TIMESTAMP"]);
  return {
    message: valueText(e["MESSAGE"]) ?? "",
    wallMs: realtime === null ? null : Math.round(realtime / 1000),
    uptimeSec: monotonic === null ? null : monotonic / 1e6,
    host: valueText(e["_HOSTNAME"]),
    kernel: valueText(e["_TRANSPORT"]) === "kernel" || valueText(e["SYSLOG_IDENTIFIER"]) === "kernel",
  };
}

// A field's value as text: a string, bytes (decoded as UTF-8), the first of repeated values.
function valueText(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (!Array.isArray(v) || v.length === 0) return null;
  if (v.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255))
    return Buffer.from(v as number[]).toString("utf8");
  return valueText(v[0]);
}

// A µs timestamp field (decimal string), or null.
function micros(v: unknown): number | null {
  const t = valueText(v);
  if (t === null || !DIGITS.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
