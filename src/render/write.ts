/**
 * Atomic report output: a reader (or a CI step that uploads the report) sees either the
 * old file or the complete new one, never a half-written report. The content goes to a
 * temporary file in the target's own directory (same file system, so `rename(2)` is
 * atomic on POSIX and replaces the target on Windows), is flushed, then renamed over it.
 *
 * Sample: `writeAtomic("out/report.md", md)` writes `out/.report.md.<pid>.<random>.tmp`,
 * then renames it to `out/report.md`.
 */
import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { removeOnExit } from "../cleanup.js";

/**
 * Writes `content` (UTF-8) to `path` atomically.
 *
 * Errors: rejects with the file-system error (e.g. `ENOENT` when the directory does not
 * exist, `EACCES`, `EISDIR` when `path` is a directory). On any failure the temporary file
 * is removed and the existing target, if any, is left untouched; on SIGINT/SIGTERM while
 * writing, too (`src/cleanup.ts`). Which paths may be written is `output-path.ts`'s question.
 */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  const release = removeOnExit(tmp);
  try {
    const handle = await open(tmp, "wx", 0o644);
    created = true;
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    release();
  }
}
