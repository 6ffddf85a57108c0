/**
 * Shell quoting for commands the report prints: POSIX `sh` single quotes, so a value with
 * spaces, `$`, `"` or `'` reaches the program as one word, exactly as written.
 * `shellQuote("-Xms512m -Xmx768m")` → `'-Xms512m -Xmx768m'`; `shellQuote("api")` → `api`.
 */

import { singleLine } from "../../util/text.js";

/**
 * Artifact text as it may appear in a command: one line (line breaks and tabs folded to a
 * space, other control characters made visible), so a hostile name cannot start a new command
 * in a multi-line block. Every name and value taken from the bundle goes through this.
 */
export function oneLine(text: string): string {
  return singleLine(text);
}

/** Words that need no quoting: letters, digits and `-_./:=@%+,`. */
const PLAIN_WORD = /^[\w\-./:=@%+,]+$/;

/** One shell word for `text`, quoted only when needed. */
export function shellQuote(text: string): string {
  const line = oneLine(text);
  if (line !== "" && PLAIN_WORD.test(line)) return line;
  return `'${line.replace(/'/g, `'\\''`)}'`;
}
