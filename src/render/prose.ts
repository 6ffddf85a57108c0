/**
 * Prose that may hold code: advice titles and details mark flags, commands and values with
 * backticks (`` Size the heap: `-Xmx768m` in JAVA_OPTS ``). The marked parts become inline code
 * spans and the rest is escaped Markdown, so artifact text inside either stays inert.
 *
 * Sample: ``"Replaces `-Xmx4g`; the <other> flags"`` → ``"Replaces `-Xmx4g`; the \<other\> flags"``.
 */
import { escapeMarkdown, inlineCode } from "./markdown-escape.js";

/** Renders `text` with its backtick-marked parts as code spans; an unpaired backtick is literal. */
export function prose(text: string): string {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return escapeMarkdown(text);
  return parts
    .map((p, i) => (i % 2 === 1 ? inlineCode(p) : escapeKeepingSpaces(p)))
    .join("")
    .trim();
}

/** escapeMarkdown trims; a piece between code spans keeps one space on each side it had. */
function escapeKeepingSpaces(piece: string): string {
  if (piece.trim() === "") return piece === "" ? "" : " ";
  return `${/^\s/.test(piece) ? " " : ""}${escapeMarkdown(piece)}${/\s$/.test(piece) ? " " : ""}`;
}

/** {@link prose} ending with a full stop. */
export function proseSentence(text: string): string {
  const s = prose(text.trim());
  return s === "" || /[.!?]$/.test(s) ? s : `${s}.`;
}
