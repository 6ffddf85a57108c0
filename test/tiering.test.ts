/**
 * The command's V8 flags (`src/tiering.ts`): `v8.setFlagsFromString` ignores a flag it does not
 * know, so each is checked on `node`'s own command line, which refuses one (a Node release that
 * renames it fails here); and they are set once the scan's helper thread has started (by the scan
 * after starting it, by the helper when it runs), never by the launcher before its early helper.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TIER_UP_FLAGS } from "../src/tiering.js";
import { REPO } from "./e2e/cli.js";

describe("tier-up flags", () => {
  it.each(TIER_UP_FLAGS)("node accepts %s", (flag) => {
    const r = spawnSync(process.execPath, [flag, "-e", "0"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("are set after the helper thread starts, by the scan and by the helper, not by the launcher", () => {
    const launcher = readFileSync(join(REPO, "dist/oom-postmortem.js"), "utf8");
    expect(launcher).toContain("startEarlyHelper(process.argv");
    expect(launcher).not.toContain("setFlagsFromString");
    const scan = readFileSync(join(REPO, "src/ingest/kernel-log/scan.ts"), "utf8");
    expect(scan).toMatch(/helper = this\.startHelper\(reader\);\s*setTierUpFlags\(\);/);
    const worker = readFileSync(join(REPO, "src/ingest/kernel-log/hint-worker.ts"), "utf8");
    const set = worker.indexOf("\nsetTierUpFlags();");
    expect(set).toBeGreaterThan(0);
    expect(worker.indexOf("searchFromEnd(", set)).toBeGreaterThan(set);
  });
});
