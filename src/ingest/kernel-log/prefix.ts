/**
 * Kernel log line prefixes: strips what `dmesg`, `journalctl`, syslog, `/dev/kmsg` and
 * `talosctl` put in front of a kernel message and keeps the time each one carries.
 * Formats: util-linux `dmesg(1)` (`-T`, `-x`, `--time-format iso`), `journalctl(1)` output
 * modes (short, short-iso, short-precise, short-unix, short-monotonic, short-delta, short-full,
 * cat: no prefix; json, json-seq and json-pretty in `journal-json.ts`), RFC 3164/5424 syslog as
 * rsyslog writes it, the kernel's `Documentation/ABI/testing/dev-kmsg`. `dmesg -T` and
 * journalctl short(-precise) print the month (and `dmesg -T` the weekday) in the node's
 * locale: months are read by `util/month-names.ts`, in any case; a stamp whose month is not
 * one of them keeps its line, without a time, and says why (`timeUnread`).
 *
 * Sample input (one line of each shape):
 * ```text
 * [75669.703275] Out of memory: Killed process 517 (clamd) …
 * [Thu Dec  7 00:05:15 2017] Killed process 28438 (java) …
 * kern  :info  : [Thu Aug 17 17:29:27 2023] memory: usage 208204kB, limit 204800kB, failcnt 7470
 * 2026-06-09T11:02:17,123456+00:00 oom_reaper: reaped process 517 (clamd), …
 * Dec 20 03:17:52 node-4jdugq kernel: [75669.581768] f2b/f.postfix invoked oom-killer: …
 * jun 20 03:23:46.123456 node-1 kernel: Memory cgroup out of memory: Killed process …
 * [二 6月 10 09:15:02 2025] Memory cgroup out of memory: Killed process …
 * 1690138606.123456 node-1 kernel: Memory cgroup out of memory: Killed process …
 * Tue 2026-06-09 11:02:17 UTC node-1 kernel: Memory cgroup out of memory: Killed process …
 * 6,1204417,912833411207,-;memory: usage 262144kB, limit 262144kB, failcnt 94
 * 10.1.2.3: kern:    info: [2026-02-11T08:15:42.104611907Z]: oom-kill:constraint=…
 * ```
 */
import type { KernelTime } from "../../model/facts.js";
import { monthIndex } from "../../util/month-names.js";
import type { Line } from "../types.js";
import { journalEntry } from "./journal-json.js";

/** One kernel log line with its prefix removed. */
export interface KernelLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line as found (trimmed), for evidence. */
  raw: string;
  /** The kernel message without prefix, trimmed. */
  message: string;
  time: KernelTime;
  /** Host from syslog/journal/talosctl prefixes. */
  host: string | null;
  /** True when a time/facility/record prefix was recognised and removed. */
  prefixed: boolean;
  /** False for syslog/journal lines written by another program (tag other than `kernel`). */
  kernel: boolean;
  /** The line had a syslog/journal `host tag:` part. */
  syslog: boolean;
  /** An unprefixed line inside a prefixed file (util-linux indented continuation, hard wrap). */
  continuation: boolean;
  /** Set when the prefix carried a time no clock can show (see `MAX_UPTIME_SEC`): why it was dropped. */
  timeRejected?: string;
  /** Set when a wall-clock prefix was recognised but its date cannot be read (a month name in no known locale): why. */
  timeUnread?: string;
}

/** What `stripPrefix` finds in one line. */
export type StrippedLine = Omit<KernelLine, "line" | "raw" | "continuation">;

/** The time of a line without any clock. */
const NO_TIME: KernelTime = { wallMs: null, uptimeSec: null, clock: "none" };

/**
 * Largest uptime taken as a time (10⁹ s, about 31 years). printk stamps are 64-bit, so a
 * corrupt or forged line can carry `[9000000000000.0]`, which no date can hold; such a time is
 * dropped (the line is still read) and `timeRejected` says so.
 */
const MAX_UPTIME_SEC = 1e9;

