/**
 * Issue 10, "unbounded decompression" and many entries: the per-bundle budgets (files and
 * archive entries, decompressed bytes) stop each case with a warning, the valid file beside it
 * is still analysed, and the run stays within the time and memory bounds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import lzma from "lzma-native";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { GOOD_DESCRIBE, manySmallFiles, overlappingZip, tinyEntriesTgz, writeBundle } from "./generate.js";
import { checkBounded, runMeasured, treeHash } from "./run.js";

const work = mkdtempSync(join(tmpdir(), "oom-postmortem-archives-"));
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

async function analyse(dir: string): Promise<Report> {
  const before = treeHash(dir);
  const r = await runMeasured([dir, "--format", "json", "--quiet"]);
  expect(checkBounded(r)).toEqual([]);
  expect(r.status).toBe(0);
  expect(treeHash(dir)).toBe(before);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.bundle.files.find((f) => f.path === "describe.txt")?.kind).toBe("kubectl-describe");
  return report;
}

describe("hostile: archives and many files", () => {
  it("a .tgz of 100k tiny entries: read up to the entry budget, then a warning", async () => {
    const dir = writeBundle(join(work, "tiny"), { "describe.txt": GOOD_DESCRIBE });
    await tinyEntriesTgz(join(dir, "tiny.tgz"), 100_000);
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ file: "tiny.tgz", message: expect.stringMatching(/budget per bundle/) }),
    );
    expect(report.bundle.files.length).toBeLessThanOrEqual(10_002);
  });

  it("a zip whose 2000 directory entries all point at one 8 MiB member: stopped by the ratio or the bundle cap", async () => {
    const dir = writeBundle(join(work, "overlap"), {
      "describe.txt": GOOD_DESCRIBE,
      "bundle.zip": overlappingZip(2000, 8 * 1024 * 1024),
    });
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ file: "bundle.zip", message: expect.stringMatching(/decompression stopped/) }),
    );
  });

  it("an .xz of 32 MiB of zeros (a bomb, whatever its index says): stopped while decoding", async () => {
    const dir = writeBundle(join(work, "xz"), { "describe.txt": GOOD_DESCRIBE });
    const zeros = Readable.from(
      (function* () {
        for (let i = 0; i < 32; i++) yield Buffer.alloc(1024 * 1024);
      })(),
    );
    await pipeline(zeros, lzma.createCompressor({ preset: 0 }), createWriteStream(join(dir, "dmesg.txt.xz")));
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        file: "dmesg.txt.xz",
        message: expect.stringMatching(/decompression stopped at \d+ bytes: ratio/),
      }),
    );
  });

  it("a folder of 12k small files: read up to the file budget, the rest counted in a warning", async () => {
    const dir = writeBundle(join(work, "many"), { "describe.txt": GOOD_DESCRIBE });
    manySmallFiles(dir, 12_000);
    const report = await analyse(dir);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(
          /^not analysed: this file and the 2000 after it not read: the bundle already has 10000 files/,
        ),
      }),
    );
  }, 120_000);
});
