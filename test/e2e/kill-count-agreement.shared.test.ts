/**
 * Kill count, Restart Count and the runs table agree, or the report says why (issue 7), over the
 * hand-written scenario bundles of ../shared/scenarios (the checks: kill-count.ts).
 */
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { bundleDirs, expectCountsAgree } from "./kill-count.js";

const SCENARIOS = fileURLToPath(new URL("../../../shared/scenarios/", import.meta.url));

describe("kill count, Restart Count and the runs table agree in the scenarios", () => {
  it.each(bundleDirs(SCENARIOS).map((b) => [b.slice(SCENARIOS.length), b]))("%s", async (_name, path) => {
    await expectCountsAgree(path);
  });
});
