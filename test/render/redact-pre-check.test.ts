/**
 * The redaction pre-check (`mayHoldSecret`, issue 11) is conservative: whenever it lets a string
 * skip the passes, the passes would have left it unchanged, so `redactText` (pre-check and memo)
 * answers exactly as `redactAllPasses` (every pass, always). Checked on arbitrary strings and on
 * strings built from the passes' own fragments: secret names and separators, JSON env pairs,
 * flags (`--password X`, `-u USER -p X`), URLs with a password, `Bearer`, token prefixes from
 * `SECRET_SHAPES` (generated from each shape's `hint`) with token tails, base64 runs around the
 * 40-character minimum and PEM armour, joined with the characters around them.
 *
 * Every property is sized by its case count (in the test's name and its `numRuns`) and seeded, so a
 * run is reproducible (fast-check prints the seed and the shrunk counterexample on failure).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayHoldSecret, redactAllPasses, redactText } from "../../src/util/redact.js";
import { SECRET_SHAPES } from "../../src/util/secret-shapes.js";

/** Words that make a name secret (the file header of src/util/redact.ts), in several spellings. */
const SECRET_WORDS = [
  "PASSWORD",
  "Passwd",
  "token",
  "SECRET",
  "credential",
  "KEY",
  "keys",
  "Auth",
  "AUTHORIZATION",
  "apikey",
  "AccessKey",
  "privateKey",
  "pwd",
  "PASS",
  "passphrase",
];

/** A secret name: a secret word with optional name words around it (`DB_PASSWORD`, `apiKey`, `pwd_FILE`). */
const secretName = fc
  .tuple(
    fc.constantFrom("", "DB_", "db-", "my.", "x-", "mysqlRoot", "aws_secret_", "client"),
    fc.constantFrom(...SECRET_WORDS),
    fc.constantFrom("", "_FILE", "-name", "Type", "_2", "s", ".value"),
  )
  .map((parts) => parts.join(""));

