/**
 * Redaction on the secret corpus (test/render/secret-corpus.ts): every shape loses exactly its
 * secret, look-alikes are untouched, and the secretlint recommended preset (the maintained
 * rule set the token shapes follow) finds nothing left in the redacted corpus.
 */
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { describe, expect, it } from "vitest";
import { REDACTED, redactText } from "../../src/util/redact.js";
import { SECRET_SHAPES, SHAPE_HINT } from "../../src/util/secret-shapes.js";
import { NOT_SECRETS, SECRET_CORPUS } from "./secret-corpus.js";

async function secretlintFindings(content: string): Promise<string[]> {
  const result = await lintSource({
    source: { content, filePath: "corpus.txt", ext: ".txt", contentType: "text" },
    options: { config: { rules: [{ id: recommended.meta.id, rule: recommended }] } },
  });
  // The preset's connection-string rule does not know our placeholder: a finding whose text
  // is already redacted is not a leak.
  return result.messages
    .map((m) => `${m.ruleId}: ${content.slice(m.range[0], m.range[1])}`)
    .filter((f) => !f.includes(REDACTED));
}

describe("secret corpus", () => {
  it("has at least 60 distinct shapes with distinct secrets", () => {
    expect(SECRET_CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(SECRET_CORPUS.map((c) => c.name)).size).toBe(SECRET_CORPUS.length);
    expect(new Set(SECRET_CORPUS.map((c) => c.probe)).size).toBe(SECRET_CORPUS.length);
    for (const c of SECRET_CORPUS) expect(c.probe.length, c.name).toBeGreaterThanOrEqual(8);
  });

  it.each(SECRET_CORPUS)("replaces only the secret: $name", ({ line, secret, probe }) => {
    const out = redactText(line);
    expect(out).toBe(line.split(secret).join(REDACTED));
    expect(out).not.toContain(probe);
  });

  it("finds SHAPE_HINT in every line a token shape matches (the pre-check skips no shape)", () => {
    const matched = new Set<RegExp>();
    for (const c of SECRET_CORPUS) {
      for (const { source, pattern } of SECRET_SHAPES) {
        pattern.lastIndex = 0;
        if (!pattern.test(c.line)) continue;
        matched.add(pattern);
        expect(SHAPE_HINT.test(c.line), `${c.name}: ${source}`).toBe(true);
      }
    }
    // Every shape has a corpus line.
    expect(SECRET_SHAPES.filter((s) => !matched.has(s.pattern)).map((s) => s.pattern.source)).toEqual([]);
  });

  it.each(NOT_SECRETS)("leaves %j unchanged", (text) => {
    expect(redactText(text)).toBe(text);
  });

  it("is idempotent", () => {
    for (const { line } of SECRET_CORPUS) expect(redactText(redactText(line))).toBe(redactText(line));
  });

  it("leaves nothing the secretlint recommended preset finds", async () => {
    const raw = SECRET_CORPUS.map((c) => c.line).join("\n");
    const before = await secretlintFindings(raw);
    expect(before.length, "the preset finds secrets in the raw corpus").toBeGreaterThanOrEqual(10);
    const after = await secretlintFindings(SECRET_CORPUS.map((c) => redactText(c.line)).join("\n"));
    expect(after).toEqual([]);
  });

  it("gives the same answer for a string seen before (memoised) and for a copy of it", () => {
    const line = SECRET_CORPUS[0]!.line;
    const first = redactText(line);
    expect(redactText(line)).toBe(first);
    expect(redactText(`${line.slice(0, 5)}${line.slice(5)}`)).toBe(first);
  });
});
