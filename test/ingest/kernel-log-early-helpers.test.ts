/**
 * Early kernel-log helpers (`kernel-log/early-helpers.ts`): started from the command line for the
 * first big text file (named, or directly in a named folder), adopted by the scan of that file
 * (same facts as reading every line), left alone by a scan with other limits, and stopped by the
 * pipeline when no scan takes them. Limits are lowered (a 64 KiB chunk instead of 4 MiB), the
 * rest is the real worker.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseKernelLog } from "../../src/ingest/kernel-log.js";
import {
  adoptEarlyHelper,
  earlyHelperPaths,
  startEarlyHelper,
  stopEarlyHelpers,
  type EarlyLimits,
} from "../../src/ingest/kernel-log/early-helpers.js";
import { sourceFromFile } from "../../src/ingest/source.js";
import { runPostmortem } from "../../src/pipeline.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));
const LIMITS: EarlyLimits = { minBytes: 256 << 10, chunkBytes: 64 << 10, maxLines: 100_000 };
const SCAN = { splitFrom: 0, chunkBytes: LIMITS.chunkBytes, maxHintLines: LIMITS.maxLines };

// Every fixture report, separated by noise, until the text is at least `bytes` long.
function bigLog(bytes: number): string {
  const reports = readdirSync(FIXTURES).map((f) => readFileSync(join(FIXTURES, f), "utf8"));
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const noise = `[ ${1000 + i}.000000] eth0: link up, noise line ${i}\n`.repeat(200);
    const part = noise + reports[i % reports.length]! + "\n";
    parts.push(part);
    n += part.length;
  }
  return parts.join("");
}

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "early-helpers-"));
});
afterEach(async () => {
  await stopEarlyHelpers();
  rmSync(dir, { recursive: true, force: true });
});

describe("early kernel-log helpers", () => {
  it("the scan of the file adopts the helper started for it, with the facts of reading every line", async () => {
    const path = join(dir, "kern.log");
    writeFileSync(path, bigLog(1 << 20));
    // Named from the working directory, as discovery then names it to the scan.
    const named = relative(process.cwd(), path);
    startEarlyHelper(["--format", "json", named, "-q"], LIMITS);
    expect(earlyHelperPaths()).toEqual([path]);
    const source = await sourceFromFile(named, "kern.log");
    const fast = await parseKernelLog(source, SCAN);
    expect(earlyHelperPaths(), "adopted").toEqual([]);
    const slow = await parseKernelLog(source, { scan: false });
    expect(slow.ooms.length).toBeGreaterThan(20);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  });

  it("a scan with other limits, or of a file that changed size, leaves the helper alone", async () => {
    const path = join(dir, "kern.log");
    writeFileSync(path, bigLog(1 << 20));
    startEarlyHelper([path], LIMITS);
    const source = await sourceFromFile(path, "kern.log");
    const size = readFileSync(path).length;
    expect(adoptEarlyHelper(path, size, LIMITS.chunkBytes * 2, LIMITS.maxLines)).toBeNull();
    expect(adoptEarlyHelper(path, size, LIMITS.chunkBytes, LIMITS.maxLines - 1)).toBeNull();
    appendFileSync(path, "[ 9999.000000] one more line\n");
    const fast = await parseKernelLog(source, SCAN);
    expect(earlyHelperPaths(), "not adopted: the file grew").toEqual([path]);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(await parseKernelLog(source, { scan: false })));
  });

  it("starts for the first big text file only: named, or directly in a named folder", () => {
    const small = join(dir, "small.log");
    writeFileSync(small, "[ 1.0] eth0: link up\n");
    const binary = join(dir, "core.bin");
    writeFileSync(binary, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(1 << 20, 0x41)]));
    startEarlyHelper([small, binary, join(dir, "missing.log"), "-"], LIMITS);
    expect(earlyHelperPaths(), "small, binary, missing, stdin").toEqual([]);

    const folder = join(dir, "bundle");
    mkdirSync(join(folder, "nested"), { recursive: true });
    writeFileSync(join(folder, "nested", "deep.log"), bigLog(1 << 20)); // below the folder: discovery's
    writeFileSync(join(folder, "kern.log"), bigLog(1 << 20));
    const other = join(dir, "other.log");
    writeFileSync(other, bigLog(1 << 20));
    startEarlyHelper([binary, folder, other], LIMITS);
    expect(earlyHelperPaths()).toEqual([join(folder, "kern.log")]);
    startEarlyHelper([other], LIMITS);
    expect(earlyHelperPaths(), "one at a time").toEqual([join(folder, "kern.log")]);
  });

  it("leaves a folder of more than 256 entries to discovery", async () => {
    const folder = join(dir, "sosreport");
    mkdirSync(folder);
    writeFileSync(join(folder, "kern.log"), bigLog(1 << 20));
    for (let i = 0; i < 255; i++) writeFileSync(join(folder, `f${i}.txt`), "x\n");
    startEarlyHelper([folder], LIMITS);
    expect(earlyHelperPaths(), "256 entries").toEqual([join(folder, "kern.log")]);
    await stopEarlyHelpers();
    writeFileSync(join(folder, "one-more.txt"), "x\n");
    startEarlyHelper([folder], LIMITS);
    expect(earlyHelperPaths(), "257 entries").toEqual([]);
  });

  it("stops the helpers of files not kept, and the pipeline stops one no scan took", async () => {
    const path = join(dir, "kern.log");
    writeFileSync(path, bigLog(1 << 20));
    startEarlyHelper([path], LIMITS);
    await stopEarlyHelpers([relative(process.cwd(), path)]);
    expect(earlyHelperPaths(), "kept").toEqual([path]);
    await stopEarlyHelpers();
    expect(earlyHelperPaths()).toEqual([]);

    // A big text file that is not a kernel log (a metrics export): its helper is stopped.
    const csv = join(dir, "metrics.csv");
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `worker,2026-06-09T11:${String(i % 60).padStart(2, "0")}:00Z,${i}`,
    );
    writeFileSync(csv, `Series,Time,Value\n${rows.join("\n")}\n`);
    startEarlyHelper([csv], LIMITS);
    expect(earlyHelperPaths()).toEqual([csv]);
    await runPostmortem({ bundlePath: csv });
    expect(earlyHelperPaths()).toEqual([]);
  });
});
