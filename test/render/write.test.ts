import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { writeAtomic, writePieces } from "../../src/render/index.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "oom-write-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeAtomic", () => {
  it("writes the content and leaves no temporary file", async () => {
    const target = join(dir, "report.md");
    await writeAtomic(target, "# OOM postmortem: shop/api (api)\n");
    expect(await readFile(target, "utf8")).toBe("# OOM postmortem: shop/api (api)\n");
    expect(await readdir(dir)).toEqual(["report.md"]);
  });

  it("writes pieces in order, joined, multi-byte characters whole", async () => {
    const target = join(dir, "report.json");
    const pieces = Array.from({ length: 5000 }, (_, i) => `{"i": ${i}, "s": "\u00e9—${"x".repeat(i % 97)}"}\n`);
    await writeAtomic(target, pieces.values());
    expect(await readFile(target, "utf8")).toBe(pieces.join(""));
    expect(await readdir(dir)).toEqual(["report.json"]);
  });

  it("replaces an existing file with the complete new content", async () => {
    const target = join(dir, "report.html");
    await writeFile(target, "old report");
    const big = "x".repeat(3 * 1024 * 1024) + "\u00e9nd";
    await writeAtomic(target, big);
    expect(await readFile(target, "utf8")).toBe(big);
    expect(await readdir(dir)).toEqual(["report.html"]);
  });

  it("rejects when the target directory is missing and creates nothing", async () => {
    const target = join(dir, "missing", "report.md");
    await expect(writeAtomic(target, "content")).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(dir)).toEqual([]);
  });

  it("rejects when the rename fails, removes the temporary file and leaves the target unchanged", async () => {
    // A non-empty directory at the target path: the temp file is written, the rename fails.
    const target = join(dir, "report.json");
    await mkdir(target);
    await writeFile(join(target, "keep.txt"), "unchanged");
    await expect(writeAtomic(target, '{"tool":{}}\n')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["report.json"]);
    expect(await readdir(target)).toEqual(["keep.txt"]);
    expect(await readFile(join(target, "keep.txt"), "utf8")).toBe("unchanged");
  });

  it("keeps concurrent writers from clobbering each other's temporary files", async () => {
    const target = join(dir, "report.md");
    await Promise.all(["a", "b", "c", "d"].map((c) => writeAtomic(target, c.repeat(100_000))));
    const content = await readFile(target, "utf8");
    expect(content).toHaveLength(100_000);
    expect(new Set(content).size).toBe(1);
    expect(await readdir(dir)).toEqual(["report.md"]);
  });
});

describe("writePieces", () => {
  it("writes every piece in order to a stream that asks to wait (drain)", async () => {
    const got: string[] = [];
    let waits = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        got.push(chunk.toString("utf8"));
        setImmediate(done);
      },
    });
    out.on("drain", () => waits++);
    const pieces = Array.from({ length: 3000 }, (_, i) => `piece ${i} é—\n`);
    await writePieces(out, pieces);
    await new Promise<void>((resolve) => out.end(resolve));
    expect(got.join("")).toBe(pieces.join(""));
    expect(waits).toBeGreaterThan(0);
  });
});
