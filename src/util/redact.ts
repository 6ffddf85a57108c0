/**
 * Redaction of secret-looking values before a report leaves the machine. Bundles quote
 * pod specs, env blocks, JVM command lines, log lines and file names, which may carry
 * credentials; the CLI applies `redactReport` to every format unless `--no-redact`.
 * Only the secret is replaced by `[REDACTED]`: its name, the auth scheme and the rest of
 * the line stay, and words that merely contain a secret word (`/etc/passwd`, `monkey=`,
 * `keyboard`, `author:`) are left alone.
 *
 * Shapes recognised:
 * - token shapes wherever they stand (GitHub, GitLab, Slack, Google, Stripe, npm, Docker,
 *   AWS key ids, JWTs, ...: see `secret-shapes.ts`), random-looking base64 runs of 40+
 *   characters (bare AWS secret keys, PEM body lines) and PEM private-key bodies;
 * - passwords in URLs and connection strings, also when they hold `@` or `/`:
 *   `postgres://app:p@ss/w0rd@db:5432/x` → `postgres://app:[REDACTED]@db:5432/x`;
 * - env/YAML/JSON/properties style `NAME=value`, `NAME: value`, `"NAME": "value"` where
 *   NAME has a secret word: PASSWORD, PASSWD, TOKEN, SECRET, CREDENTIAL anywhere in it,
 *   or KEY/KEYS/AUTH/AUTHORIZATION/PASS/PWD as one of its words (`API_KEY`, `apiKey`,
 *   `db-pass`), with an HTTP auth scheme (`Basic`, `Bearer`, `Digest`, `Token`) kept;
 * - command-line flags with a secret name and a separate value (`--password X`,
 *   `--db-pass X`, MySQL's `-u USER -p X` unless X is a port);
 * - Kubernetes env pairs `{"name":"DB_PASSWORD","value":"x"}` (as text, and as objects
 *   with `name` and `value` fields anywhere in the report);
 * - `Bearer <token>` anywhere.
 *
 * Every pattern runs in linear time (test/hostile/regex-linear.test.ts), and a string met more
 * than once is redacted once per process (memoised), since a report repeats many of its strings.
 * A string is checked first for what the passes need (`mayHoldSecret`: one literal of them all, or
 * a random-looking base64 run); most strings of a report (kernel lines, memcg paths, figures) hold
 * neither and skip the passes (a report of 10,000 kernel-log incidents: 2.4 s → 1.5 s of CPU).
 *
 * Sample: `DB_PASSWORD=hunter2 MaxRAMPercentage=75 oom_score_adj:969` →
 * `DB_PASSWORD=[REDACTED] MaxRAMPercentage=75 oom_score_adj:969`.
 */
import type { Report } from "../model/incident.js";
import {
  BASE64_BLOB,
  looksRandom,
  mayHoldRandomRun,
  redactPemBodies,
  SECRET_SHAPES,
  SHAPE_HINT,
} from "./secret-shapes.js";

/**
 * What replaces every secret value.
 * @internal exported for its tests (not the public API)
 */
export const REDACTED = "[REDACTED]";

/** Start of a URL: an RFC 3986 scheme and `://`, not preceded by a scheme character. */
const URL_START = /(?<![A-Z0-9+.-])[A-Z][A-Z0-9+.-]*:\/\//gi;