/** Messages longer than this are cut before matching (printk records are ≤ 1 KiB). */
const MAX_MESSAGE_CHARS = 8192;

// talosctl dmesg: `10.1.2.3: kern:    info: [2026-02-11T08:15:42.104611907Z]: msg`
const TALOS = /^(\S+?): ([a-z0-9]+): *([a-z]+): \[(\d{4}-\d{2}-\d{2}T[^\]]+)\]: ?/;

// dmesg -x (--decode): `kern  :warn  : ` facility and level, each padded to a column.
const FACILITY_LEVEL =
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res[0-3]|local[0-7]) *:(?:emerg|alert|crit|err|warn|notice|info|debug) *: ?/;

// dmesg -r / syslog priority: `<6>`.
const PRIORITY = /^<\d{1,3}>/;

// /dev/kmsg record (Documentation/ABI/testing/dev-kmsg): "prio,seq,usec,flags[,…];msg"
// e.g. `6,1204417,912833411207,-;memory: usage 262144kB, …`
const KMSG = /^\d{1,3},\d+,(\d+),[^;]*;/;

// Newlines of multi-line records: escaped by /dev/kmsg `anon 123\x0afile 456` and rsyslog
// `cache 0#012rss 4096`, real in a journal entry's MESSAGE.
const ESCAPED_NEWLINE = /\\x0a|#012|\n/;

// raw dmesg: `[   12.345678] `, with `dmesg -d` also `[   12.345678 <    0.000123>] `;
// journalctl -o short-delta `[  12.345678 <    0.000123 >] ` (`*>` when the delta is not reliable).
const UPTIME = /^\[\s*(\d+\.\d+)(?:\s*<\s*\d+\.\d+[ *]?>)?\] ?/;

// dmesg -d / -H deltas: `[  +0.000123] `.
const DELTA = /^\[\s*\+\s*\d+\.\d+\] ?/;

// dmesg -T `[Wed Sep 16 17:51:34 2026] `, other locales `[二 6月 10 09:15:02 2025] `, -H `[Jun 9 11:02] `.
// Read by bracketWall(): the text up to the first `]`, holding a time of day and no `[`.
const TIME_OF_DAY = /\d{1,2}:\d{2}/;

// dmesg --time-format iso: `2026-06-09T11:02:17,123456+00:00 ` (a comma before the fraction).
const DMESG_ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}),(\d+)(Z|[+-]\d{2}:?\d{2}) /;

// RFC 3339 syslog and journalctl short-iso(-precise): `2026-06-09T11:02:17.123456+00:00 `, `…17+0000 `.
const ISO_STAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})? /;

// journalctl short-full: `Tue 2026-06-09 11:02:17 UTC ` (also `…17.123456 CEST `, `…17 +0200 `);
// systemd before 236 took the weekday from strftime("%a") in the node's locale: `火 …`, `mar. …`.
const FULL_STAMP = /^[^\s\d]{1,6} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))? ([+-]\d{4}|[A-Z]{3,5}) /;

// journalctl short-unix: `1690138606.123456 ` (epoch seconds; always followed by `host tag: `).
const EPOCH_STAMP = /^(\d{9,11})(?:\.(\d+))? /;

// BSD syslog / journalctl short(-precise): `Dec 20 03:17:52 `, `Feb  3 14:07:51.123456 ` (no year);
// journalctl's strftime("%b %d %H:%M:%S") in the node's locale: `jun 20 03:23:46 `, `Mär 13 …`,
// `déc. 20 …`, `10月 16 09:50:55 `, ja ` 6月 20 …` (its %b is space-padded). The month token is
// read by monthIndex(); `(\S{1,12})` only bounds it.
const BSD_STAMP = /^ *(\S{1,12}) +(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) /;

// After a syslog time: `host kernel: `, `kernel: ` (no host), `host systemd[1]: `, busybox `host kern.warn kernel: `.
const SYSLOG_TAG = /^(?:([^\s:[\]]+) )?(?:[a-z0-9]+\.[a-z]+ )?([^\s:[\]]+)(?:\[\d+\])?: ?/;

