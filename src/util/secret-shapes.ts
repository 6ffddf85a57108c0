/**
 * Token shapes: secrets recognised by what they look like, wherever they stand (an event
 * message, a command line, a file name), not by the name they are assigned to.
 *
 * The vendor patterns follow the rules of `@secretlint/secretlint-rule-preset-recommend`
 * 12.0.0 (the last release that runs on Node 20; its core is asynchronous and some of its
 * rules report ranges that cover the variable name, so the patterns are kept here and the
 * preset itself checks them in test/render/redact-corpus.test.ts). Lengths are lower bounds
 * instead of the vendors' exact lengths, so a token of a newer, longer format is still caught.
 * Every pattern starts with a literal prefix or a look-behind boundary and ends at the end of
 * a character-class run, so it matches in linear time (checked by eslint-plugin-regexp and
 * recheck in test/hostile/regex-linear.test.ts).
 *
 * Sample: `authorization: token ghp_16C7e42F292c6912E7710c838347Ae178B4a` →
 * `authorization: token [REDACTED]`.
 */

/** One token shape: the secret is the whole match. */
interface SecretShape {
  /** The secretlint rule (or vendor document) the shape follows. */
  source: string;
  /** Global regex whose whole match is the secret. */
  pattern: RegExp;
  /** Regex source of a literal every match holds (its vendor prefix), joined into `SHAPE_HINT`. */
  hint: string;
}

