import { describe, expect, it } from "vitest";
import { mergeSameLine } from "../../src/model/source.js";

describe("mergeSameLine", () => {
  it("quotes a cited line once, its claims joined, in first-seen order", () => {
    const merged = mergeSameLine([
      { file: "a.txt", line: 3, text: "limit 512 MiB" },
      { file: "b.txt", line: 3, text: "other file" },
      { file: "a.txt", line: 3, text: "usage 512 MiB" },
      { file: "a.txt", line: 3, text: "limit 512 MiB" },
    ]);
    expect(merged).toEqual([
      { file: "a.txt", line: 3, text: "limit 512 MiB; usage 512 MiB" },
      { file: "b.txt", line: 3, text: "other file" },
    ]);
  });

  it("keeps line-less items apart unless their text is the same, and never changes its input", () => {
    const input = [
      { file: "m.csv", text: "series A" },
      { file: "m.csv", text: "series B" },
      { file: "m.csv", text: "series A" },
    ];
    expect(mergeSameLine(input).map((e) => e.text)).toEqual(["series A", "series B"]);
    const first = { file: "a.txt", line: 1, text: "x" };
    mergeSameLine([first, { file: "a.txt", line: 1, text: "y" }]);
    expect(first.text).toBe("x");
  });
});
