/**
 * Makes artifact text inert in Markdown. Everything the report quotes from a bundle
 * (pod, container and process names, memcg paths, file names, log lines, warning messages)
 * goes through one of these before it reaches a template, so that a hostile artifact
 * cannot add HTML, links, images, headings, lists or extra table columns/rows to the report.
 *
 * Rules follow CommonMark 0.31 §2.4 (any ASCII punctuation may be backslash-escaped),
 * §6.1 (code spans: a fence longer than any backtick run inside; one space stripped on
 * each side) and GFM §4.10 (tables: `\|` is an escaped pipe even inside a code span; rows
 * end at a newline) and §6.9 (extended autolinks start at `www.`, `http://`, `https://`,
 * `ftp://` or an e-mail address, also after `mailto:` / `xmpp:`). GitHub's cmark-gfm finds
 * autolinks after backslash escapes are resolved, so `admin\@evil.example` is still a link
 * there: autolinks are broken with an invisible ZERO WIDTH JOINER (U+200D) instead, which
 * no autolink rule accepts inside an address (`admin@\u200Devil.example`, `www\u200D.x`,
 * `https\u200D://x`).
 *
 * Sample: the process name `` <img src=x onerror=alert(1)> `` becomes
 * `\<img src=x onerror=alert(1)\>` as text, or ``` ``<img src=x onerror=alert(1)>`` ``` as
 * inline code; both render as the literal characters.
 */
import { maxOf } from "../util/arrays.js";
import { singleLine } from "../util/text.js";

/**
 * ASCII punctuation that starts or ends Markdown/GFM syntax anywhere on a line:
 * backslash, code (`` ` ``), emphasis (`*`, and `_` unless inside a word), strikethrough
 * (`~`), links and images (`[`, `]`), raw HTML and autolinks (`<`, `>`), entity references
 * (`&`), table cells (`|`) and headings (`#`). An underscore with a
 * letter or digit on both sides (`JAVA_TOOL_OPTIONS`, `oom_score_adj`) can neither open nor
 * close emphasis (CommonMark §6.2: an intraword `_` run is both left- and right-flanking), so it
 * stays as it is and the report reads as written.
 */
const INLINE_SPECIAL = /[\\`*~[\]<>&|#]|_(?![A-Z0-9])|(?<![A-Z0-9])_/gi;

/**
 * The invisible character that breaks autolinks (U+200D ZERO WIDTH JOINER).
 * @internal exported for its tests (not the public API)
 */
export const AUTOLINK_BREAK = "\u200D";

/** GFM extended URL autolinks: `http://`, `https://`, `ftp://` (a joiner before the colon). */
const URL_SCHEME_COLON = /:(?=\/\/)/g;

/** GFM extended `www.` autolinks (a joiner before the dot). */
const WWW_DOT = /\b(www)\./gi;

/** GFM e-mail autolinks, also as `mailto:` / `xmpp:` (a joiner after the `@`, where a domain must start). */
const AT_SIGN = /@/g;

/**
 * Block markers that only matter at the start of a line (CommonMark §4.1, §4.3, §5.2): a
 * bullet `-`/`+` followed by a space or the end, or a run of `-`/`=` only (thematic break,
 * setext underline). `-5`, `--flag` and `+1` are left alone.
 */
const LEADING_BLOCK_MARKER = /^(?:[-+](?=\s|$)|[-=](?=[-=\s]*$))/;

/** Ordered-list marker at the start of a line (CommonMark §5.2): `1.` or `1)` then a space or the end. */
const LEADING_ORDERED_MARKER = /^(\d{1,9})([.)])(?=\s|$)/;

/** A run of backticks (to size a code span fence). */
const BACKTICK_RUN = /`+/g;

/** A backslash directly before a pipe: `\|` cannot be kept literal inside a table code span. */
const BACKSLASH_PIPE = /\\\|/;

/** A pipe (escaped as `\|` inside table cells). */
const PIPE = /\|/g;

/** Code span content that needs a space of padding: starts or ends with a backtick or a space. */
const NEEDS_CODE_PADDING = /^[` ]|[` ]$/;

/** Backticks: removed from commands, where they would be shell command substitution. */
const BACKTICK = /`/g;

/**
 * Escapes artifact text for Markdown prose, list items and table cells (one line).
 * The result renders as exactly the input characters (after {@link singleLine}):
 * `"| pipe | <b>x</b> [y](javascript:z) # h"` →
 * `"\| pipe \| \<b\>x\</b\> \[y\](javascript:z) \# h"`.
 * URLs and e-mail addresses get an invisible joiner ({@link AUTOLINK_BREAK}) so GFM does not
 * turn them into links.
 */
export function escapeMarkdown(text: string): string {
  let s = singleLine(text)
    .replace(INLINE_SPECIAL, "\\$&")
    .replace(URL_SCHEME_COLON, `${AUTOLINK_BREAK}:`)
    .replace(WWW_DOT, `$1${AUTOLINK_BREAK}.`)
    .replace(AT_SIGN, `@${AUTOLINK_BREAK}`);
  if (LEADING_BLOCK_MARKER.test(s)) s = `\\${s}`;
  s = s.replace(LEADING_ORDERED_MARKER, "$1\\$2");
  return s;
}

/**
 * Wraps artifact text in an inline code span, which Markdown renders literally (no HTML,
 * no links, no emphasis). The fence is one backtick longer than the longest backtick run
 * inside, and the content is padded with a space when it starts or ends with a backtick or
 * space (CommonMark strips exactly one on each side).
 *
 * With `{ table: true }` pipes are written `\|` so they do not split the cell (GFM §4.10);
 * if the text has a backslash right before a pipe, which that rule cannot keep literal, it
 * falls back to {@link escapeMarkdown}. Empty text gives `` ` ` `` (a code span of one space).
 */
export function inlineCode(text: string, options: { table?: boolean } = {}): string {
  let s = singleLine(text);
  if (s === "") return "` `";
  if (options.table) {
    if (BACKSLASH_PIPE.test(s)) return escapeMarkdown(s);
    s = s.replace(PIPE, "\\|");
  }
  const longest = maxOf(
    (s.match(BACKTICK_RUN) ?? []).map((run) => run.length),
    0,
  );
  const fence = "`".repeat(longest + 1);
  const pad = NEEDS_CODE_PADDING.test(s) ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/**
 * Makes a suggested shell command safe to print inside a fenced code block and to
 * copy-paste: one line ({@link singleLine}) and no backticks (each becomes U+FFFD), so an
 * artifact-derived name can neither close the fence nor smuggle a command substitution.
 * `kubectl logs a\`id\`` → `kubectl logs a\uFFFDid\uFFFD`.
 */
export function sanitizeCommand(command: string): string {
  return singleLine(command).replace(BACKTICK, "\uFFFD");
}
