import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { memleak } from "../../src/ingest/memleak.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { hostilePass } from "./hostile-pass.js";

const text = readFileSync(new URL("../fixtures/memleak/memleak-thumbd-two-intervals.txt", import.meta.url), "utf8");
const lineOf = (wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;

describe("memleak (BCC memleak-bpfcc)", () => {
  it("reads one report per interval, stacks largest first, the site past the allocator wrappers", async () => {
    expect(detectIngester(text, "leaks.txt")?.kind).toBe("memleak");
    const facts = await memleak.parse(sourceFromString("leaks.txt", text));
    expect(facts.diagnostics).toEqual([]);
    expect(facts.allocations).toHaveLength(2);
    const [first, second] = facts.allocations;
    expect(first).toMatchObject({ pid: 4127, timeText: "09:14:02" });
    expect(first!.stacks.map((s) => s.bytes)).toEqual([25165824, 1048576, 4096]);
    expect(first!.stacks[0]).toMatchObject({
      allocations: 96,
      site: "thumb_cache_insert+0x74 [thumbd]",
      line: lineOf("25165824 bytes"),
    });
    expect(first!.stacks[0]!.frames[0]).toBe("malloc+0x5d [libc.so.6]");
    expect(first!.stacks[1]!.site).toBe("read_chunk+0x11 [thumbd]");
    expect(first!.stacks[2]!.site).toBe("init_config+0x19 [thumbd]");
    expect(second!.stacks[0]).toMatchObject({ bytes: 50331648, site: "thumb_cache_insert+0x74 [thumbd]" });
  });

  it("keeps a library's own allocation function as the site when it is not a malloc wrapper", async () => {
    const facts = await memleak.parse(
      sourceFromString(
        "m.txt",
        "[1:00:00] Top 1 stacks with outstanding allocations:\n\t64 bytes in 1 allocations from stack\n\t\tmalloc+0x1 [libc.so.6]\n\t\tpng_malloc_base+0x21 [libpng16.so.16]\n",
      ),
    );
    expect(facts.allocations[0]!.stacks[0]!.site).toBe("png_malloc_base+0x21 [libpng16.so.16]");
  });

  it("warns about a line it does not understand, naming it, and keeps reading", async () => {
    const facts = await memleak.parse(
      sourceFromString(
        "m.txt",
        "[1:00:00] Top 1 stacks with outstanding allocations:\nsomething else\n\t64 bytes in 1 allocations from stack\n\t\tmain+0x1 [app]\n",
      ),
    );
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([["memleak/bad-line", 2]]);
    expect(facts.allocations[0]!.stacks[0]!.site).toBe("main+0x1 [app]");
  });

  it("survives the hostile pass", async () => {
    await hostilePass(
      memleak,
      "leaks.txt",
      text,
      (f) => f.allocations,
      (f) => f.allocations.reduce((n, r) => n + r.stacks.length, 0),
    );
  });
});
