/**
 * The command's V8 flags (`src/tiering.ts`): `v8.setFlagsFromString` ignores a flag it does not
 * know, so each is checked on `node`'s own command line, which refuses one (a Node release that
 * renames it fails here); and the launcher sets them before it starts a worker or loads the CLI.
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

  it("are set by the launcher before it starts a helper thread or imports the CLI", () => {
    const launcher = readFileSync(join(REPO, "dist/oom-postmortem.js"), "utf8");
    const set = launcher.indexOf("\nsetTierUpFlags();"); // the call, not the definition
    expect(set).toBeGreaterThan(0);
    expect(launcher.indexOf("startEarlyHelper(process.argv", set)).toBeGreaterThan(set);
    expect(launcher.indexOf('import("./cli-bundle.js")', set)).toBeGreaterThan(set);
  });
});
