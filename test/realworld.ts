/**
 * The real captures beside the checkout, `../shared/realworld/`. Only `*.shared.test.ts` files
 * (run by `npm run test:shared`, see vitest.shared.config.ts) may import this module: `npm test`
 * runs on a fresh clone with nothing beside it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of `../shared/realworld/` (with a trailing slash). */
export const REALWORLD = fileURLToPath(new URL("../../shared/realworld/", import.meta.url));

/** Files that describe the captures rather than being captures. */
const NOT_CAPTURES = new Set(["PROVENANCE.md", "cases.json", "README.md"]);

/** The capture file names, sorted. */
export function realworldCaptures(): string[] {
  return readdirSync(REALWORLD)
    .filter((n) => !NOT_CAPTURES.has(n))
    .sort();
}

/** The one capture whose name starts with `prefix` (`"13-"`); throws when there is none. */
export function realworldFile(prefix: string): string {
  const f = readdirSync(REALWORLD).find((n) => n.startsWith(prefix));
  if (!f) throw new Error(`no realworld capture starting with ${prefix} in ${REALWORLD}`);
  return f;
}

/** The text of the capture named `name` (a full file name). */
export function realworldText(name: string): string {
  return readFileSync(join(REALWORLD, name), "utf8");
}
