/**
 * Linear-time matching (issue 10), the fast always-on part: eslint.config.js applies
 * eslint-plugin-regexp's no-super-linear-backtracking and no-super-linear-move as errors to every
 * file of src/ (no exemption list; `npm run lint`, run before `npm test`, fails on any finding).
 * Growth on adversarial input is measured by `npm run bench:linear` (each reader and the redactor
 * on 10k/100k-character lines built from the regexes' own alphabets). recheck is not used: over
 * the 570 regexes of src/ its automaton checker returns "unknown" for 101 (look-around is
 * unsupported, others time out; 158 s), and its fuzz checker's verdicts changed between runs.
 */
import { ESLint } from "eslint";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

describe("regexes in src/", () => {
  it("are all under eslint-plugin-regexp's super-linear rules as errors, no file exempt", async () => {
    const eslint = new ESLint({ cwd: REPO });
    const files = readdirSync(`${REPO}src`, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => `src/${f}`);
    expect(files.length).toBeGreaterThan(100);
    const weak: string[] = [];
    for (const file of files) {
      const rules = ((await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]> }).rules;
      const backtracking = rules["regexp/no-super-linear-backtracking"];
      const move = rules["regexp/no-super-linear-move"];
      if (backtracking?.[0] !== 2) weak.push(`${file}: no-super-linear-backtracking ${JSON.stringify(backtracking)}`);
      if (move?.[0] !== 2 || (move[1] as { ignorePartial?: boolean } | undefined)?.ignorePartial !== false)
        weak.push(`${file}: no-super-linear-move ${JSON.stringify(move)}`);
    }
    expect(weak).toEqual([]);
  });
});