const CLOCK_TOKEN = /^(\d{1,2}):(\d{2}):(\d{2})$/;
const YEAR_TOKEN = /^\d{4}$/;
const DAY_TOKEN = /^\d{1,2}$/;
const ZONE_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const WHITESPACE_RUN = /\s+/g;
const FRACTION_HEAD = /^\.\d+/;

/**
 * Removes the prefix of one line. Never throws; a line with no known prefix comes back with
 * `prefixed: false`, `time` = `NO_TIME` and the whole (trimmed) text as `message`.
 */
export function stripPrefix(text: string): StrippedLine {
  let rest = text;
  let time: MaybeRejected = NO_TIME;
  let host: string | null = null;
  let prefixed = false;
  let kernel = true;
  let syslog = false;
  let m: RegExpExecArray | null;

  const entry = rest.includes('"MESSAGE"') ? journalEntry(rest) : null;
  if (entry) {
    const uptime: MaybeRejected = entry.uptimeSec === null ? NO_TIME : uptimeTime(entry.uptimeSec);
    time =
      entry.wallMs === null
        ? uptime
        : {
            wallMs: entry.wallMs,
            uptimeSec: uptime.uptimeSec,
            clock: "utc",
            ...(uptime.rejected ? { rejected: uptime.rejected } : {}),
          };
    return done(entry.message, time, entry.host, true, entry.kernel, true);
  }
  if ((m = TALOS.exec(rest))) {
    host = m[1]!;
    time = isoTime(m[4]!.slice(0, 10), m[4]!.slice(11, 19), fractionOf(m[4]!), zoneOf(m[4]!));
    return done(rest.slice(m[0].length), time, host, true, true, false);
  }
  if ((m = FACILITY_LEVEL.exec(rest))) {
    rest = rest.slice(m[0].length);
    prefixed = true;
  }
  if ((m = PRIORITY.exec(rest))) {
    rest = rest.slice(m[0].length);
    prefixed = true;
  }
  if ((m = KMSG.exec(rest))) {
    time = uptimeTime(Number(m[1]) / 1e6);
    return done(rest.slice(m[0].length), time, null, true, true, false);
  }
  if ((m = UPTIME.exec(rest))) {
    time = uptimeTime(Number(m[1]));
    rest = rest.slice(m[0].length);
    // journalctl -o short-monotonic: `[ 1234.567890] host kernel: msg`.
    const tag = SYSLOG_TAG.exec(rest);
    if (tag && tag[2] === "kernel") {
      host = tag[1] ?? null;
      rest = rest.slice(tag[0].length);
      syslog = true;
    }
    return done(rest, time, host, true, true, syslog);
  }
  if ((m = DELTA.exec(rest))) return done(rest.slice(m[0].length), NO_TIME, null, true, true, false);
  const wall = bracketWall(rest);
  if (wall) return done(rest.slice(wall.length), bracketWallTime(wall.inner), null, true, true, false);
  if ((m = DMESG_ISO.exec(rest))) {
    time = isoTime(m[1]!, m[2]!, m[3] ?? "", m[4]!);
    return done(rest.slice(m[0].length), time, null, true, true, false);
  }

  if (lastStamp !== null && rest.startsWith(lastStamp.prefix)) {
    const { prefix, time: stampTime, host: stampHost, kernel: stampKernel } = lastStamp;
    return afterTag(rest.slice(prefix.length), stampTime, stampHost, stampKernel);
  }
  let stamped = false;
  let month: number | null; // of a BSD stamp
  if ((m = ISO_STAMP.exec(rest))) {
    time = isoTime(m[1]!, m[2]!, m[3] ?? "", m[4] ?? null);
    stamped = true;
  } else if ((m = FULL_STAMP.exec(rest))) {
    const zone = m[4] === "UTC" || m[4] === "GMT" ? "Z" : ZONE_OFFSET.test(m[4]!) ? m[4]! : null;
    time = isoTime(m[1]!, m[2]!, m[3] ?? "", zone);
    stamped = true;
  } else if ((m = EPOCH_STAMP.exec(rest)) && SYSLOG_TAG.test(rest.slice(m[0].length))) {
    const ms = Number(m[1]) * 1000 + Number(`0.${m[2] ?? "0"}`) * 1000;
    time = { wallMs: Math.round(ms), uptimeSec: null, clock: "utc" };
    stamped = true;
  } else if (
    (m = BSD_STAMP.exec(rest)) &&
    ((month = monthIndex(m[1]!)) !== null || SYSLOG_TAG.test(rest.slice(m[0].length)))
  ) {
    // A token that names no month is a stamp only when a `host tag:` follows; its time is unread.
    const wallText = `${m[1]} ${m[2]} ${m[3]}`;
    time = { wallMs: null, uptimeSec: null, clock: "local", wallText };
    if (month === null) time.unread = unreadMonth(wallText, m[1]!);
    stamped = true;
  }
  if (!stamped || !m) return done(rest, time, host, prefixed, kernel, syslog);

  const afterStamp = rest.slice(m[0].length);
  const tag = SYSLOG_TAG.exec(afterStamp);
  if (!tag) return done(afterStamp, time, host, true, kernel, syslog);
  host = tag[1] ?? null;
  kernel = tag[2] === "kernel";
  if (tag[0].endsWith(" ")) lastStamp = { prefix: rest.slice(0, m[0].length + tag[0].length), time, host, kernel };
  return afterTag(afterStamp.slice(tag[0].length), time, host, kernel);
}

