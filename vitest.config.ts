import { defineConfig } from "vitest/config";

/** `npm test`: everything that runs on a fresh clone; `*.shared.test.ts` is `npm run test:shared`. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.shared.test.ts", "**/node_modules/**"],
    // A hang guard, not a speed bound (speed is `npm run bench`'s job; hostile cases check their
    // own 30 s bound on the CLI run alone): CI and a busy laptop share two cores with other work.
    testTimeout: 120_000,
    // Every core (vitest's default leaves one idle: one worker on two cores). Most test time is
    // spent in child processes and file I/O: on two cores 130-150 s -> 88 s for the suite.
    maxWorkers: "100%",
  },
});
