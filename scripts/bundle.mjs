#!/usr/bin/env node
/**
 * `npm run build`'s second step: bundles tsc's `dist/cli.js` and what it imports (our ~180
 * modules and yargs' ~50) into one CommonJS file, `dist/cli-bundle.cjs`, and the launcher the
 * `bin` runs (`dist/launch.js`: it starts an early kernel-log helper,
 * `src/ingest/kernel-log/early-helpers.ts`, then loads the CLI with V8's code cache,
 * `src/cli-loader.ts`) into `dist/oom-postmortem.js`. Node 20 loads an ES module graph file by
 * file (resolve, read, compile, link); one file halves the CLI's start-up (a small bundle: 0.25 s
 * → 0.15 s wall, `node -e 0` is 0.07 s). CommonJS because `vm.Script`, which takes a code cache,
 * runs scripts, not modules: `import.meta.url` becomes the `__cli_url` the loader passes in, and
 * `import()` a `require` (Node's built-ins and the `VENDOR` bundles). `dist/index.js` (the library
 * entry) stays tsc's modules. The third step, `scripts/code-cache.mjs`, saves the cache.
 *
 * Left outside the bundle: `lzma-native` (a native addon, loaded from node_modules), what
 * `src/util/lazy-require.ts` loads on first use (yaml, papaparse, fast-xml-parser: their names
 * are not literals, so esbuild cannot see them), and the packages of `VENDOR`, each bundled into a
 * file of its own. All bundles live in `dist/` beside `cli.js`, one directory below the package
 * root, which is where `src/package-files.ts` expects to be.
 */
import { build } from "esbuild";
import { chmodSync, writeFileSync } from "node:fs";
import { relative } from "node:path";

const OUT = "dist/oom-postmortem.js";
const CLI = "dist/cli-bundle.cjs";

/**
 * yargs (and its cliui, wrap-ansi) import `string-width`, whose module code builds an RGI_Emoji
 * regex and an `Intl.Segmenter` when it loads: two copies (v7, v8), 25-30 ms of CPU at every
 * start-up, for a function only `--help` calls. Each import gets a stand-in that loads the real
 * module (the same copy the importer would have had) on its first call: esbuild initialises a
 * module reached by `require` when it is required, not when the bundle loads.
 */
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === "real") return undefined;
      const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: "real" });
      if (real.errors.length > 0) return { errors: real.errors };
      // Relative to the package root: the bundle names it in a comment.
      return { path: `./${relative(process.cwd(), real.path)}`, namespace: "lazy-string-width" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-string-width" }, (args) => ({
      contents: `let width;\nexport default function stringWidth(text, options) {\n  width ??= require(${JSON.stringify(args.path)}).default;\n  return width(text, options);\n}\n`,
      loader: "js",
      resolveDir: process.cwd(),
    }));
  },
};

/**
 * Packages only some runs import, each bundled into `dist/vendor-<name>.cjs` and required from
 * there (the CLI imports them with `await import(…)` where they are used): Handlebars for
 * Markdown and HTML reports, yauzl and tar-stream for archives. Inside the CLI's bundle their
 * ~370 KB were read and pre-parsed at every start-up (`--version` 152 -> 142 ms median, 21 runs); a
 * Markdown run now reads one more file.
 */
const VENDOR = ["handlebars", "yauzl", "tar-stream"];

/** Points the CLI's imports of `VENDOR` packages at their bundles. */
const vendorImports = {
  name: "vendor-imports",
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(?:${VENDOR.join("|")})$`) }, (args) => ({
      path: `./vendor-${args.path}.cjs`,
      external: true,
    }));
  },
};

// The launcher: a few KiB, run before the CLI's 1.1 MB is read.
await build({
  entryPoints: ["dist/launch.js"],
  outfile: OUT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
});
chmodSync(OUT, 0o755);

const cli = await build({
  entryPoints: ["dist/cli.js"],
  outfile: CLI,
  write: false,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["lzma-native"],
  plugins: [lazyStringWidth, vendorImports],
  define: { "import.meta.url": "__cli_url" },
  supported: { "dynamic-import": false },
  logLevel: "warning",
});
writeFileSync(CLI, asciiOnly(cli.outputFiles[0].text));

for (const name of VENDOR) {
  await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), loader: "js" },
    outfile: `dist/vendor-${name}.cjs`,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
  });
}

/**
 * `text` with the non-ASCII characters esbuild leaves (in regex literals and comments:
 * `[月월]`, `µs`, `…`) as `\uXXXX` escapes. With one of them V8 holds the whole 1.1 MB source as
 * a two-byte string read through its UTF-8 decoder; pure ASCII is a one-byte string: `--version`
 * 107.6 -> 101.0 ms median (31 interleaved runs), 2 MiB less RSS. An escape means the same UTF-16
 * unit in a regex literal (with or without `u`) and in a comment, the only places esbuild's default
 * ASCII charset leaves them (it escapes strings and templates itself).
 */
function asciiOnly(text) {
  return text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
