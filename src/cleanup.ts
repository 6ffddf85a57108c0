/**
 * Temporary files the run creates (stdin spooled to disk, the report's temporary file before
 * its rename) are removed on every way out: normal exit, an error, SIGINT (Ctrl-C), SIGTERM,
 * SIGHUP. A signal removes them, then ends the process with the conventional status 128 + n.
 *
 * Sample: `const release = removeOnExit("/tmp/oom-postmortem-stdin-x1/stdin")` … `release()`
 * once the file is renamed or deleted by its owner.
 */
import { rmSync } from "node:fs";

const pending = new Set<string>();
let installed = false;

/** Signal numbers (Linux) for the exit status `128 + n` after cleanup. */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Registers `path` (a file or a folder, removed recursively) for removal when the process
 * ends. Returns a function that unregisters it (call it after removing or renaming it).
 */
export function removeOnExit(path: string): () => void {
  install();
  pending.add(path);
  return () => {
    pending.delete(path);
  };
}

/** Removes every registered path now (synchronously; errors ignored). */
function removeAll(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", removeAll);
  for (const [name, n] of Object.entries(SIGNALS)) {
    process.on(name as NodeJS.Signals, () => {
      removeAll();
      process.exit(128 + n);
    });
  }
}
