/**
 * Text from artifacts made into one inert line, below every stage: the report's Markdown and the
 * commands the advice prints both need it.
 */

/**
 * Line breaks of every flavour (CRLF, CR, LF, NEL, LINE/PARAGRAPH SEPARATOR) and tabs:
 * each becomes one space, since a Markdown table row or list item must stay on one line.
 */
const LINE_BREAKS = /\r\n|[\r\n\t\u0085\u2028\u2029]/g;

/**
 * Other C0/C1 control characters, DEL, and Unicode bidirectional overrides/isolates
 * (U+202A–U+202E, U+2066–U+2069, which can make text display in another order than it
 * reads): each becomes U+FFFD so it is visible instead of acting.
 */
const CONTROL_CHARS = /[\u0000-\u0008\v\f\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Normalises text to one inert line: line breaks and tabs → space, other control and
 * bidi-override characters → U+FFFD, ends trimmed. Every name and value quoted from an artifact goes
 * through it before Markdown escaping (`render/markdown-escape.ts`) or shell quoting
 * (`diagnose/advice/shell.ts`): `"a\r\nb\tc\u202e"` → `"a b c\ufffd"`.
 */
export function singleLine(text: string): string {
  return String(text).replace(LINE_BREAKS, " ").replace(CONTROL_CHARS, "\uFFFD").trim();
}