/** The shapes, vendor prefixes first, the generic high-entropy blob last. */
export const SECRET_SHAPES: readonly SecretShape[] = [
  // GitHub classic tokens (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ server, ghr_ refresh) and fine-grained PATs.
  { source: "secretlint-rule-github", pattern: /\bgh[pousr]_\w{30,}/g, hint: "gh[pousr]_" },
  { source: "secretlint-rule-github", pattern: /\bgithub_pat_\w{22,}/g, hint: "github_pat_" },
  // GitLab personal, deploy, runner, pipeline-trigger, CI-build, feed and agent tokens.
  {
    source: "secretlint-rule-gitlab",
    pattern: /(?<![\w-])gl(?:pat|dt|rt|ptt|cbt|ft|imt|agent|oas|soat)-[\w-]{20,}/g,
    hint: "gl(?:pat|dt|rt|ptt|cbt|ft|imt|agent|oas|soat)-",
  },
  // Slack bot/user/app/config tokens and incoming-webhook / workflow URLs (the path after the host).
  {
    source: "secretlint-rule-slack",
    pattern: /(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,}/g,
    hint: "xox[abposre]-",
  },
  { source: "secretlint-rule-slack", pattern: /(?<![A-Za-z0-9])xapp-[A-Za-z0-9-]{10,}/g, hint: "xapp-" },
  {
    source: "secretlint-rule-slack",
    pattern: /(?<=hooks\.slack\.com\/(?:services|workflows|triggers)\/)[\w/-]+/gi,
    hint: "hooks\\.slack\\.com\\/",
  },
  // Google API keys.
  { source: "Google Cloud API keys (AIza + 35)", pattern: /(?<![\w-])AIza[\w-]{30,}/g, hint: "AIza" },
  // Stripe secret and restricted keys, webhook signing secrets.
  { source: "Stripe API keys", pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}/g, hint: "[sr]k_(?:live|test)_" },
  { source: "Stripe webhook secrets", pattern: /\bwhsec_[A-Za-z0-9]{20,}/g, hint: "whsec_" },
  // npm, Docker Hub, OpenAI, Anthropic, Hugging Face, SendGrid, Shopify, Vault, Databricks, Grafana, Figma, Linear, Groq.
  { source: "secretlint-rule-npm", pattern: /\bnpm_[A-Za-z0-9]{30,}/g, hint: "npm_" },
  { source: "secretlint-rule-docker", pattern: /(?<![\w-])dckr_(?:pat|oat)_[\w-]{20,}/g, hint: "dckr_" },
  { source: "secretlint-rule-openai", pattern: /(?<![\w-])sk-[\w-]{20,}T3BlbkFJ[\w-]{20,}/g, hint: "T3BlbkFJ" },
  { source: "secretlint-rule-anthropic", pattern: /(?<![\w-])sk-ant-[a-z]{3}\d{2}-[\w-]{40,}/g, hint: "sk-ant-" },
  { source: "secretlint-rule-huggingface", pattern: /\bhf_[A-Za-z]{30,}/g, hint: "hf_" },
  { source: "secretlint-rule-sendgrid", pattern: /\bSG\.[\w-]{16,}\.[\w-]{16,}/g, hint: "SG\\." },
  { source: "secretlint-rule-shopify", pattern: /\bshp(?:pa|ca|at|ss)_[A-Za-z0-9]{32,}/g, hint: "shp(?:pa|ca|at|ss)_" },
  { source: "secretlint-rule-hashicorp-vault", pattern: /\bhv[sbr]\.[\w-]{24,}/g, hint: "hv[sbr]\\." },
  { source: "secretlint-rule-databricks", pattern: /\bdapi[a-f0-9]{32}(?:-\d)?(?![a-f0-9])/g, hint: "dapi" },
  { source: "secretlint-rule-grafana", pattern: /\bgl(?:c|sa)_[\w+/]{32,}={0,2}/g, hint: "gl(?:c|sa)_" },
  { source: "secretlint-rule-figma", pattern: /\bfigd_[\w-]{40,}/g, hint: "figd_" },
  { source: "secretlint-rule-linear", pattern: /\blin_api_\w{32,}/g, hint: "lin_api_" },
  { source: "secretlint-rule-groq", pattern: /\bgsk_[A-Za-z0-9]{40,}/g, hint: "gsk_" },
  // AWS access key ids (IAM user, role, STS and other principal prefixes).
  {
    source: "secretlint-rule-aws",
    pattern: /(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g,
    hint: "A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA",
  },
  // JSON Web Tokens (RFC 7519): a base64url JSON header `{"` = `eyJ`, a payload, an optional signature.
  { source: "RFC 7519 JWT", pattern: /(?<![\w-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, hint: "eyJ" },
];

/**
 * A literal every match of a `SECRET_SHAPES` pattern holds (case-insensitive, so a superset):
 * a string without any cannot hold a token shape and skips their passes (one per shape), which were half of
 * the regex time of redacting a report of kernel-log incidents (one alternation of literals
 * instead of 25 scans; the patterns themselves joined in one alternation were 3× slower than
 * apart). Built from each shape's `hint`; test/render/redact-corpus.test.ts checks that it is
 * found in every corpus line a shape matches.
 */
export const SHAPE_HINT = new RegExp(SECRET_SHAPES.map((x) => x.hint).join("|"), "i");

/**
 * A run of base64 characters at least 40 long (an AWS secret access key is exactly 40; a PEM
 * body line is 64), bounded by characters that are not part of a token. Whether it is a
 * secret is decided by {@link looksRandom}, as detect-secrets' base64 high-entropy plugin does.
 */
export const BASE64_BLOB = /(?<![\w+/=-])[A-Z0-9+/]{40,}={0,2}(?![\w+/=-])/gi;

/** The shortest run {@link BASE64_BLOB} matches (its `{40,}`). */
const BASE64_MIN_RUN = 40;

/** The characters of a {@link BASE64_BLOB} run (`[A-Z0-9+/]`, case-insensitive), by char code (ASCII only). */
const BASE64_CHAR = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") BASE64_CHAR[ch.charCodeAt(0)] = 1;

/** Whether the UTF-16 code unit `code` is a base64 character of {@link BASE64_CHAR}. */
const isBase64 = (code: number): boolean => code < 128 && BASE64_CHAR[code] === 1;

/**
 * False when no match of {@link BASE64_BLOB} in `text` passes {@link looksRandom}, so the base64
 * pass cannot change it. A match is a whole run of base64 characters (its look-behind and
 * look-ahead refuse one on either side), so this looks only for runs of 40 or more that
 * `looksRandom` accepts (a match may add `=` padding, which only lengthens the run it judges).
 * Reads one character in 40 (a run that long covers one of them) and the runs it lands in.
 */
export function mayHoldRandomRun(text: string): boolean {
  const n = text.length;
  for (let probe = BASE64_MIN_RUN - 1; probe < n;) {
    if (!isBase64(text.charCodeAt(probe))) {
      probe += BASE64_MIN_RUN;
      continue;
    }
    let start = probe;
    while (start > 0 && isBase64(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < n && isBase64(text.charCodeAt(end))) end++;
    if (end - start >= BASE64_MIN_RUN && looksRandom(text.slice(start, end))) return true;
    probe = end + BASE64_MIN_RUN;
  }
  return false;
}

const UPPER = /[A-Z]/;
const LOWER = /[a-z]/;
const DIGIT = /\d/;

/**
 * Whether a base64 run looks like random key material rather than a path or a hex digest:
 * it has upper-case letters, lower-case letters and digits, and switches between those three
 * classes at least once every four characters (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`
 * switches 13 times in 40; `io/netty/util/internal/PlatformDependent0` 4 times in 41; a
 * lower-case hex container id has no upper case).
 */
export function looksRandom(run: string): boolean {
  if (!UPPER.test(run) || !LOWER.test(run) || !DIGIT.test(run)) return false;
  let switches = 0;
  let previous = "";
  for (const ch of run) {
    const cls = ch >= "A" && ch <= "Z" ? "U" : ch >= "a" && ch <= "z" ? "L" : ch >= "0" && ch <= "9" ? "D" : "";
    if (cls === "") continue;
    if (previous !== "" && cls !== previous) switches++;
    previous = cls;
  }
  return switches * 4 >= run.length;
}

/** PEM private-key armour (RFC 7468): `-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN OPENSSH PRIVATE KEY-----`. */
const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY[ A-Z]{0,10}-----/g;
const PEM_END = "-----END";

/**
 * Replaces the body of every PEM private key in `text` (between its BEGIN line and the next
 * `-----END`, or to the end of the text when the END line is elsewhere), keeping the armour
 * lines and the whitespace around the body. String scanning after the BEGIN line, so linear in the text.
 */
export function redactPemBodies(text: string, replacement: string): string {
  if (!text.includes("PRIVATE KEY")) return text;
  let out = "";
  let from = 0;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const end = text.indexOf(PEM_END, bodyStart);
    const body = text.slice(bodyStart, end === -1 ? text.length : end);
    const lead = body.length - body.trimStart().length;
    const trail = body.trimEnd().length;
    if (trail > lead) {
      out += `${text.slice(from, bodyStart + lead)}${replacement}`;
      from = bodyStart + trail;
    }
    PEM_BEGIN.lastIndex = end === -1 ? text.length : end + PEM_END.length;
  }
  return out + text.slice(from);
}
