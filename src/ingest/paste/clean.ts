/**
 * Reading a capture the way people paste it into tickets, chat, mail and blogs: each line of the
 * file is classified (content, blank, shell prompt + command, Markdown fence, elision) and cleaned
 * (mail quote markers `> `, `grep -n` prefixes `12:`/`12-`, non-breaking spaces and HTML entities
 * of a page copy). Line numbers never move: a removed line becomes a blank one, so what an
 * ingester cites is the pasted file's own line.
 *
 * Sample input (a ticket comment):
 * ```text
 * > [root@master ~]$ kubectl describe pod api-7d9f -n shop
 * > Name:         api-7d9f
 * > ......
 * >     Last State:     Terminated
 * ```
 */
import { readCommandLine, readPromptLine, type CommandHint } from "../shared/command-line.js";

/** What a line of a paste is. */
type PasteLineKind = "content" | "blank" | "command" | "fence" | "cut";

/** A paste, line by line (index = file line − 1). */
export interface CleanPaste {
  /** Cleaned text of every line ("" for the lines that are not content). */
  texts: string[];
  kinds: PasteLineKind[];
  /** Shell command lines (continuations joined), with the hint the command gives. */
  commands: { line: number; command: string; hint: CommandHint | null }[];
  /** Lines where whoever pasted cut something out (`...`, `[snip]`, grep's `--`). */
  cuts: { line: number; text: string }[];
  /** What was cleaned beyond prompts, fences and cuts: `mail quote markers`, `grep -n prefixes`, … */
  cleaned: string[];
}

/**
 * A line that only says "something was cut here": `...`, `......`, `…`, `[...]`, `[…]`, `(...)`,
 * `<snip>`, `[snip]`, `-- snip --`, `--- 8< ---`, `[... 40 lines omitted ...]`, `(truncated)`.
 */
const ELISION =
  /^(?:[ \t]*(?:\.{3,}|…+|[[(<]\s*(?:\.{3,}|…)\s*[\])>]|-+\s*[8✂]<?\s*-+|[[(<]\s*(?:(?:\.{3}|…)\s*)?\d+\s+(?:more\s+)?lines?\s+(?:omitted|removed|cut|hidden|skipped)\s*(?:(?:\.{3}|…)\s*)?[\])>])[ \t]*|(?:[ \t]*[[(<])?\s*(?:-+\s*)?(?:snip(?:ped)?|cut|truncated|omitted|elided)(?:\s*-+)?(?:\s*[\])>][ \t]*|\s*))$/i;

/** `grep` separates its context groups (`-A`/`-B`/`-C`) with a line holding only `--`. */
const GREP_SEPARATOR = /^--$/;

/**
 * `grep -n` prefixes: `12:` on a matching line, `12-` on a context line; not the start of a time
 * or date (`12:00:01 AM`, `2024-03-07`), whose next field is two digits and a separator.
 */
const GREP_PREFIX = /^(\d{1,9})([:-])(?!\d\d(?:[-:.\s]|$))/;

/** Mail and Markdown quote markers, nested (`> > `). */
const QUOTE = /^[ \t]*(?:>[ \t]?)+/;

/** A Markdown code fence, with its indentation (inside a list item). */
const FENCE = /^([ \t]*)(?:`{3,}|~{3})[^`]*$/;

/** Spaces a browser copy or a chat client leaves: no-break, figure, narrow no-break, en/em spaces. */
const ODD_SPACE = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;

/** Zero-width characters (joiners, BOMs inside a copy). */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;

/** HTML entities of a page's text copied as source. */
const ENTITY = /&(?:lt|gt|amp|quot|apos|nbsp|#39|#34);/g;
const ENTITY_TEXT: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&apos;": "'",
  "&nbsp;": " ",
  "&#39;": "'",
  "&#34;": '"',
};

/** A command continued on the next line: a trailing `\`, `|`, `&&` (the next line may start with `> `). */
const CONTINUED = /(?:\\|\||&&)\s*$/;

/** Share of the content lines that must carry a marker for the whole paste to be read as marked. */
const MARKED_SHARE = 0.6;

/** Classifies and cleans every line of `text` (already decoded, `\n` line ends). */
export function cleanPaste(text: string): CleanPaste {
  const cleaned: string[] = [];
  let raw = text.split("\n");
  if (ODD_SPACE.test(text) || ZERO_WIDTH.test(text)) {
    raw = raw.map((l) => l.replace(ODD_SPACE, " ").replace(ZERO_WIDTH, ""));
    cleaned.push("non-breaking spaces");
  }
  if ((text.match(ENTITY)?.length ?? 0) >= 2) {
    raw = raw.map((l) => l.replace(ENTITY, (e) => ENTITY_TEXT[e]!));
    cleaned.push("HTML entities");
  }
  if (marked(raw, (l) => QUOTE.test(l))) {
    raw = raw.map((l) => l.replace(QUOTE, ""));
    cleaned.push("mail quote markers");
  }
  if (grepNumbered(raw)) {
    raw = raw.map((l) => l.replace(GREP_PREFIX, ""));
    cleaned.push("grep -n line-number prefixes");
  }
  const indent = blockIndent(raw);
  if (indent !== "") {
    raw = raw.map((l) => l.slice(Math.min(indent.length, l.length - l.trimStart().length)));
    cleaned.push(
      `the indentation every line carried (${indent.includes("\t") ? "a tab" : `${indent.length} spaces`}: a Markdown code block or list item)`,
    );
  }
  return classify(raw, cleaned);
}

