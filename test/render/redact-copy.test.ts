/**
 * Redaction copies only what it changes (issue 11): an object or array that holds a redacted
 * value is a copy, the rest is the input's own, the input is never modified, and the result
 * prints (JSON.stringify, as every renderer reads it) exactly as redacting a full copy of plain
 * objects does: a `__proto__` key, a redacted key that repeats another, a Date or a class instance
 * included. Checked on generated trees whose keys and strings are the passes' own words, seeded and
 * sized by case count.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactReport, redactValue } from "../../src/util/redact.js";
import { makeReport } from "./fixture-report.js";

/** A copy of `value` made of plain objects and arrays, filled key by key (what redaction used to copy into). */
function plainCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plainCopy);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = plainCopy(inner);
  return out;
}

/** An instance whose prototype is not Object.prototype. */
class Reading {
  constructor(
    public name: string,
    public value: string,
  ) {}
}

/** Keys that matter to redaction: env pairs, secret names, a key that redacts to another, `__proto__`. */
const key = fc.constantFrom(
  "name",
  "value",
  "password",
  "file",
  "text",
  "k",
  "DB_PASSWORD=x",
  "DB_PASSWORD=y",
  "__proto__",
);

/** Strings with and without secrets. */
const text = fc.oneof(
  fc.constantFrom(
    "DB_PASSWORD",
    "hunter2",
    "API_KEY=abc",
    "Bearer abc.def",
    "oom_score_adj:969",
    "[REDACTED]",
    "<set>",
  ),
  fc.string({ maxLength: 8 }),
);

/** Trees of plain objects (some with a null prototype), arrays, Dates, class instances and leaves. */
const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    text,
    fc.constantFrom(null, 0, 7, true, undefined),
    fc.constant(new Date(0)),
    fc.tuple(text, text).map(([n, v]) => new Reading(n, v)),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.tuple(fc.array(fc.tuple(key, tie("node")), { maxLength: 4 }), fc.boolean()).map(([pairs, bare]) => {
      const o: Record<string, unknown> = bare ? Object.create(null) : {};
      for (const [k, v] of pairs)
        Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    }),
  ),
})).node;

describe("redaction copies", () => {
  it("print as redacting a plain copy does, and leave the input as it was, on 3000 trees", () => {
    fc.assert(
      fc.property(tree, (value) => {
        const before = JSON.stringify(value);
        const out = redactValue(value);
        expect(JSON.stringify(value)).toBe(before);
        expect(JSON.stringify(out)).toBe(JSON.stringify(redactValue(plainCopy(value))));
      }),
      { numRuns: 3000, seed: 1105 },
    );
  });

  it("share what holds no secret and copy the path to what does", () => {
    const report = makeReport();
    const clean = redactReport(report);
    expect(clean).toBe(report);
    report.warnings.push({ file: "env.txt", line: 3, message: "DB_PASSWORD=hunter2" });
    const redacted = redactReport(report);
    expect(redacted).not.toBe(report);
    expect(redacted.warnings).not.toBe(report.warnings);
    expect(redacted.warnings.at(-1)!.message).toBe("DB_PASSWORD=[REDACTED]");
    expect(report.warnings.at(-1)!.message).toBe("DB_PASSWORD=hunter2");
    expect(redacted.incidents).toBe(report.incidents);
  });

  it("copy an env entry whose value is redacted by its name", () => {
    const env = { name: "DB_PASSWORD", value: "hunter2" };
    expect(redactValue(env)).toEqual({ name: "DB_PASSWORD", value: "[REDACTED]" });
    expect(env.value).toBe("hunter2");
  });
});
