/**
 * Redaction of secret-looking values before a report leaves the machine. Bundles quote
 * pod specs, env blocks, JVM command lines and log lines, which may carry credentials;
 * the CLI applies `redactReport` to every format unless `--no-redact`.
 *
 * Shapes recognised (the value is replaced by `[REDACTED]`, the name is kept):
 * - env/YAML/JSON/properties style `NAME=value`, `NAME: value`, `"NAME": "value"` where
 *   NAME has a secret word: PASSWORD, PASSWD, TOKEN, SECRET, CREDENTIAL anywhere in it,
 *   or KEY/KEYS/AUTH/AUTHORIZATION as one of its words (`API_KEY`, `apiKey`, `auth-token`),
 *   so that `monkey=`, `keyboard=` or `author:` stay as they are;
 * - Java system properties `-Djavax.net.ssl.keyStorePassword=changeit`;
 * - HTTP `Bearer <token>` and `Authorization: Basic <base64>`;
 * - passwords in URLs and connection strings: `postgres://app:hunter2@db:5432/x` →
 *   `postgres://app:[REDACTED]@db:5432/x`;
 * - AWS access key ids (`AKIA…`/`ASIA…`, 20 characters).
 *
 * Sample: `DB_PASSWORD=hunter2 MaxRAMPercentage=75 oom_score_adj:969` →
 * `DB_PASSWORD=[REDACTED] MaxRAMPercentage=75 oom_score_adj:969`.
 */
import type { Report } from "../model/incident.js";

/** What replaces every secret value. */
export const REDACTED = "[REDACTED]";

/**
 * Userinfo password in a URL (RFC 3986 §3.2.1 `scheme://user:password@host`), also for
 * connection strings such as `redis://:pw@cache:6379` and `mongodb+srv://u:p@cluster/`.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi;

/** RFC 6750 bearer token: `Authorization: Bearer eyJhbGciOi…`. */
const BEARER_TOKEN = /\b(Bearer\s+)([A-Za-z0-9._~+/=-]+)/gi;

/** AWS access key id (IAM `AKIA`, STS `ASIA` prefixes, 16 more upper-case letters/digits). */
const AWS_ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;

/**
 * A name, an optional closing quote, `=` or `:`, then a value: double-quoted, single-quoted,
 * or a bare run up to whitespace, quote, `,`, `;`, `&` or `}` (so JSON objects, query strings
 * and `;`-separated connection strings keep their other fields). An HTTP auth scheme word
 * (`Basic`, `Bearer`, `Digest`, `Token`) before the value is kept.
 * Covers `DB_PASSWORD=x`, `password: x`, `"apiKey": "x"`, `-Ddb.password=x`, `?token=x&`.
 */
const NAMED_VALUE =
  /([A-Za-z0-9_.-]+)("?\s*[=:]\s*)((?:Basic|Bearer|Digest|Token)\s+)?("[^"\n]*"|'[^'\n]*'|[^\s"',;&}]+)/g;

/** Secret words that count anywhere in a name (`MYSQL_ROOT_PASSWORD`, `keyStorePassword`). */
const SECRET_SUBSTRING = /PASSWORD|PASSWD|TOKEN|SECRET|CREDENTIAL/i;

/** Secret words that count only as a whole word of the name (`API_KEY`, `apiKey`, `x-auth`). */
const SECRET_WORD = /^(?:KEYS?|AUTH|AUTHORIZATION|APIKEY|ACCESSKEY|PRIVATEKEY|PWD)$/i;

/** Word boundaries inside a name: separators, and lower→upper camelCase steps. */
const NAME_WORD_SPLIT = /[_.\-]+|(?<=[a-z0-9])(?=[A-Z])/;

/** Values that are references to a secret, not the secret: `<set to the key …>`, `$(VAR)`, `${VAR}`. */
const NOT_A_SECRET_VALUE = /^(?:["']?(?:<|\$\(|\$\{)|\[REDACTED\]|["']\[REDACTED\]["']$|""$|''$)/;

/**
 * Returns a deep copy of `report` with secret-looking values replaced by `[REDACTED]` in
 * every string (names, messages, evidence text, commands, paths). Numbers, booleans, nulls
 * and object keys are unchanged; the input is not modified. Idempotent.
 */
export function redactReport(report: Report): Report {
  return redactDeep(report) as Report;
}

/**
 * Redacts one string (see the file header for the shapes).
 * `redactText("Authorization: Bearer abc.def")` → `"Authorization: Bearer [REDACTED]"`.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(BEARER_TOKEN, `$1${REDACTED}`)
    .replace(AWS_ACCESS_KEY_ID, REDACTED)
    .replace(NAMED_VALUE, redactNamedValue);
}

function redactNamedValue(match: string, name: string, sep: string, scheme: string | undefined, value: string): string {
  if (!isSecretName(name) || NOT_A_SECRET_VALUE.test(value)) return match;
  const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : "";
  return `${name}${sep}${scheme ?? ""}${quote}${REDACTED}${quote}`;
}

/** Whether a variable/property/header name looks like it holds a secret. */
function isSecretName(name: string): boolean {
  if (SECRET_SUBSTRING.test(name)) return true;
  return name.split(NAME_WORD_SPLIT).some((word) => SECRET_WORD.test(word));
}

function redactDeep(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = redactDeep(inner);
    return out;
  }
  return value;
}
