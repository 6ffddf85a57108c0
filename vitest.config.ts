import { defineConfig } from "vitest/config";

/** `npm test`: everything that runs on a fresh clone; `*.shared.test.ts` is `npm run test:shared`. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.shared.test.ts", "**/node_modules/**"],
    // A hang guard, not a speed bound (speed is `npm run bench`'s job; hostile cases check their
    // own 30 s bound on the CLI run alone): CI and a busy laptop share two cores with other work.
    testTimeout: 120_000,
  },
});
