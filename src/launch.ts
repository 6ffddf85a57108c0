#!/usr/bin/env node
/**
 * The `oom-postmortem` command's first module (package.json's `bin`, bundled alone into
 * `dist/oom-postmortem.js`): starts a kernel-log helper thread for a big log named on the command
 * line (`ingest/kernel-log/early-helpers.ts`), then loads the CLI (`cli.ts`, bundled into
 * `dist/cli-bundle.cjs`: ~1.1 MB, compiled from V8's code cache by `cli-loader.ts`), whose scan
 * adopts it, and runs it.
 */
import { loadCli } from "./cli-loader.js";
import { startEarlyHelper } from "./ingest/kernel-log/early-helpers.js";

startEarlyHelper(process.argv.slice(2));
process.exitCode = await loadCli().runCli(process.argv);
// The report is written: exit now, without the heap teardown of a natural exit (1 GiB journal:
// 0.52 -> 0.51 s wall, 15 interleaved runs), unless stdout or stderr still holds data (a pipe
// written asynchronously, as on macOS), which exiting would drop.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
