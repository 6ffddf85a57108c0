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
