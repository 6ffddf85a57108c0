#!/usr/bin/env node
/**
 * The `oom-postmortem` command's first module (package.json's `bin`, bundled alone into
 * `dist/oom-postmortem.js`): starts a kernel-log helper thread for a big log named on the command
 * line (`ingest/kernel-log/early-helpers.ts`), then
 * loads the CLI (`cli.ts`, bundled into `dist/cli-bundle.js`: ~1.1 MB, ~50 ms to load and parse
 * its arguments), whose scan adopts it.
 */
import { startEarlyHelper } from "./ingest/kernel-log/early-helpers.js";

startEarlyHelper(process.argv.slice(2));
await import("./cli.js");
