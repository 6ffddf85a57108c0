/**
 * Archives as bundles: every format read in place (detected by magic bytes, not name), entries
 * cited as `archive!/path`, nested archives, refused entries, and the decompression limits.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discover, type DiscoveredFile } from "../../src/discover.js";
import { runPostmortem } from "../../src/pipeline.js";
import { expected, gzip, membersOf, sample, tarOf, tempDir, writeTree, xzOf, zipOf } from "./builders.js";

const SCENARIO = "batch-load-512mi";
const FILES = ["describe-pod.txt", "dmesg.txt", "pod.json"];
const bundleFiles = () => Object.fromEntries(FILES.map((f) => [f, sample(SCENARIO, f)]));
const tarball = () => tarOf(membersOf(bundleFiles(), `${SCENARIO}/`));

/** Writes `data` as `name` in a fresh temp folder and returns its path. */
function put(name: string, data: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, data);
  return path;
}

const kinds = (files: DiscoveredFile[]) =>
  Object.fromEntries(files.map((f) => [f.source.path, f.ingester?.kind ?? "unknown"]));
const reasons = (files: DiscoveredFile[]) =>
  files.filter((f) => f.skipReason).map((f) => `${f.source.path}: ${f.skipReason}`);

describe("archive formats", () => {
  const forms: [string, string, () => Promise<Buffer>][] = [
    ["tar", "bundle.tar", tarball],
    ["tar.gz", "bundle.tar.gz", async () => gzip(await tarball())],
    ["tgz named .bin (magic decides)", "bundle.bin", async () => gzip(await tarball())],
    ["tar.xz (sosreport default)", "bundle.tar.xz", async () => xzOf(await tarball())],
    ["zip", "bundle.zip", async () => zipOf(membersOf(bundleFiles(), `${SCENARIO}/`))],
    ["zip named .tar.gz (magic decides)", "bundle.tar.gz", async () => zipOf(membersOf(bundleFiles(), `${SCENARIO}/`))],
  ];

  it.each(forms)(
    "a %s bundle yields the sample's incident with entries cited as archive!/path",
    async (_label, name, make) => {
      const path = put(name, await make());
      const want = expected(SCENARIO);
      const report = await runPostmortem({ bundlePath: path });
      expect({ event: report.incidents[0]?.event, cause: report.incidents[0]?.verdict.cause }).toEqual(want);
      expect(report.bundle.files.map((f) => f.path).sort()).toEqual(
        FILES.map((f) => `${name}!/${SCENARIO}/${f}`).sort(),
      );
      expect(report.bundle.files.every((f) => f.kind !== "unknown")).toBe(true);
      for (const e of report.incidents[0]!.verdict.evidence)
        expect(e.file).toMatch(new RegExp(`^${name.replace(/\./g, "\\.")}!/${SCENARIO}/`));
      expect(report.warnings).toEqual([]);
    },
  );

  it("a single gzipped file is read as that file (dmesg.txt.gz!/dmesg.txt)", async () => {
    const path = put("dmesg.txt.gz", gzip(sample(SCENARIO, "dmesg.txt")));
    const files = await discover(path);
    expect(kinds(files)).toEqual({ "dmesg.txt.gz!/dmesg.txt": "kernel-log" });
    const report = await runPostmortem({ bundlePath: path });
    expect(report.incidents[0]?.event).toBe(expected(SCENARIO).event);
  });

  it("concatenated gzip members (cat a.gz b.gz) are one stream", async () => {
    const text = sample(SCENARIO, "dmesg.txt");
    const half = text.indexOf("\n", text.length >> 1) + 1;
    const path = put("dmesg.gz", Buffer.concat([gzip(text.subarray(0, half)), gzip(text.subarray(half))]));
    const files = await discover(path);
    expect(await files[0]!.source.text()).toBe(text.toString("utf8"));
  });

  it("archives inside a folder bundle and inside other archives are opened", async () => {
    const inner = gzip(sample(SCENARIO, "dmesg.txt"));
    const tgz = gzip(
      await tarOf([
        ...membersOf({ "pod.json": sample(SCENARIO, "pod.json") }, "b/"),
        { name: "b/logs/dmesg.txt.gz", data: inner },
      ]),
    );
    const root = writeTree(tempDir(), {
      "describe-pod.txt": sample(SCENARIO, "describe-pod.txt"),
      "collected/support.tgz": tgz,
    });
    const files = await discover(root);
    expect(kinds(files)).toEqual({
      "describe-pod.txt": "kubectl-describe",
      "collected/support.tgz!/b/pod.json": "pod-json",
      "collected/support.tgz!/b/logs/dmesg.txt.gz!/dmesg.txt": "kernel-log",
    });
    const report = await runPostmortem({ bundlePath: root });
    expect({ event: report.incidents[0]?.event, cause: report.incidents[0]?.verdict.cause }).toEqual(
      expected(SCENARIO),
    );
  });

  it("an empty zip gives no files; an empty tar (zero blocks, no magic) is listed as binary", async () => {
    expect((await discover(put("empty.tar", await tarOf([])))).map((f) => f.skipReason)).toEqual([
      "binary content (not a text artifact)",
    ]);
    expect(await discover(put("empty.zip", zipOf([])))).toEqual([]);
  });

  it("bzip2 and zstd archives are named as unsupported, not misread as text", async () => {
    const bz = await discover(
      put("sosreport.tar.bz2", Buffer.concat([Buffer.from("BZh91AY&SY"), Buffer.alloc(100, 7)])),
    );
    const zst = await discover(put("bundle.tar.zst", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])));
    expect(reasons(bz)).toEqual([
      expect.stringMatching(/^sosreport\.tar\.bz2: bzip2 compression is not supported .*extract it/),
    ]);
    expect(reasons(zst)).toEqual([expect.stringMatching(/^bundle\.tar\.zst: zstd compression is not supported/)]);
  });
});

