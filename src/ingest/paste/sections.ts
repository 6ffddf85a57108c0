/**
 * One pasted file holding several artifacts (a ticket with `kubectl describe`, then `dmesg`, then
 * the pod's YAML) cut into sections, each read by its own kind. A section starts at a shell
 * command line (whose command becomes its hint) or a Markdown fence, and a run of paragraphs
 * (blank-line separated) splits where what the paragraphs look like changes from one kind to
 * another. A section's text is as long as the file, the lines outside it blank, so every ingester
 * cites the file's own line numbers.
 */
import type { CommandHint } from "../shared/command-line.js";
import type { CleanPaste } from "./clean.js";

/** A part of a paste read as one artifact. */
interface PasteSection {
  /** First and last content line of the section (1-based, lines of the file). */
  start: number;
  end: number;
  /** The section's lines (dedented by their common indentation), every other line blank. */
  text: string;
  /** The command pasted above the section, when one was. */
  command: { line: number; hint: CommandHint } | null;
  /** The kind its paragraphs were sniffed as (null: none recognised). */
  kind: string | null;
}

/** Lines of a paragraph or section: [first, last] indices into the paste, inclusive. */
interface Span {
  first: number;
  last: number;
}

interface Chunk {
  paragraphs: Span[];
  command: { line: number; hint: CommandHint } | null;
}

/**
 * Cuts `paste` into sections. `sniff` names the kind a text looks like (null: none). A paste
 * with no content gives no section.
 */
export function splitSections(paste: CleanPaste, sniff: (text: string) => string | null): PasteSection[] {
  const out: PasteSection[] = [];
  for (const chunk of chunks(paste)) {
    // Output that says nothing alone (`OOMKilled` under `kubectl get pod x -o jsonpath=…`) is
    // sniffed again with its command line above it.
    const kinds = chunk.paragraphs.map((p, i) => {
      const text = textOf(paste, p.first, p.last);
      return sniff(text) ?? (i === 0 && chunk.command ? sniff(`$ ${chunk.command.hint.command}\n${text}`) : null);
    });
    const distinct = new Set(kinds.filter((k) => k !== null));
    const groups =
      distinct.size >= 2
        ? groupByKind(chunk.paragraphs, kinds)
        : [
            {
              span: { first: chunk.paragraphs[0]!.first, last: chunk.paragraphs.at(-1)!.last },
              kind: [...distinct][0] ?? null,
            },
          ];
    groups.forEach((g, i) => out.push(section(paste, g.span, i === 0 ? chunk.command : null, g.kind)));
  }
  return out;
}

// Chunks: the lines between command lines and fences, as paragraphs (runs of lines without a
// blank line; a cut `...` does not end a paragraph).
function chunks(paste: CleanPaste): Chunk[] {
  const out: Chunk[] = [];
  const commandAt = new Map(paste.commands.map((c) => [c.line - 1, c]));
  let cur: Chunk = { paragraphs: [], command: null };
  let para: Span | null = null;
  const close = () => {
    if (para) cur.paragraphs.push(para);
    para = null;
  };
  paste.kinds.forEach((kind, i) => {
    if (kind === "content" || (kind === "cut" && para)) {
      if (para) para.last = i;
      else para = { first: i, last: i };
      return;
    }
    if (kind === "blank") return close();
    const cmd = commandAt.get(i);
    if (kind === "command" && !cmd) return; // a continuation line of the command above
    close();
    if (cur.paragraphs.length > 0) out.push(cur);
    if (cmd) cur = { paragraphs: [], command: cmd.hint ? { line: cmd.line, hint: cmd.hint } : null };
    else if (cur.paragraphs.length > 0) cur = { paragraphs: [], command: null };
  });
  close();
  if (cur.paragraphs.length > 0) out.push(cur);
  return out;
}

// Consecutive paragraphs of one kind make a group; a paragraph no kind claims (prose, a cut
// table) belongs to the group before it, or to the first group when it leads.
function groupByKind(paragraphs: Span[], kinds: (string | null)[]): { span: Span; kind: string | null }[] {
  const groups: { span: Span; kind: string | null }[] = [];
  paragraphs.forEach((p, i) => {
    const kind = kinds[i]!;
    const last = groups.at(-1);
    if (last && (kind === null || kind === last.kind || last.kind === null)) {
      last.span.last = p.last;
      last.kind ??= kind;
    } else groups.push({ span: { ...p }, kind });
  });
  return groups;
}

function textOf(paste: CleanPaste, first: number, last: number): string {
  return paste.texts.slice(first, last + 1).join("\n");
}

function section(paste: CleanPaste, span: Span, command: PasteSection["command"], kind: string | null): PasteSection {
  let indent = Infinity;
  for (let i = span.first; i <= span.last; i++) {
    const t = paste.texts[i]!;
    if (t.trim() !== "") indent = Math.min(indent, t.length - t.trimStart().length);
  }
  const cut = Number.isFinite(indent) ? indent : 0;
  const lines = paste.texts.map((t, i) =>
    i < span.first || i > span.last ? "" : t.slice(Math.min(cut, t.length - t.trimStart().length)),
  );
  return { start: span.first + 1, end: span.last + 1, text: lines.join("\n"), command, kind };
}
