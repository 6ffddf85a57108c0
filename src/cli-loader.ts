/**
 * Loads the CLI's bundle with V8's code cache. Node 20 keeps no compiled code between runs of a
 * module (Node 22's `module.enableCompileCache` does), so V8 parsed the 1.1 MB bundle at every
 * start and compiled each function on its first call: ~70 ms of one core in a run over a 1 GiB
 * kernel log with 100 reports (perf: V8's parser and bytecode generator on the main thread), much
 * of it after the scan, when nothing else runs. `npm run build` saves the bytecode of every
 * function the CLI compiled while it analysed the samples (`scripts/code-cache.mjs`); the launcher
 * compiles the bundle from it with `vm.Script`. The bundle is CommonJS for this (a `vm.Script`
 * runs a script, not a module): `scripts/bundle.mjs` builds `dist/cli-bundle.cjs` with
 * `import.meta.url` replaced by the `__cli_url` the wrapper below passes in.
 *
 * The cache is used only when its header names the bundle's size and modification time as they
 * are now (a rebuilt or edited bundle has others; a copy that does not keep them runs without it)
 * and the checksum of its data (V8 does not check one: a damaged cache aborts the process from
 * inside its deserializer); V8 then checks its own version, its flags and the source's length.
 * Anything else compiles the bundle as if there were no cache: same output, a slower start.
 * Measured (wall medians of interleaved runs): a sample's Markdown report 0.30 -> 0.23 s with the
 * cache (and the flag change of `tiering.ts`), `--version` 0.14 -> 0.12 s; 1 GiB kernel logs with
 * 100 reports 3-7 % (slow minute) to ~10 %; peak RSS +8 MiB (bytecode of functions a run may not call).
 *
 * Cache file (`dist/cli-bundle.cache`): a 64-byte ASCII header, `oom-postmortem code cache <bytes>
 * <mtimeMs> <checksum>` padded with spaces to a newline, then the bytes of `Script.createCachedData()`.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Script } from "node:vm";
import type { runCli } from "./cli.js";
import { CLI_BUNDLE_URL, CLI_CODE_CACHE_URL } from "./package-files.js";

/** What the CLI's bundle exports. */
export interface Cli {
  runCli: typeof runCli;
}

/**
 * Where the bundle and its cache are (tests point them elsewhere).
 * @public for scripts/code-cache.mjs, which imports this module from dist/
 */
export interface CliFiles {
  bundle: string;
  cache: string;
}

const FILES: CliFiles = { bundle: fileURLToPath(CLI_BUNDLE_URL), cache: fileURLToPath(CLI_CODE_CACHE_URL) };

const MAGIC = "oom-postmortem code cache";
const HEADER_BYTES = 64;

// The CommonJS wrapper, on the bundle's first line so that its line numbers stay the file's.
const WRAP_START = "(function (exports, require, module, __filename, __dirname, __cli_url) {";
const WRAP_END = "\n})";

/**
 * The bundle compiled: `cached` when V8 took the saved cache.
 * @public for scripts/code-cache.mjs, which imports this module from dist/
 */
export interface CompiledCli {
  script: Script;
  cached: boolean;
}

/**
 * Compiles the bundle, from its code cache when the cache is this bundle's (`useCache` false: never,
 * as the build does before it makes one). Throws what reading the bundle throws.
 * @public for scripts/code-cache.mjs, which imports this module from dist/
 */
export function compileCli(files: CliFiles = FILES, useCache = true): CompiledCli {
  const source = readFileSync(files.bundle, "utf8");
  const cachedData = useCache ? cacheFor(files) : undefined;
  const script = new Script(WRAP_START + source + WRAP_END, { filename: files.bundle, cachedData });
  return { script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/**
 * Runs a compiled bundle (once per script: each run makes new module state) and returns its exports.
 * @public for scripts/code-cache.mjs, which imports this module from dist/
 */
export function runBundle(script: Script, files: CliFiles = FILES): Cli {
  const module = { exports: {} as Cli };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const url = pathToFileURL(files.bundle).href;
  wrapper(module.exports, createRequire(files.bundle), module, files.bundle, dirname(files.bundle), url);
  return module.exports;
}

/** The CLI, from `dist/cli-bundle.cjs` and its code cache. */
export function loadCli(): Cli {
  return runBundle(compileCli().script);
}

/**
 * Saves V8's cache of `script` (compiled from `files.bundle` without a cache, then run) for the
 * bundle as it is now: written beside it and renamed over the old cache.
 * @public for scripts/code-cache.mjs, which imports this module from dist/
 */
export function saveCodeCache(script: Script, files: CliFiles = FILES): void {
  const data = script.createCachedData();
  const header = `${bundleStamp(files)} ${checksum(data)}`;
  if (header.length >= HEADER_BYTES) throw new Error(`code cache header too long: ${header}`);
  const tmp = `${files.cache}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(`${header.padEnd(HEADER_BYTES - 1)}\n`, "latin1"), data]));
  renameSync(tmp, files.cache);
}

// The header's start for the bundle as it is now.
function bundleStamp(files: CliFiles): string {
  const { size, mtimeMs } = statSync(files.bundle);
  return `${MAGIC} ${size} ${mtimeMs}`;
}

/**
 * FNV-1a over the data's 32-bit words (this machine's byte order, as the cache itself), then its
 * last bytes: ~3 ms for 1.4 MB, cold.
 * @internal exported for its tests (not the public API)
 */
export function checksum(data: Uint8Array): number {
  const bytes = data.byteOffset % 4 === 0 ? data : data.slice();
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  for (let i = words.length << 2; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

// The cache's V8 data when its header names the bundle's current size and mtime and the data's
// checksum, else undefined (no cache, another bundle's, damaged or unreadable: a cache only saves time).
function cacheFor(files: CliFiles): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(files.cache);
  } catch (err) {
    // None (`npm run build` makes one) or unreadable: compile as without. Not a file-system error: ours.
    if (typeof (err as NodeJS.ErrnoException).code === "string") return undefined;
    throw err;
  }
  const header = data.toString("latin1", 0, HEADER_BYTES).trimEnd();
  const stamp = bundleStamp(files);
  if (!header.startsWith(`${stamp} `)) return undefined;
  const v8Data = data.subarray(HEADER_BYTES);
  return header === `${stamp} ${checksum(v8Data)}` ? v8Data : undefined;
}