describe("refused entries", () => {
  const hostile = [
    ...membersOf({ "dmesg.txt": sample(SCENARIO, "dmesg.txt") }, "b/"),
    { name: "../../etc/cron.d/evil", data: "* * * * * root sh\n" },
    { name: "/etc/passwd", data: "root:x:0:0::/root:/bin/sh\n" },
    { name: "b/../../escape.txt", data: "x\n" },
    { name: "b/passwd", type: "symlink" as const, target: "/etc/passwd" },
    { name: "b/up", type: "symlink" as const, target: "../../../home" },
    { name: "b/hard", type: "link" as const, target: "../outside" },
    { name: "b/dmesg", type: "symlink" as const, target: "dmesg.txt" },
  ];

  it.each([
    ["tar.gz", "evil.tgz", async () => gzip(await tarOf(hostile))],
    ["zip", "evil.zip", async () => zipOf(hostile.filter((m) => !("type" in m && m.type === "link")))],
  ])(
    "a %s with escaping entries: each is refused with a warning naming it; the rest is read",
    async (label, name, make) => {
      const files = await discover(put(name, await make()));
      const refused = files.filter((f) => f.skipReason?.startsWith("refused"));
      const names = [
        "../../etc/cron.d/evil",
        "/etc/passwd",
        "b/../../escape.txt",
        "b/passwd",
        "b/up",
        ...(label === "tar.gz" ? ["b/hard"] : []),
      ];
      expect(refused.map((f) => f.skipReason)).toEqual(names.map((n) => expect.stringContaining(`"${n}"`)));
      expect(refused.every((f) => !f.quiet && f.ingester === null)).toBe(true);
      expect(kinds(files)[`${name}!/b/dmesg.txt`]).toBe("kernel-log");
      // A link that stays inside is listed quietly, not followed.
      const inside = files.find((f) => f.source.path === `${name}!/b/dmesg`);
      expect(inside).toMatchObject({ quiet: true, ingester: null });
    },
  );

  it("zip names with backslashes are separators, and ..\\ is refused", async () => {
    const files = await discover(
      put(
        "win.zip",
        zipOf([
          { name: "bundle\\dmesg.txt", data: sample(SCENARIO, "dmesg.txt") },
          { name: "..\\..\\evil.bat", data: "echo\r\n" },
        ]),
      ),
    );
    expect(kinds(files)["win.zip!/bundle/dmesg.txt"]).toBe("kernel-log");
    expect(reasons(files)).toEqual([
      expect.stringContaining('refused archive entry "../../evil.bat": path climbs out'),
    ]);
  });
});

