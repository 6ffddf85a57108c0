// Runs the built CLI in this process and, when it exits, writes its resource usage (maxRSS in
// KiB, user/system CPU in µs) as JSON to the file named by OOM_POSTMORTEM_USAGE_FILE.
// Used by test/hostile/run.ts to bound each hostile case's peak memory without /usr/bin/time.
import { writeFileSync } from "node:fs";

const out = process.env.OOM_POSTMORTEM_USAGE_FILE;
if (out) process.on("exit", () => writeFileSync(out, JSON.stringify(process.resourceUsage())));
await import(new URL("../../dist/oom-postmortem.js", import.meta.url).href);
