/**
 * Files the package ships beside its code, found from this module's own place: it sits one
 * directory below the package root in `src/`, in `dist/` (tsc's output) and as part of the
 * single-file bundles `dist/oom-postmortem.js` (what `bin` runs) and `dist/cli-bundle.cjs`, so
 * `../` is the root in all. Keep every such path here: a module deeper down would resolve
 * differently once bundled.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../", import.meta.url);

/** The tool's version, read once from package.json. */
export const VERSION: string = (JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { version: string })
  .version;

/** The default Handlebars templates folder (`templates/`), as a path. */
export const TEMPLATES_DIR: string = fileURLToPath(new URL("templates/", ROOT));

/**
 * The kernel-log scan's helper thread (`src/ingest/kernel-log/hint-worker.ts`), as tsc builds it
 * into `dist/`: a worker runs a file of its own, and the bundle has none (tests that run the
 * sources use it too, so `npm test` builds first).
 */
export const HINT_WORKER_URL: URL = new URL("dist/ingest/kernel-log/hint-worker.js", ROOT);

/** The CLI's bundle (`scripts/bundle.mjs`), which the launcher loads with `cli-loader.ts`. */
export const CLI_BUNDLE_URL: URL = new URL("dist/cli-bundle.cjs", ROOT);

/** V8's code cache of the CLI's bundle (`scripts/code-cache.mjs`). */
export const CLI_CODE_CACHE_URL: URL = new URL("dist/cli-bundle.cache", ROOT);
