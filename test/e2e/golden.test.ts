/**
 * Golden reports: the default Markdown report of every `samples/<name>` bundle (read on the
 * relative path from the repository root, so the report names no machine path) must equal
 * `samples/<name>/expected.md`. A change to the report shows up here as a diff to review;
 * `UPDATE_GOLDEN=1 npm test` rewrites the files (read them before committing).
 *
 * The reports are made in-process by the CLI's own steps (`in-process.ts`); one sample also
 * goes through the built CLI, which must print the same bytes.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "./cli.js";
import { renderInProcess, reportInProcess } from "./in-process.js";

const SAMPLES = join(REPO, "samples");
const samples = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const UPDATE = process.env.UPDATE_GOLDEN === "1";

async function report(name: string): Promise<string> {
  expect(resolve(process.cwd()), "the relative bundle path needs the repository root as the working directory").toBe(
    resolve(REPO),
  );
  return renderInProcess(await reportInProcess(`samples/${name}`), "md");
}

describe("golden reports", () => {
  it.each(samples)("%s matches its expected.md", async (name) => {
    const golden = join(SAMPLES, name, "expected.md");
    if (UPDATE) {
      // Twice: the golden file is itself a file of the bundle, listed among the notes not analysed.
      writeFileSync(golden, await report(name));
      writeFileSync(golden, await report(name));
    }
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npm test`).toBe(true);
    expect(await report(name)).toBe(readFileSync(golden, "utf8"));
  });

  it(`the built CLI prints the golden report of ${samples[0]}`, () => {
    const r = runCli([`samples/${samples[0]}`, "--quiet"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(SAMPLES, samples[0]!, "expected.md"), "utf8"));
  });
});
