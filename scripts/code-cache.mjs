#!/usr/bin/env node
/**
 * `npm run build`'s third step: saves V8's code cache of the CLI's bundle (`dist/cli-bundle.cache`,
 * which `src/cli-loader.ts` compiles the bundle from). Compiles the bundle without a cache, runs
 * the CLI in this process on every sample (JSON and Markdown, one in HTML, each into a temporary
 * file), so that V8 compiles the functions a run calls, and saves the bytecode of all of them.
 *
 * V8 takes a cache only under the flags it was made with. The kernel-log scan sets flags
 * (`src/tiering.ts`, relaxed SIMD in `src/ingest/kernel-log/byte-kernels.ts`) that a command sets
 * only after it has loaded the CLI, so they are put back to this Node's defaults (`node
 * --v8-options`) before saving. Then a fresh `node` must take the cache, or the build fails.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { compileCli, runBundle, saveCodeCache } from "../dist/cli-loader.js";
import { RELAXED_SIMD_FLAG } from "../dist/ingest/kernel-log/byte-kernels.js";
import { TIER_UP_FLAGS } from "../dist/tiering.js";

const samples = readdirSync("samples", { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => join("samples", d.name));
// The format follows -o's extension.
const runs = samples.flatMap((bundle, i) =>
  ["json", "md", ...(i === 0 ? ["html"] : [])].map((format) => [bundle, format]),
);

const { script } = compileCli(undefined, false);
const cli = runBundle(script);
const out = mkdtempSync(join(tmpdir(), "oom-postmortem-code-cache-"));
try {
  for (const [bundle, format] of runs) {
    const code = await cli.runCli([
      process.execPath,
      "oom-postmortem",
      bundle,
      "-q",
      "-o",
      join(out, `report.${format}`),
    ]);
    if (code !== 0) throw new Error(`code cache: oom-postmortem ${bundle} --format ${format} exited with ${code}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

// Each flag the runs may have set, back to its default.
const options = spawnSync(process.execPath, ["--v8-options"], { encoding: "utf8" }).stdout;
for (const flag of [...TIER_UP_FLAGS, RELAXED_SIMD_FLAG]) {
  const name = flag.replace(/^--(?:no-)?/, "").replace(/=.*/, "");
  const found = new RegExp(`^\\s+--${name} \\(.*\\n\\s+type: \\S+\\s+default: (--\\S+)`, "m").exec(options);
  if (found) setFlagsFromString(found[1]);
}
saveCodeCache(script);

const check = spawnSync(
  process.execPath,
  [
    "--input-type=module",
    "-e",
    'import { compileCli } from "./dist/cli-loader.js"; process.stdout.write(String(compileCli().cached));',
  ],
  { encoding: "utf8" },
);
if (check.stdout !== "true")
  throw new Error(`code cache: a fresh node did not take dist/cli-bundle.cache (${check.stdout}${check.stderr})`);
console.log(`code cache: dist/cli-bundle.cache from ${runs.length} runs on ${samples.length} samples`);
