/**
 * Linear-time matching (issue 10), the fast always-on part: eslint.config.js applies
 * eslint-plugin-regexp's no-super-linear-backtracking and no-super-linear-move as errors to every
 * file of src/ (no exemption list; `npm run lint`, run before `npm test`, fails on any finding).
 * recheck, which attacks each regex with generated strings and takes minutes, runs over all of
 * them in regex-recheck.shared.test.ts (`npm run test:shared`, which CI runs), which also checks
 * that every pattern is a constant the lint and recheck can read.
 */
import { ESLint } from "eslint";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO } from "./regexes.js";

describe("regexes in src/", () => {
  it("are all under eslint-plugin-regexp's super-linear rules as errors, no file exempt", async () => {
    const eslint = new ESLint({ cwd: REPO });
    const files = readdirSync(`${REPO}src`, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")).map((f) => `src/${f}`);
    expect(files.length).toBeGreaterThan(100);
    const weak: string[] = [];
    for (const file of files) {
      const rules = ((await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]> }).rules;
      const backtracking = rules["regexp/no-super-linear-backtracking"];
      const move = rules["regexp/no-super-linear-move"];
      if (backtracking?.[0] !== 2) weak.push(`${file}: no-super-linear-backtracking ${JSON.stringify(backtracking)}`);
      if (move?.[0] !== 2 || (move[1] as { ignorePartial?: boolean } | undefined)?.ignorePartial !== false) weak.push(`${file}: no-super-linear-move ${JSON.stringify(move)}`);
    }
    expect(weak).toEqual([]);
  });
});
