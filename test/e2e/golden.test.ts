/**
 * Golden reports: the default Markdown report of every `samples/<name>` bundle, as the built CLI
 * prints it (run from the repository root on the relative path, so the report names no machine
 * path), must equal `samples/<name>/expected.md`. A change to the report shows up here as a diff
 * to review; `UPDATE_GOLDEN=1 npm test` rewrites the files (read them before committing).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "./cli.js";

const SAMPLES = join(REPO, "samples");
const samples = readdirSync(SAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function report(name: string): string {
  const r = runCli([`samples/${name}`, "--quiet"]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("golden reports", () => {
  it.each(samples)("%s matches its expected.md", (name) => {
    const golden = join(SAMPLES, name, "expected.md");
    if (UPDATE) {
      // Twice: the golden file is itself a file of the bundle, listed among the notes not analysed.
      writeFileSync(golden, report(name));
      writeFileSync(golden, report(name));
    }
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npm test`).toBe(true);
    expect(report(name)).toBe(readFileSync(golden, "utf8"));
  });
});