// The last `stamp host tag: ` prefix read (after any facility or priority) and what it says: the
// lines of a report share one (1 GiB journal, 100 reports: ~6,000 lines read, 5.5 -> 3.5 us a
// line cold). A line that starts with it reads the same stamp and tag: the stamp regexes and
// SYSLOG_TAG end their matches at spaces inside it, and it is kept only when it ends at one.
// Its time is only read (`done` copies it).
let lastStamp: { prefix: string; time: MaybeRejected; host: string | null; kernel: boolean } | null = null;

// The message after a syslog `host tag: `: a kernel line may carry an uptime too (`kernel: [1234.5] `).
function afterTag(rest: string, stamp: MaybeRejected, host: string | null, kernel: boolean): StrippedLine {
  const up = kernel ? UPTIME.exec(rest) : null;
  if (!up) return done(rest, stamp, host, true, kernel, true);
  const uptime = uptimeTime(Number(up[1]));
  const time: MaybeRejected =
    uptime.clock === "none" ? { ...stamp, rejected: uptime.rejected } : { ...stamp, uptimeSec: uptime.uptimeSec };
  return done(rest.slice(up[0].length), time, host, true, kernel, true);
}

/**
 * A stateful reader for one file: strips prefixes and treats an unprefixed line that follows
 * prefixed ones as a continuation (util-linux indents the later lines of a multi-line record
 * under the message column; mail clients and terminals hard-wrap long lines), giving it the
 * previous line's time and host. A record with escaped newlines (`/dev/kmsg` `\x0a`, rsyslog
 * `#012`) or a journal MESSAGE with newlines becomes several lines.
 */
export class LineReader {
  private last: KernelLine | null = null;

  /** Reads one line of the file; returns one or more kernel lines (same line number). */
  read(input: Line): KernelLine[] {
    const raw = input.text.trim();
    const s = stripPrefix(input.text);
    const prev = this.last;
    const follows = !s.prefixed && prev !== null && (prev.prefixed || prev.continuation);
    const base = follows
      ? kernelLine(s, s.message, input.line, raw, prev)
      : kernelLine(s, s.message, input.line, raw, null);
    this.last = base;
    if (!ESCAPED_NEWLINE.test(s.message)) return [base];
    return s.message
      .split(ESCAPED_NEWLINE)
      .map((part) => kernelLine(base, part.trim(), base.line, raw, null, base.continuation));
  }
}