/** A value as the passes read one: bare, quoted, with an auth scheme, a reference, or empty. */
const value = fc.oneof(
  fc.stringMatching(/^[\w!@#%^*./+~-]{1,12}$/),
  fc.stringMatching(/^"[\w ]{0,8}"$/),
  fc.stringMatching(/^'[\w ]{0,8}'$/),
  fc.constantFrom("Basic dXNlcjpwYXNz", "Token abc", "$(DB_PASS)", "${X}", "<set to the key>", "[REDACTED]", '""'),
);

/** The characters of a base64 run. */
const BASE64_CHARS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"];

/** A base64 run around BASE64_BLOB's 40-character minimum, random-looking or not, with padding. */
const base64Run = fc.oneof(
  fc
    .tuple(fc.array(fc.constantFrom(...BASE64_CHARS), { minLength: 36, maxLength: 46 }), fc.constantFrom("", "=", "=="))
    .map(([run, padding]) => run.join("") + padding),
  fc.stringMatching(/^[a-f0-9]{38,64}$/),
  fc.stringMatching(/^[A-Z0-9]{38,42}$/),
);

/** A token: a `SECRET_SHAPES` hint (a string its regex matches) and a tail of token characters. */
const token = fc
  .tuple(
    fc.oneof(...SECRET_SHAPES.map((shape) => fc.stringMatching(new RegExp(`^(?:${shape.hint})$`)))),
    fc.stringMatching(/^[\w-]{0,48}$/),
  )
  .map(([prefix, tail]) => prefix + tail);

/** One piece of text: a fragment of some pass, or a character that stands around them. */
const fragment = fc.oneof(
  fc.tuple(secretName, fc.constantFrom("=", ": ", '": ', " = ", ":", "\t"), value).map((parts) => parts.join("")),
  fc.tuple(secretName, value).map(([name, v]) => `{"name":"${name}","value":"${v}"}`),
  fc.tuple(fc.constantFrom("--", "-"), secretName, fc.constantFrom(" ", "\t", "="), value).map((p) => p.join("")),
  fc
    .tuple(fc.constantFrom("-u root", "-uadmin", "-u $U"), fc.constantFrom(" -p ", " -p\t", " -p"), value)
    .map((p) => p.join("")),
  fc
    .tuple(fc.constantFrom("postgres", "redis", "https", "x+y"), fc.stringMatching(/^[\w.]{0,6}$/), value)
    .map(([scheme, user, pw]) => `${scheme}://${user}:${pw}@db.svc:5432/x`),
  fc.tuple(fc.constantFrom("Bearer ", "bearer\t", "BEARER  "), value).map((p) => p.join("")),
  token,
  base64Run,
  fc.constantFrom(
    "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
    "-----END",
  ),
  fc.constantFrom("=", ":", "://", " ", "\t", "\n", '"', "'", ",", ";", "&", "{", "}", "@", "/", "-", "_", ".", "?"),
  fc.constantFrom("oom_score_adj:969", "anon-rss:520924kB", "/etc/passwd", "monkey=1", "keyboard", "author: me"),
  fc.string({ maxLength: 12 }),
);

/** Text built from fragments: the passes' own alphabet, in any order. */
const builtText = fc.array(fragment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(""));

/** Checks that the pre-check is conservative on `text` and that `redactText` agrees with the passes; returns whether the passes changed it. */
function agrees(text: string): boolean {
  const full = redactAllPasses(text);
  if (!mayHoldSecret(text)) expect(full, "the pre-check skipped a string the passes change").toBe(text);
  expect(redactText(text)).toBe(full);
  return full !== text;
}

describe("redaction pre-check", () => {
  it("agrees with every pass on 3000 arbitrary strings (every code point)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        agrees(text);
      }),
      { numRuns: 3000, seed: 1101 },
    );
  });

  it("agrees with every pass on 6000 strings built from the passes' fragments, most of them redacted", () => {
    let redacted = 0;
    let skipped = 0;
    fc.assert(
      fc.property(builtText, (text) => {
        if (agrees(text)) redacted++;
        if (!mayHoldSecret(text)) skipped++;
      }),
      { numRuns: 6000, seed: 1102 },
    );
    // The fragments exercise both answers: strings the passes change and strings the pre-check lets through.
    expect(redacted).toBeGreaterThan(2000);
    expect(skipped).toBeGreaterThan(300);
  });

  it("agrees with every pass on 4000 single fragments between plain words", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("", "x ", "env: "),
        fragment,
        fc.constantFrom("", " y", "\n"),
        (before, piece, after) => {
          agrees(before + piece + after);
        },
      ),
      { numRuns: 4000, seed: 1103 },
    );
  });

  it("agrees with every pass on 3000 short strings of secret words and separators", () => {
    const piece = fc.constantFrom("pwd", "KEY", "Pass", "=", ":", " ", "-p", "-u", "x", "1", "@", "//", '"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 5 }), (pieces) => {
        agrees(pieces.join(""));
      }),
      { numRuns: 3000, seed: 1104 },
    );
  });

  it("lets kernel lines, memcg paths and report prose skip the passes", () => {
    for (const text of [
      "2026-11-14T01:39:00+00:00 ip-10-0-3-17 kernel: Memory cgroup out of memory: Killed process 3001683 (worker-1) total-vm:1874608kB, anon-rss:520924kB, file-rss:1468kB, shmem-rss:0kB, UID:65532 pgtables:1112kB oom_score_adj:984",
      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8c18e65e_b559_e0ff_cbc8_99a84f39e586.slice/cri-containerd-12cdc2f593193a0a31b4dbe7c9e3a49ea1774f62afb500b7dd33b9f54ea4af65.scope",
      "A process inside the container was OOM-killed; its main process survived the kill",
      "io/netty/util/internal/PlatformDependent0",
    ]) {
      expect(mayHoldSecret(text), text).toBe(false);
      expect(redactAllPasses(text)).toBe(text);
    }
  });

  it("sends a random-looking base64 run of 40 characters to the passes, and one of 39 past them", () => {
    const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEk3Y";
    expect(key).toHaveLength(40);
    for (const text of [key, `x ${key}`, `${key} y`, `${"a".repeat(45)} ${key}`]) {
      expect(mayHoldSecret(text), text).toBe(true);
      expect(redactAllPasses(text), text).not.toBe(text);
    }
    expect(mayHoldSecret(`x ${key.slice(1)} y`)).toBe(false);
  });

  it("finds a random-looking base64 run of 40 at every offset, between spaces or words", () => {
    const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEk3Y";
    for (const filler of [" ", "ab cd-"]) {
      for (let at = 0; at <= 90; at++) {
        const before = filler.repeat(at).slice(0, at);
        const text = `${before}${at > 0 ? " " : ""}${key} ${filler.repeat(50)}`;
        expect(mayHoldSecret(text), JSON.stringify(text)).toBe(true);
        expect(redactAllPasses(text)).not.toBe(text);
      }
    }
  });
});
