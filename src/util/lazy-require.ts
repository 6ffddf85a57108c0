/**
 * CommonJS packages loaded on their first use instead of at start-up: `--version`, `--help` and a
 * bundle without YAML, XML, odd CSV quoting or `.xz` never pay for their parsers (yaml alone is
 * ~40 ms of CPU to load). `require` caches the module, so later calls cost a lookup in a closure.
 *
 * Sample: `const yaml = lazyRequire<typeof Yaml>("yaml");` … `yaml().parseAllDocuments(text)`.
 */
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

/**
 * A getter for package `id` that loads it on its first call. Errors: the first call throws what
 * `require` throws (a missing package), as a static import would have at start-up.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