/** Where a URL token ends when it is quoted in text. */
const URL_END = /[\s"'<>`]/;

/** Where a URL's authority ends: query or fragment (a path `/` may be inside a pasted password). */
const URL_QUERY = /[?#]/;

/** A port right after `host:` (`example.org:8080/path`), which is not a password. */
const PORT_THEN_PATH = /^\d{1,5}(?:\/|$)/;

/** RFC 6750 bearer token anywhere: `Bearer eyJhbGciOi…`. */
const BEARER_TOKEN = /(?<![A-Z])(Bearer[ \t]+)[\w.~+/=-]+/gi;

/**
 * A name and its separator (`=`, `:`, with an optional closing quote and spaces). The name
 * starts after a character that cannot be part of it, nor a `/` (so `/etc/passwd: x` is a
 * path, not a name); the value is read after it by {@link VALUE}.
 */
const NAME_THEN_SEPARATOR = /(?<![\w./-])([\w.-]+)("?[ \t]*[=:][ \t]*)/g;

/**
 * A command-line flag and the whitespace before its value: `--password `, `-p `.
 * The value is read by {@link FLAG_VALUE}.
 */
const FLAG_THEN_SPACE = /(?<![\w.-])(--?)([A-Z][\w.-]*)([ \t]+)/gi;

/** A Kubernetes env pair as JSON text, up to its value: `{"name":"DB_PASSWORD","value":`. */
const JSON_NAME_VALUE = /"name"[ \t]*:[ \t]*"([^"\\]{1,256})"[ \t]*,[ \t]*("value"[ \t]*:[ \t]*)/g;

/**
 * A value (sticky, read at the end of a name and separator): an optional HTTP auth scheme,
 * then a double-quoted string (with `\"` escapes), a single-quoted string, or a bare run up
 * to whitespace, a quote, `,`, `;`, `&` or `}` (so JSON objects, query strings and
 * `;`-separated connection strings keep their other fields).
 */
const VALUE = /((?:Basic|Bearer|Digest|Token)[ \t]+)?("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"',;&}]+)/iy;

/** A flag's value (sticky): a quoted string or a bare word that is not itself a flag. */
const FLAG_VALUE = /"[^"\n]*"|'[^'\n]*'|(?!-)[^\s"']+/y;

/** Secret words that count anywhere in a name (`MYSQL_ROOT_PASSWORD`, `keyStorePassword`). */
const SECRET_SUBSTRING = /PASSWORD|PASSWD|TOKEN|SECRET|CREDENTIAL/i;

/** Secret words that count only as a whole word of the name (`API_KEY`, `apiKey`, `x-auth`, `db-pass`). */
const SECRET_WORD = /^(?:KEYS?|AUTH|AUTHORIZATION|APIKEY|ACCESSKEY|PRIVATEKEY|PWD|PASS|PASSPHRASE)$/i;

/** Word boundaries inside a name: separators, and lower→upper camelCase steps. */
const NAME_WORD_SPLIT = /[_.-]+|(?<=[a-z0-9])(?=[A-Z])/;

/**
 * Last words of a name that describe a secret rather than hold it: `PASSWORD_FILE`,
 * `--secret-name`, `--password-stdin`, `keyStoreType`, `TOKEN_TTL`.
 */
const DESCRIPTOR_WORD = /^(?:file|path|dir|name|ref|env|stdin|type|alias|algorithm|size|length|format|ttl|expiry)$/i;

/**
 * Values that are references to a secret, not the secret: `<set to the key …>`, `$(VAR)`,
 * `${VAR}`; a value already redacted; PEM armour (its body is redacted by shape).
 */
const NOT_A_SECRET_VALUE = /^["']?(?:<|\$\(|\$\{|\[REDACTED\]|-----BEGIN)|^(?:""|'')$/;

/**
 * Literals one of which every name {@link isSecretName} accepts holds (case-insensitive): each
 * word of {@link SECRET_SUBSTRING} holds PASS, TOKEN, SECRET or CREDENTIAL, and each of
 * {@link SECRET_WORD} holds KEY, AUTH, PWD or PASS.
 */
const SECRET_NAME_HINT = "KEY|AUTH|PWD|PASS|TOKEN|SECRET|CREDENTIAL";

/**
 * A literal that every pass of {@link redactAllPasses} but the base64 one needs in a text before
 * it can change it (case-insensitive, so a superset): `PRIVATE KEY` for PEM bodies, a
 * {@link SHAPE_HINT} prefix for token shapes, `://` for URL passwords, `Bearer`, a secret name
 * for name/value pairs, JSON env pairs and flags ({@link SECRET_NAME_HINT}), or `-p` and a
 * space for MySQL's `-p X`. One alternation instead of a scan per pass: most strings of a report
 * (kernel lines, memcg paths, figures) hold none.
 */
const PASS_HINT = new RegExp(`${SHAPE_HINT.source}|${SECRET_NAME_HINT}|Bearer|:\\/\\/|-p[ \\t]`, "i");

/** A `-u USER` flag (MySQL/MariaDB clients), which makes a later `-p X` a password. */
const USER_FLAG = /(?<![\w-])-u[ \t]*[\w$]/;

/** A port or port mapping after `-p` (`docker run -p 8080:80`, `ssh -p 22`): not a password. */
const PORT_VALUE = /^\d{1,5}(?::\d{1,5})*(?:\/(?:tcp|udp))?$/;

/**
 * Strings redacted and met again (input → output); cleared when it grows past {@link MEMO_LIMIT}.
 * Only strings met twice enter it: most strings of a large report (evidence lines, figures)
 * occur once, and held here they outlived V8's young generation and stayed in the old one as
 * garbage until its next full collection (10,000 incidents: 36 MB of peak RSS).
 */
const memo = new Map<string, string>();
const MEMO_LIMIT = 100_000;

/** Strings redacted once lately (input → output), to notice the second meeting; replaced when full. */
let recent = new Map<string, string>();
const RECENT_LIMIT = 512;

/**
 * Returns `report` with secret-looking values replaced by `[REDACTED]` in every string (names,
 * messages, evidence text, commands, file and entry names, object keys), and in the `value` of
 * any object whose `name` is a secret name (a Kubernetes env entry). The input is not modified:
 * every object and array that holds a redacted value is a copy, the others are the input's own.
 * Numbers, booleans and nulls are unchanged. Idempotent.
 */
export function redactReport(report: Report): Report {
  return redactDeep(report) as Report;
}

/**
 * `redactReport` for any part of a report (an incident, a member name): the same redaction, so a
 * report printed part by part (`render/json.ts`) reads exactly as its redacted whole.
 */
export function redactValue<T>(value: T): T {
  return redactDeep(value) as T;
}

/**
 * Redacts one string (see the file header for the shapes).
 * `redactText("Authorization: Bearer abc.def")` → `"Authorization: Bearer [REDACTED]"`.
 * @internal exported for its tests and bench/linear-time.mjs (not the public API)
 */
export function redactText(text: string): string {
  const known = memo.get(text);
  if (known !== undefined) return known;
  const again = recent.get(text);
  if (again !== undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, again);
    return again;
  }
  const out = mayHoldSecret(text) ? redactAllPasses(text) : text;
  if (recent.size >= RECENT_LIMIT) recent = new Map();
  recent.set(text, out);
  return out;
}

/** True when {@link redactText} would change `text`: it holds a secret-looking value. */
export function holdsSecret(text: string): boolean {
  return redactText(text) !== text;
}

/**
 * False when no pass of {@link redactAllPasses} can change `text`: it is shorter than 4
 * characters, or holds no literal of {@link PASS_HINT} and no run the base64 pass redacts.
 * @internal exported for its property test (not the public API)
 */
export function mayHoldSecret(text: string): boolean {
  return text.length >= 4 && (PASS_HINT.test(text) || mayHoldRandomRun(text));
}

/**
 * Every redaction pass over `text`, in order, without the pre-check or the memo (see the file
 * header for the shapes).
 * @internal exported for its property test (not the public API)
 */
export function redactAllPasses(text: string): string {
  let s = redactPemBodies(text, REDACTED);
  if (SHAPE_HINT.test(s)) for (const { pattern } of SECRET_SHAPES) s = s.replace(pattern, REDACTED);
  s = s.replace(BASE64_BLOB, (run) => (looksRandom(run) ? REDACTED : run));
  s = redactUrlPasswords(s);
  s = s.replace(BEARER_TOKEN, `$1${REDACTED}`);
  s = redactAfter(s, JSON_NAME_VALUE, (m) => (isSecretName(m[1]!) ? VALUE : null));
  s = redactAfter(s, NAME_THEN_SEPARATOR, (m) => (isSecretName(m[1]!) ? VALUE : null));
  s = redactAfter(s, FLAG_THEN_SPACE, flagValueReader);
  return s;
}

/**
 * The value reader for a flag match, or null when the flag does not name a secret. `-p` is a
 * password only after a `-u USER` (MySQL/MariaDB clients); elsewhere it is a port, a pid or
 * a patch (`kubectl patch -p '{…}'`, `ssh -p 22`, `docker run -p 8080:80`).
 */
function flagValueReader(m: RegExpExecArray, text: string): RegExp | null {
  const [, dashes, name] = m;
  if (dashes === "-" && name === "p") return USER_FLAG.test(text.slice(0, m.index)) ? FLAG_VALUE : null;
  return isSecretName(name!) ? FLAG_VALUE : null;
}

/**
 * Finds each `head` match; when `reader(match)` gives a sticky value regex, reads the value
 * right after the match and replaces it (keeping an auth scheme and the quotes). Each part of
 * the text is read once, so the pass is linear.
 */
function redactAfter(text: string, head: RegExp, reader: (m: RegExpExecArray, text: string) => RegExp | null): string {
  let out = "";
  let from = 0;
  head.lastIndex = 0;
  for (let m = head.exec(text); m !== null; m = head.exec(text)) {
    const valueRe = reader(m, text);
    if (valueRe === null) continue;
    const at = m.index + m[0].length;
    valueRe.lastIndex = at;
    const v = valueRe.exec(text);
    if (v === null) continue;
    const scheme = valueRe === VALUE ? (v[1] ?? "") : "";
    const value = valueRe === VALUE ? v[2]! : v[0];
    head.lastIndex = at + v[0].length;
    if (NOT_A_SECRET_VALUE.test(value)) continue;
    if (valueRe === FLAG_VALUE && m[2] === "p" && PORT_VALUE.test(value)) continue;
    const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : "";
    out += `${text.slice(from, at)}${scheme}${quote}${REDACTED}${quote}`;
    from = at + v[0].length;
  }
  return out + text.slice(from);
}

/**
 * Replaces the password of every `scheme://user:password@host` in `text`. The password runs
 * to the last `@` before the URL's query or fragment, so one holding `@` or `/` is covered
 * whole; `host:8080/path@x` (a port, with a dotted host before it) is not a password.
 */
function redactUrlPasswords(text: string): string {
  if (!text.includes("://")) return text;
  let out = "";
  let from = 0;
  URL_START.lastIndex = 0;
  for (let m = URL_START.exec(text); m !== null; m = URL_START.exec(text)) {
    const start = m.index + m[0].length;
    const endMatch = URL_END.exec(text.slice(start));
    const end = endMatch === null ? text.length : start + endMatch.index;
    URL_START.lastIndex = end;
    const token = text.slice(start, end);
    const query = URL_QUERY.exec(token);
    const authority = query === null ? token : token.slice(0, query.index);
    const at = authority.lastIndexOf("@");
    const colon = authority.indexOf(":");
    if (at === -1 || colon === -1 || colon > at) continue;
    const user = authority.slice(0, colon);
    const password = authority.slice(colon + 1, at);
    if (user.includes("/") || password === "" || password === REDACTED) continue;
    if (user.includes(".") && PORT_THEN_PATH.test(password)) continue;
    out += `${text.slice(from, start + colon + 1)}${REDACTED}`;
    from = start + at;
  }
  return out + text.slice(from);
}

/** Whether a variable/property/header/flag name looks like it holds a secret. */
function isSecretName(name: string): boolean {
  const words = name.split(NAME_WORD_SPLIT);
  if (words.length > 1 && DESCRIPTOR_WORD.test(words[words.length - 1]!)) return false;
  return SECRET_SUBSTRING.test(name) || words.some((word) => SECRET_WORD.test(word));
}

/**
 * Redacted `value`: a string through {@link redactText}; an array or object copied when anything in
 * it is redacted and itself otherwise (most of a report holds no secret; copying all of a report of
 * 10,000 kernel-log incidents took ~1 s of CPU, collection included). An object shared by several
 * parents (one kill's evidence cited by many causes) is redacted once.
 */
function redactDeep(value: unknown, copies = new Map<object, unknown>()): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  const out = Array.isArray(value)
    ? redactArray(value, copies)
    : redactObject(value as Record<string, unknown>, copies);
  copies.set(value, out);
  return out;
}