/**
 * The whitespace every non-blank line starts with, when the whole capture was indented as a
 * block (a Markdown code block of 4 spaces, a list item, a tab from a ticket or wiki editor): a
 * tab, or at least {@link BLOCK_INDENT} spaces. Less is left alone, since an indented fragment of a
 * describe (`  api:` then `    Container ID:`) keeps its layout. "" when none.
 */
function blockIndent(lines: string[]): string {
  let common: string | null = null;
  let content = 0;
  for (const l of lines) {
    if (l.trim() === "") continue;
    content++;
    const lead = l.slice(0, l.length - l.trimStart().length);
    if (common === null) common = lead;
    else {
      let n = 0;
      while (n < common.length && n < lead.length && common[n] === lead[n]) n++;
      common = common.slice(0, n);
    }
    if (common === "") return "";
  }
  if (common === null || content < 2) return "";
  return common.includes("\t") || common.length >= BLOCK_INDENT ? common : "";
}

/** Spaces of indentation read as a pasted block (a Markdown indented code block). */
const BLOCK_INDENT = 4;

function classify(raw: string[], cleaned: string[]): CleanPaste {
  const out: CleanPaste = { texts: [], kinds: [], commands: [], cuts: [], cleaned };
  let fenceIndent: string | null = null;
  let continued = false;
  raw.forEach((rawLine, i) => {
    let line = rawLine;
    const fence = FENCE.exec(line);
    if (fence) {
      fenceIndent = fenceIndent === null ? fence[1]! : null;
      return push(out, "", "fence");
    }
    if (fenceIndent && line.startsWith(fenceIndent)) line = line.slice(fenceIndent.length);
    const last = out.commands[out.commands.length - 1];
    if (continued && last) {
      last.command = `${last.command.replace(/\\\s*$/, "")} ${line.replace(/^\s*>?\s*/, "")}`.trim();
      continued = CONTINUED.test(line);
      return push(out, "", "command");
    }
    const t = line.trim();
    if (t === "") return push(out, "", "blank");
    if (ELISION.test(line) || GREP_SEPARATOR.test(t)) {
      out.cuts.push({ line: i + 1, text: t });
      return push(out, "", "cut");
    }
    const bare = /^\S/.test(line) ? readCommandLine(line) : null;
    const prompt = readPromptLine(line) ?? (bare ? { command: bare.command, hint: bare } : null);
    if (prompt) {
      out.commands.push({ line: i + 1, command: prompt.command, hint: prompt.hint });
      continued = CONTINUED.test(prompt.command);
      return push(out, "", "command");
    }
    push(out, line, "content");
  });
  // A continued command's hint is read from the whole command.
  for (const c of out.commands)
    if (c.hint && c.hint.command !== c.command) c.hint = readPromptLine(`$ ${c.command}`)?.hint ?? c.hint;
  return out;
}

function push(out: CleanPaste, text: string, kind: PasteLineKind): void {
  out.texts.push(text);
  out.kinds.push(kind);
}

/** True when most content lines (at least two) satisfy `test`. */
function marked(lines: string[], test: (l: string) => boolean): boolean {
  let content = 0;
  let hits = 0;
  for (const l of lines) {
    if (l.trim() === "") continue;
    content++;
    if (test(l)) hits++;
  }
  return hits >= 2 && hits >= content * MARKED_SHARE;
}

/**
 * `grep -n` output: most content lines start `N:`/`N-`, and the numbers mostly count up by one
 * (a context group), which timestamps such as `2026-06-20T…` never do.
 */
function grepNumbered(lines: string[]): boolean {
  if (
    !marked(
      lines.filter((l) => !GREP_SEPARATOR.test(l.trim())),
      (l) => GREP_PREFIX.test(l),
    )
  )
    return false;
  let prev = -2;
  let pairs = 0;
  let consecutive = 0;
  for (const l of lines) {
    const m = GREP_PREFIX.exec(l);
    if (!m) continue;
    const n = Number(m[1]);
    pairs++;
    if (n === prev + 1) consecutive++;
    prev = n;
  }
  return consecutive >= (pairs - 1) * 0.5;
}
