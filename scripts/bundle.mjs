#!/usr/bin/env node
/**
 * `npm run build`'s second step: bundles tsc's `dist/cli.js` and what it imports (our ~180
 * modules and yargs' ~50) into the one file the `bin` runs, `dist/oom-postmortem.js`. Node 20
 * loads an ES module graph file by file (resolve, read, compile, link); one file halves the CLI's
 * start-up (a small bundle: 0.25 s → 0.15 s wall, `node -e 0` is 0.07 s). `dist/index.js` (the
 * library entry) stays tsc's modules.
 *
 * Left outside the bundle: `lzma-native` (a native addon, loaded from node_modules) and what
 * `src/util/lazy-require.ts` loads on first use (yaml, papaparse, fast-xml-parser: their names
 * are not literals, so esbuild cannot see them). The bundle lives in `dist/` beside `cli.js`, one
 * directory below the package root, which is where `src/package-files.ts` expects to be.
 */
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { relative } from "node:path";

const OUT = "dist/oom-postmortem.js";

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

await build({
  entryPoints: ["dist/cli.js"],
  outfile: OUT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["lzma-native"],
  plugins: [lazyStringWidth],
  // CommonJS packages in the bundle (handlebars, yauzl) call `require` for Node's built-ins; an
  // ES module has none, so the bundle makes one.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});
chmodSync(OUT, 0o755);
