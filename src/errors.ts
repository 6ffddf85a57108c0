/**
 * The few typed errors the CLI turns into one-line messages and exit codes. Everything below
 * the CLI returns warnings as values; these are for "cannot run at all".
 */

/** Exit codes, documented in the README and `--help`. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  nothingRecognised: 3,
  strictWarnings: 4,
} as const;

/** Bad command line or an unreadable/nonexistent bundle path. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** NothingRecognisedError's message. */
export const NOTHING_RECOGNISED = "no file in the bundle was recognised as an artifact";

/** The bundle holds no file any ingester recognises. Exit 3. */
export class NothingRecognisedError extends Error {
  readonly exitCode = EXIT.nothingRecognised;
}
