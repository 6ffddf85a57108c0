/** runtimeConfig against the real captures of ../shared/realworld (npm run test:shared). */
import { describe, expect, it } from "vitest";
import { runtimeConfig } from "../../src/ingest/runtime-config.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { realworldCaptures, realworldText } from "../realworld.js";

describe("runtime-config on real captures", () => {
  it.each(realworldCaptures())("does not claim realworld %s", (name) => {
    expect(runtimeConfig.sniff(sourceFromString(name, realworldText(name)).head, name)).toBe(false);
  });
});
