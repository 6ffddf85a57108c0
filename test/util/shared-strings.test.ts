/**
 * `compact` and `SharedStrings` (src/util/shared-strings.ts): what the pod-json ingester keeps of
 * each pod is a copy equal to what it mapped, whatever the sharing table held or dropped.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { compact, SharedStrings } from "../../src/util/shared-strings.js";

describe("compact", () => {
  it("returns a copy equal to its input and leaves the input as it was", () => {
    const input = {
      a: "x".repeat(40),
      list: [1, "two", null, { deep: ["y".repeat(300)] }],
      nested: { n: 3, b: true, u: undefined },
      none: null,
    };
    const before = structuredClone(input);
    const out = compact(input, new SharedStrings());
    expect(out).toEqual(before);
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
    expect(out.list).not.toBe(input.list);
    expect(out.nested).not.toBe(input.nested);
  });

  it("leaves what is not a plain object or array as it is (a Map, a Date)", () => {
    const map = new Map([["k", "v"]]);
    const when = new Date(0);
    const out = compact({ map, when }, new SharedStrings());
    expect(out.map).toBe(map);
    expect(out.when).toBe(when);
  });

  it("keeps every fact of a pod: the sample pod compacted equals the pod as mapped", async () => {
    const text = readFileSync(new URL("../../samples/batch-load-512mi/pod.json", import.meta.url), "utf8");
    const facts = await podJson.parse(sourceFromString("pod.json", text));
    const pod = facts.pods[0]!;
    expect(compact(pod, new SharedStrings())).toEqual(pod);
  });
});

describe("SharedStrings", () => {
  it("gives back an equal string, before and after its generations turn over, short, long and sliced", () => {
    const strings = new SharedStrings();
    const big = `prefix ${"z".repeat(1000)} suffix`;
    const early = strings.own(big.slice(7, 40));
    for (let i = 0; i < 25_000; i++)
      expect(strings.own(`value-${i}-${"q".repeat(i % 50)}`)).toBe(`value-${i}-${"q".repeat(i % 50)}`);
    expect(early).toBe("z".repeat(33));
    expect(strings.own(big.slice(7, 40))).toBe("z".repeat(33));
    expect(strings.own(big)).toBe(big);
    expect(strings.own("")).toBe("");
  });
});
