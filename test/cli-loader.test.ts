/**
 * The CLI's loader (`src/cli-loader.ts`) and the code cache the build saves
 * (`scripts/code-cache.mjs`): a fresh `node` compiles the built bundle from it; a cache is not
 * used once the bundle changes or when its data is damaged (which would otherwise abort the
 * process inside V8), nor by V8 under other flags; and the command loaded that way reports as the
 * CLI's own modules do. The cache checks run in a child `node`: V8 takes a cache only under the
 * flags it was made with, and a scan in this process may have set some.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checksum } from "../src/cli-loader.js";
import { REPO, runCli, runPlainCli } from "./e2e/cli.js";

const dir = mkdtempSync(join(tmpdir(), "cli-loader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs `body` (an ES module's text, with `loader` the built cli-loader.js and `dir` a temporary
// folder) in a fresh node; returns what it printed as JSON.
function inFreshNode(body: string): unknown {
  const file = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  const loader = pathToFileURL(join(REPO, "dist/cli-loader.js")).href;
  writeFileSync(
    file,
    `import * as loader from ${JSON.stringify(loader)};\nconst dir = ${JSON.stringify(dir)};\n${body}`,
  );
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", cwd: REPO });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("CLI loader", () => {
  it("compiles the built bundle from the build's code cache", () => {
    expect(inFreshNode("process.stdout.write(JSON.stringify(loader.compileCli().cached));")).toBe(true);
  });

  it("does not use a cache once the bundle changed or its data is damaged, nor under other V8 flags", () => {
    // Each step in its own node: a script compiled twice in one process comes from V8's memory.
    const files = { bundle: join(dir, "cli-bundle.cjs"), cache: join(dir, "cli-bundle.cache") };
    copyFileSync(join(REPO, "dist/cli-bundle.cjs"), files.bundle);
    const save = (): unknown =>
      inFreshNode(
        `loader.saveCodeCache(loader.compileCli(${JSON.stringify(files)}, false).script, ${JSON.stringify(files)}); process.stdout.write("0");`,
      );
    const cached = (): unknown =>
      inFreshNode(`process.stdout.write(JSON.stringify(loader.compileCli(${JSON.stringify(files)}).cached));`);
    save();
    expect(cached()).toBe(true);
    utimesSync(files.bundle, new Date(), new Date(Date.now() + 5000));
    expect(cached()).toBe(false);
    save();
    const data = readFileSync(files.cache);
    data[data.length >> 1]! ^= 0x5a;
    writeFileSync(files.cache, data);
    expect(cached()).toBe(false); // V8 itself would abort the process on these bytes
    const underOtherFlags = inFreshNode(`
      import { setFlagsFromString } from "node:v8";
      setFlagsFromString("--interrupt-budget=12345");
      const built = loader.compileCli();
      process.stdout.write(JSON.stringify([built.cached, typeof loader.runBundle(built.script).runCli]));
    `);
    expect(underOtherFlags).toEqual([false, "function"]);
  });

  it.each(["samples/batch-load-512mi", "samples/node-oom-innocent-victim"])(
    "reports %s as the CLI's own modules do",
    (sample) => {
      const args = [sample, "--format", "json"];
      const launched = runCli(args);
      expect(launched.status, launched.stderr).toBe(0);
      expect(launched.stdout).toBe(runPlainCli(args));
    },
  );

  it("has an ASCII-only bundle (V8 then holds its source as one byte a character)", () => {
    const bundle = readFileSync(join(REPO, "dist/cli-bundle.cjs"));
    expect(bundle.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it("checksums whole words and the bytes after them, at any alignment", () => {
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 7919) & 255);
    const at1 = new Uint8Array(bytes.length + 1);
    at1.set(bytes, 1);
    expect(checksum(at1.subarray(1))).toBe(checksum(bytes));
    const last = bytes.slice();
    last[4098]! ^= 1;
    expect(checksum(last)).not.toBe(checksum(bytes));
    const first = bytes.slice();
    first[0]! ^= 0x80;
    expect(checksum(first)).not.toBe(checksum(bytes));
  });
});
