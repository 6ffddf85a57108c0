/** The kernel-log pre-filter on the real kernel captures of ../shared/realworld (npm run test:shared). */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REALWORLD, realworldCaptures } from "../realworld.js";
import { expectPrefilterAgrees } from "./prefilter-check.js";

describe("kernel-log pre-filter on real captures", () => {
  it("gives the same facts (batches, lines skipped unread) as reading every line one by one, in noise", async () => {
    const files = realworldCaptures()
      .filter((f) => /dmesg|kmsg/.test(f))
      .map((f) => join(REALWORLD, f));
    expect(files.length).toBeGreaterThan(5);
    expect(await expectPrefilterAgrees(files)).toBeGreaterThan(5);
  });
});
