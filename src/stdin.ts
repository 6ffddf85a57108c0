/**
 * `-` as the bundle: stdin is copied to a private temporary file (removed on exit and on
 * SIGINT/SIGTERM), so it is read like any file: streamed, never held in memory as one string
 * (600 MB of stdin as a string exceeds V8's 512 MiB string limit: `Invalid string length`),
 * and an archive piped in (`cat bundle.tgz | oom-postmortem -`) is opened like one on disk.
 * At most `STDIN_MAX_BYTES` are kept; the rest is read and dropped, and the cut is reported.
 *
 * Sample: `kubectl describe pod api-7d9 | oom-postmortem -` → `/tmp/oom-postmortem-stdin-Ab12/stdin`.
 */
import { createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { once } from "node:events";
import { removeOnExit } from "./cleanup.js";

/** Most bytes of stdin kept (1 GiB); the analysis budgets of `src/budgets.ts` apply after this. */
const STDIN_MAX_BYTES = 1024 ** 3;

/** Where stdin was spooled, how many bytes were kept, and how many arrived in all. */
export interface SpooledStdin {
  file: string;
  keptBytes: number;
  totalBytes: number;
}

/** Copies `input` to a temporary file, keeping at most `maxBytes`. Rejects on a write error. */
export async function spoolStdin(input: Readable, maxBytes = STDIN_MAX_BYTES): Promise<SpooledStdin> {
  // Created and registered in one synchronous step: no signal can arrive in between.
  const dir = mkdtempSync(join(tmpdir(), "oom-postmortem-stdin-"));
  removeOnExit(dir);
  const file = join(dir, "stdin");
  const out = createWriteStream(file, { mode: 0o600 });
  const failed = once(out, "error").then(([err]) => {
    throw err as Error;
  });
  failed.catch(() => undefined);
  let kept = 0;
  let total = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (kept >= maxBytes) continue;
    const part = kept + chunk.length > maxBytes ? chunk.subarray(0, maxBytes - kept) : chunk;
    kept += part.length;
    if (!out.write(part)) await Promise.race([once(out, "drain"), failed]);
  }
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  return { file, keptBytes: kept, totalBytes: total };
}