describe("decompression limits", () => {
  it("a gzip bomb stops with a ratio warning, not an out-of-memory", async () => {
    const zeros = Buffer.alloc(32 * 1024 ** 2);
    const path = put("dmesg.gz", gzip(zeros));
    const files = await discover(path);
    const warning = files.map((f) => f.skipReason).find((r) => r?.startsWith("decompression stopped"));
    expect(warning).toMatch(
      /^decompression stopped at \d+ bytes: ratio \d+:1 exceeds 1000:1 \(a decompression bomb\?\)$/,
    );
    const stoppedAt = Number(/at (\d+) bytes/.exec(warning!)![1]);
    expect(stoppedAt).toBeLessThan(4 * 1024 ** 2);
    expect(files.every((f) => f.ingester === null)).toBe(true);
  });

  // A few kernel lines before the bomb: their compressed bytes barely move the cumulative ratio.
  const someKernelLines = () =>
    sample(SCENARIO, "dmesg.txt").toString("utf8").split("\n").slice(0, 12).join("\n") + "\n";

  it("a bomb inside a tar.gz keeps the entries before it and names the archive", async () => {
    const tgz = gzip(
      await tarOf([
        { name: "b/dmesg.txt", data: someKernelLines() },
        { name: "b/zeros.log", data: Buffer.alloc(32 * 1024 ** 2) },
      ]),
    );
    const files = await discover(put("bomb.tgz", tgz));
    expect(kinds(files)["bomb.tgz!/b/dmesg.txt"]).toBe("kernel-log");
    expect(reasons(files)).toEqual([
      expect.stringMatching(
        /^bomb\.tgz: decompression stopped at \d+ bytes: ratio \d+:1 exceeds 1000:1 .*\(after 2 entries; those were kept\)$/,
      ),
    ]);
  });

  it("a zip entry that inflates past the ratio stops the zip", async () => {
    const files = await discover(
      put(
        "bomb.zip",
        zipOf([
          { name: "dmesg.txt", data: someKernelLines() },
          { name: "zeros.txt", data: Buffer.alloc(32 * 1024 ** 2) },
        ]),
      ),
    );
    expect(kinds(files)["bomb.zip!/dmesg.txt"]).toBe("kernel-log");
    expect(reasons(files)).toEqual([
      expect.stringMatching(/^bomb\.zip: decompression stopped at \d+ bytes: ratio \d+:1 exceeds 1000:1/),
    ]);
  });

  it("the total cap on decompressed bytes stops an archive", async () => {
    const tgz = gzip(await tarOf(membersOf(bundleFiles(), "b/")));
    const files = await discover(put("b.tgz", tgz), undefined, { limits: { totalBytes: 12_000 } });
    expect(reasons(files)).toEqual([
      expect.stringMatching(/^b\.tgz: decompression stopped at \d+ bytes: more than the 12000-byte cap/),
    ]);
  });

  it("an .xz is decoded as a stream and stopped by the cap while decoding (its index is never trusted)", async () => {
    const files = await discover(put("sos.tar.xz", xzOf(await tarball())), undefined, {
      limits: { totalBytes: 12_000 },
    });
    expect(reasons(files)).toEqual([
      expect.stringMatching(/^sos\.tar\.xz: decompression stopped at \d+ bytes: more than the 12000-byte cap/),
    ]);
  });

  it("an entry larger than the per-entry limit is skipped with a warning naming it", async () => {
    const files = await discover(put("b.tgz", gzip(await tarball())), undefined, { limits: { entryBytes: 9000 } });
    const big = files.find((f) => f.source.path === `b.tgz!/${SCENARIO}/pod.json`);
    expect(big?.skipReason).toMatch(/^archive entry larger than the 9000-byte limit for one archive entry, skipped/);
    expect(kinds(files)[`b.tgz!/${SCENARIO}/describe-pod.txt`]).toBe("kubectl-describe");
  });

  it.each([0.3, 0.6, 0.9])("a tar.gz truncated at %s of its length keeps what came before and warns", async (frac) => {
    const tgz = gzip(await tarball());
    const files = await discover(put("cut.tgz", tgz.subarray(0, Math.floor(tgz.length * frac))));
    expect(reasons(files)).toEqual([
      expect.stringMatching(/^cut\.tgz: archive unreadable — expected a complete gzip archive — received: /),
    ]);
  });

  it("binary garbage named .tar.gz is a binary file, not an archive", async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    const files = await discover(put("x.tar.gz", garbage));
    expect(files.map((f) => f.skipReason)).toEqual(["binary content (not a text artifact)"]);
  });
});
