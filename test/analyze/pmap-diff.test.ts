import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyMapping, diffPmaps, pmapDiffs } from "../../src/analyze/pmap-diff.js";
import { pmap } from "../../src/ingest/pmap.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { PmapSnapshot } from "../../src/model/facts.js";

const FIXTURES = new URL("../fixtures/pmap/", import.meta.url);
const KB = 1024;
const MI = 2 ** 20;

async function snaps(path: string, text: string): Promise<PmapSnapshot[]> {
  return (await pmap.parse(sourceFromString(path, text))).pmaps;
}
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
/** RSS column (kB) of the rows with this address, in order, read independently of the ingester. */
const rssOf = (text: string, address: string): number[] =>
  text
    .split("\n")
    .filter((l) => l.replace(/^[-+ ]/, "").startsWith(address))
    .map((l) => Number(l.replace(/^[-+ ]/, "").split(/\s+/)[2]));

describe("pmap diff", () => {
  it("two dated snapshots of a JVM: growth is in two anonymous mappings, none in the 512 MiB heap", async () => {
    const text = fixture("two-snapshots-dated.txt");
    const [d, ...rest] = pmapDiffs(await snaps("pmap.txt", text), 512 * MI);
    expect(rest).toEqual([]);
    expect(d!.pid).toBe(31744);
    const [b1, a1] = rssOf(text, "00007f2a4c000000");
    const [b2, a2] = rssOf(text, "00007f2a38000000");
    expect(d!.rssDeltaBytes).toBe((a1! - b1! + a2! - b2!) * KB);
    expect(d!.changed.map((g) => g.address)).toEqual(["00007f2a4c000000", "00007f2a38000000"]);
    const afterRowLine = text.split("\n").findLastIndex((l) => l.startsWith("00007f2a4c000000")) + 1;
    expect(d!.changed[0]).toMatchObject({
      cls: "anon",
      rssDeltaBytes: (a1! - b1!) * KB,
      added: false,
      line: afterRowLine,
    });
    expect(d!.growthByClass["managed-heap"]).toBe(0);
    expect(d!.outsideHeapShare).toBe(1);
    expect(d!.reservedOnly).toBe(false);
    expect(d!.notes[0]).toMatch(/^resident memory grew 257 MiB: anon 257 MiB$/);
  });

  it("the before/after sides of a diff -u give the same growth as the two snapshots", async () => {
    const plain = pmapDiffs(await snaps("pmap.txt", fixture("two-snapshots-dated.txt")))[0]!;
    const fromDiff = pmapDiffs(await snaps("pmap.diff", fixture("diff-u.txt")));
    expect(fromDiff).toHaveLength(1);
    expect(fromDiff[0]!.rssDeltaBytes).toBe(plain.rssDeltaBytes);
    expect(fromDiff[0]!.before.diffSide).toBe("before");
  });

  it("growth only in mapped size is reserved address space, not a leak", async () => {
    const row = (addr: string, kb: number, rss: number, name = "[ anon ]") =>
      `${addr} ${String(kb).padStart(7)} ${String(rss).padStart(7)} ${String(rss).padStart(7)} rw---   ${name}`;
    const snap = (rows: string[]) =>
      `1:   app\nAddress           Kbytes     RSS   Dirty Mode  Mapping\n${rows.join("\n")}\n---------------- ------- ------- -------\ntotal kB 0 0 0\n`;
    const text =
      snap([row("00007f0000000000", 1024, 512)]) +
      snap([row("00007f0000000000", 1024, 512), row("00007f1000000000", 1048576, 64)]);
    const d = pmapDiffs(await snaps("p.txt", text))[0]!;
    expect(d.reservedOnly).toBe(true);
    expect(d.changed[0]).toMatchObject({ added: true, sizeDeltaBytes: 1048576 * KB, rssDeltaBytes: 64 * KB });
    expect(d.notes[0]).toMatch(/address space reserved, not used — not a leak/);
  });

  it("a shrinking or vanished mapping counts as negative growth and an arena-sized mapping is flagged", () => {
    const m = (address: string, sizeKb: number, rssKb: number, mapping = "[ anon ]", line = 1) => ({
      address,
      sizeBytes: sizeKb * KB,
      rssBytes: rssKb * KB,
      dirtyBytes: 0,
      mode: "rw---",
      mapping,
      line,
    });
    const base = {
      source: { file: "x", line: 1 },
      pid: 7,
      command: "app",
      totalSizeBytes: null,
      totalRssBytes: null,
      totalDirtyBytes: null,
    };
    const before: PmapSnapshot = { ...base, mappings: [m("a", 65536, 1000), m("b", 1000, 900, "/usr/lib/libc.so.6")] };
    const after: PmapSnapshot = { ...base, mappings: [m("a", 65536, 60000)] };
    const d = diffPmaps(before, after);
    expect(d.rssDeltaBytes).toBe((59000 - 900) * KB);
    expect(d.changed.find((g) => g.address === "a")!.arenaLike).toBe(true);
    expect(d.changed.find((g) => g.address === "b")).toMatchObject({ cls: "file", rssDeltaBytes: -900 * KB });
    expect(d.notes.join(" ")).toMatch(/malloc arenas/);
  });

  it("BusyBox snapshots (PSS) say so; a procps snapshot against a BusyBox one says the measures differ", async () => {
    const busybox = fixture("realworld-busybox-x-stress-mem.txt"); // 1 GiB of [heap] (see test/ingest/pmap.test.ts)
    const smaller = busybox
      .replace("1048576 1048576 1048576", "  65536   65536   65536")
      .replace("total\t\t 1048760 1048616 1048592", "total\t\t   65720   65576   65552");
    const [d] = pmapDiffs(await snaps("pmap.txt", `${smaller}\n${busybox}`));
    expect(d!.rssDeltaBytes).toBe((1048576 - 65536) * KB);
    expect(d!.notes).toEqual(["resident memory (PSS) grew 960 MiB: heap 960 MiB"]);
    const [procps] = await snaps("procps.txt", fixture("two-snapshots-dated.txt"));
    const [bb] = await snaps("pmap.txt", busybox);
    expect(diffPmaps(procps!, bb!).notes[0]).toMatch(
      /^one snapshot counts resident memory as RSS, the other as PSS \(procps and BusyBox pmap\)/,
    );
  });

  it("a single snapshot yields no diff", async () => {
    const one = await snaps("pmap.txt", fixture("xp-full-paths.txt"));
    expect(one).toHaveLength(1);
    expect(pmapDiffs(one)).toEqual([]);
  });
});

describe("classifyMapping", () => {
  it.each([
    ["[ heap ]", 1, null, "heap"],
    ["[ stack ]", 1, null, "stack"],
    ["[ stack:1234 ]", 1, null, "stack"],
    ["[ anon ]", 512 * MI, 512 * MI, "managed-heap"],
    ["[ anon ]", 64 * MI, 512 * MI, "anon"],
    ["/dev/shm/pulse-shm-1", 1, null, "shm"],
    ["/SYSV00000000 (deleted)", 1, null, "shm"],
    ["libjvm.so", 1, null, "file"],
  ] as const)("%s (%d bytes, heap %s) is %s", (mapping, sizeBytes, heap, cls) => {
    expect(classifyMapping({ mapping, sizeBytes }, heap)).toBe(cls);
  });
});
