import { defineConfig } from "vitest/config";

/** `npm run test:shared`: the suites that read ../shared/realworld (fails when it is absent). */
export default defineConfig({
  test: {
    include: ["test/**/*.shared.test.ts"],
    globalSetup: ["test/shared-setup.ts"],
    testTimeout: 120_000, // a hang guard, not a speed bound (see vitest.config.ts)
    maxWorkers: "100%", // every core, as vitest.config.ts
  },
});