// One KernelLine from what stripPrefix found (`s`), as a continuation of `prev` when given (its time,
// host and kernel flag). Written out field by field: an object spread costs microseconds a line.
function kernelLine(
  s: StrippedLine,
  message: string,
  line: number,
  raw: string,
  prev: KernelLine | null,
  continuation = prev !== null,
): KernelLine {
  const out: KernelLine = prev
    ? {
        message,
        time: prev.time,
        host: prev.host,
        prefixed: s.prefixed,
        kernel: prev.kernel,
        syslog: false,
        line,
        raw,
        continuation,
      }
    : {
        message,
        time: s.time,
        host: s.host,
        prefixed: s.prefixed,
        kernel: s.kernel,
        syslog: s.syslog,
        line,
        raw,
        continuation,
      };
  if (s.timeRejected !== undefined) out.timeRejected = s.timeRejected;
  if (s.timeUnread !== undefined) out.timeUnread = s.timeUnread;
  return out;
}

/** A time with the reason it was dropped or not read (internal to `stripPrefix`, split off by `done`). */
type MaybeRejected = KernelTime & { rejected?: string; unread?: string };

// A seconds-since-boot stamp, or no time when it is out of range (`MAX_UPTIME_SEC`).
function uptimeTime(sec: number): MaybeRejected {
  if (Number.isFinite(sec) && sec <= MAX_UPTIME_SEC) return { wallMs: null, uptimeSec: sec, clock: "uptime" };
  return {
    ...NO_TIME,
    rejected: `uptime ${sec} s is out of range (more than ${MAX_UPTIME_SEC} s since boot); the line is read without a time`,
  };
}

// A host a poster blanked out before pasting (`...`, `…`, `<hostname>`, `xxxx`): no host, not a node name.
const PLACEHOLDER_HOST = /^(?:\.{2,}|…|<[^<>]*>|x{3,}|X{3,}|\*{3,})$/;

// Builds the result, trimming and bounding the message.
function done(
  rest: string,
  stamped: MaybeRejected,
  hostText: string | null,
  prefixed: boolean,
  kernel: boolean,
  syslog: boolean,
): StrippedLine {
  const host = hostText !== null && PLACEHOLDER_HOST.test(hostText) ? null : hostText;
  const message = (rest.length > MAX_MESSAGE_CHARS ? rest.slice(0, MAX_MESSAGE_CHARS) : rest).trim();
  // Field by field, not `{ rejected, unread, ...time }`: an object rest costs microseconds a line.
  const time: KernelTime = { wallMs: stamped.wallMs, uptimeSec: stamped.uptimeSec, clock: stamped.clock };
  if (stamped.wallText !== undefined) time.wallText = stamped.wallText;
  const out: StrippedLine = { message, time, host, prefixed, kernel, syslog };
  if (stamped.rejected !== undefined) out.timeRejected = stamped.rejected;
  if (stamped.unread !== undefined) out.timeUnread = stamped.unread;
  return out;
}

// The last `dmesg -T` stamp read and its time: a report's lines share one stamp (its result is
// only read: `done` copies it). 1 GiB dmesg -T with 100 reports: 18 ms of CPU to ~1.
let lastBracket: { text: string; time: MaybeRejected } | null = null;

function bracketWallTime(text: string): MaybeRejected {
  if (lastBracket?.text !== text) lastBracket = { text, time: readBracketWallTime(text) };
  return lastBracket.time;
}

// `dmesg -T` time, strftime "%a %b %e %H:%M:%S %Y" in the node's locale (the weekday is not
// needed): local wall clock, parsed as if UTC (KernelClock "local"); wallMs null, wallText kept
// and `unread` saying why when the month or date cannot be read. `-H` (`[Jun 9 11:02]`) has no
// year and is not a date here: no time, and nothing to warn about.
function readBracketWallTime(text: string): MaybeRejected {
  const wallText = text.trim().replace(WHITESPACE_RUN, " ");
  const none: MaybeRejected = { wallMs: null, uptimeSec: null, clock: "local", wallText };
  const [, monthName, dayText, clockText, yearText] = wallText.split(" ");
  const clock = CLOCK_TOKEN.exec(clockText ?? "");
  if (!clock || !DAY_TOKEN.test(dayText ?? "") || !YEAR_TOKEN.test(yearText ?? "")) return none;
  const month = monthIndex(monthName!);
  if (month === null) return { ...none, unread: unreadMonth(wallText, monthName!) };
  const day = Number(dayText);
  const ms = Date.UTC(Number(yearText), month, day, Number(clock[1]), Number(clock[2]), Number(clock[3]));
  const check = new Date(ms);
  if (!Number.isFinite(ms) || check.getUTCDate() !== day || check.getUTCMonth() !== month)
    return { ...none, unread: `the date \`${wallText}\` does not exist` };
  return { wallMs: ms, uptimeSec: null, clock: "local" };
}

