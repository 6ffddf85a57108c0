import { defineConfig } from "vitest/config";

/** `npm test`: everything that runs on a fresh clone; `*.shared.test.ts` is `npm run test:shared`. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.shared.test.ts", "**/node_modules/**"],
    testTimeout: 30_000,
  },
});
