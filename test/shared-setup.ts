/**
 * Global setup of `npm run test:shared`: the suite FAILS (never skips) when the shared captures
 * are not beside the checkout.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REALWORLD } from "./realworld.js";

export default function setup(): void {
  if (!existsSync(join(REALWORLD, "cases.json"))) {
    throw new Error(
      `npm run test:shared needs the shared captures at ${REALWORLD} (a checkout beside ../shared); none found`,
    );
  }
}