// Why a stamp's time is not read: its month token.
function unreadMonth(wallText: string, token: string): string {
  return `the month \`${token}\` of \`${wallText}\` is not a month name of the locales read (en, de, fr, es, pt, it, nl, pl, ru, zh, ja, ko)`;
}

// ISO date + time + fraction digits + zone (`Z`, `+00:00`, `+0000`, or null = zone-less → local).
function isoTime(date: string, clock: string, fraction: string, zone: string | null): KernelTime {
  const ms = utcOf(date, clock) + Math.round(Number(`0.${fraction || "0"}`) * 1000);
  if (!Number.isFinite(ms)) return { wallMs: null, uptimeSec: null, clock: "none" };
  if (zone === null) return { wallMs: ms, uptimeSec: null, clock: "local" };
  const z = ZONE_OFFSET.exec(zone);
  const offsetMin = z ? (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) : 0;
  return { wallMs: ms - offsetMin * 60_000, uptimeSec: null, clock: "utc" };
}

// Date.UTC of `YYYY-MM-DD` and `HH:MM:SS`, read digit by digit (split and map cost a microsecond a
// line); any other shape (a talosctl stamp is checked only up to its `T`) is read with Number.
function utcOf(date: string, clock: string): number {
  if (
    date.length === 10 &&
    clock.length === 8 &&
    date[4] === "-" &&
    date[7] === "-" &&
    clock[2] === ":" &&
    clock[5] === ":"
  ) {
    const ms = Date.UTC(
      digits(date, 0, 4),
      digits(date, 5, 2) - 1,
      digits(date, 8, 2),
      digits(clock, 0, 2),
      digits(clock, 3, 2),
      digits(clock, 6, 2),
    );
    if (!Number.isNaN(ms)) return ms;
  }
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const [h, mi, s] = clock.split(":").map(Number) as [number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

// The decimal number in `text[from, from + n)`, or NaN when one of those is not a digit.
function digits(text: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return NaN;
    v = v * 10 + c;
  }
  return v;
}

// talosctl stamps: `2026-02-11T08:15:42.104611907Z`.
function fractionOf(stamp: string): string {
  const dot = stamp.indexOf(".", 19);
  if (dot < 0) return "";
  let end = dot + 1;
  while (end < stamp.length && stamp.charCodeAt(end) >= 48 && stamp.charCodeAt(end) <= 57) end++;
  return stamp.slice(dot + 1, end);
}

function zoneOf(stamp: string): string | null {
  if (stamp.endsWith("Z")) return "Z";
  const tail = stamp.slice(19).replace(FRACTION_HEAD, "");
  return ZONE_OFFSET.test(tail) ? tail : null;
}

/**
 * A bracketed wall-clock prefix (`[Wed Sep 16 17:51:34 2026] `): the text between `[` and the
 * first `]`, with no `[` inside and a time of day `H:MM`; `length` covers the brackets and one
 * following space. String scanning, so a line of a million `[0:00:` stays linear.
 */
function bracketWall(rest: string): { inner: string; length: number } | null {
  if (!rest.startsWith("[")) return null;
  const close = rest.indexOf("]", 1);
  if (close === -1) return null;
  const inner = rest.slice(1, close);
  if (inner.includes("[") || !TIME_OF_DAY.test(inner)) return null;
  return { inner, length: close + 1 + (rest[close + 1] === " " ? 1 : 0) };
}
