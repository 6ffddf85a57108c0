/**
 * The team's acceptance check, `python3 ../shared/scenarios/check.py` from the project root, passes
 * every case. It runs `node dist/cli.js` (not the launcher the other end-to-end tests run), so this
 * is the test that fails when that entry stops reporting (it did, at 50ce292: 0 of 44).
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO } from "./cli.js";

describe("scenario acceptance check", () => {
  it("passes every case of ../shared/scenarios", () => {
    const r = spawnSync("python3", ["../shared/scenarios/check.py"], { cwd: REPO, encoding: "utf8" });
    expect(r.error, "python3 is needed (.ci/run installs it)").toBeUndefined();
    const summary = /^(\d+)\/(\d+) cases pass$/m.exec(r.stdout);
    expect(summary, r.stdout.slice(-2000)).not.toBeNull();
    expect(Number(summary![2])).toBeGreaterThan(0);
    expect(summary![1], r.stdout.slice(-2000)).toBe(summary![2]);
  });
});