/** `items` with each item redacted: a copy from the first item that changes, else `items` itself. */
function redactArray(items: unknown[], copies: Map<object, unknown>): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const redacted = redactDeep(items[i], copies);
    if (redacted === items[i]) continue;
    out ??= items.slice();
    out[i] = redacted;
  }
  return out ?? items;
}

/**
 * `value` with its keys and values redacted, and the `value` of a secret `name` replaced. A copy is
 * a plain object filled in key order, so a redacted key that repeats an earlier one overwrites it
 * and a `__proto__` key sets its prototype (JSON leaves it out); an object that is not plain (a
 * class instance, a Date) is always copied that way, so the report prints the same as a copy of all.
 */
function redactObject(value: Record<string, unknown>, copies: Map<object, unknown>): Record<string, unknown> {
  const keys = Object.keys(value);
  const proto: unknown = Object.getPrototypeOf(value);
  let out = proto === Object.prototype || proto === null ? undefined : copyKeys(value, keys, 0);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const name = redactText(key);
    const inner = value[key];
    const redacted = redactDeep(inner, copies);
    if (out === undefined && (name !== key || redacted !== inner || key === "__proto__"))
      out = copyKeys(value, keys, i);
    if (out !== undefined) out[name] = redacted;
  }
  const result = out ?? value;
  if (
    typeof result.name === "string" &&
    typeof result.value === "string" &&
    isSecretName(result.name) &&
    !NOT_A_SECRET_VALUE.test(result.value)
  ) {
    out ??= copyKeys(value, keys, keys.length);
    out.value = REDACTED;
  }
  return out ?? value;
}

/** A plain object with the first `count` of `keys` of `value` (unchanged by redaction), in order. */
function copyKeys(value: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) out[keys[i]!] = value[keys[i]!];
  return out;
}
