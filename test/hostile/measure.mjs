// Runs the built CLI (the file package.json's `bin` names, as test/e2e/cli.ts does) in this
// process and, when it exits, writes its resource usage (maxRSS in KiB, user/system CPU in µs)
// as JSON to the file named by OOM_POSTMORTEM_USAGE_FILE.
// Used by test/hostile/run.ts to bound each hostile case's peak memory without /usr/bin/time.
import { readFileSync, writeFileSync } from "node:fs";

const out = process.env.OOM_POSTMORTEM_USAGE_FILE;
if (out) process.on("exit", () => writeFileSync(out, JSON.stringify(process.resourceUsage())));
const root = new URL("../../", import.meta.url);
const { bin } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
await import(new URL(bin["oom-postmortem"], root).href);
