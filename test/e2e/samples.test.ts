/**
 * Every scenario in samples/: the verdict must match the lines of the sample's README
 * (`Expected event: …`, `Expected cause: …`), and every format must render. A sample with
 * no kill (`Expected event: none`) also says what its memory reading must show
 * (`Expected reading: …`, a phrase of the Markdown report's reading). Run in-process (the CLI's
 * own steps, `in-process.ts`): golden.test.ts runs the built CLI on every sample.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { REPO } from "./cli.js";
import { renderInProcess, reportInProcess } from "./in-process.js";

const samplesDir = join(REPO, "samples");
const samples = readdirSync(samplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

function expected(name: string): { event: string; cause: string; reading: string | null } {
  const readme = readFileSync(join(samplesDir, name, "README.md"), "utf8");
  const event = /^Expected event: (\S+)\s*$/m.exec(readme)?.[1];
  const cause = /^Expected cause: (\S+)\s*$/m.exec(readme)?.[1];
  const reading = /^Expected reading: (.+)$/m.exec(readme)?.[1]?.trim() || null;
  if (!event || !cause) throw new Error(`samples/${name}/README.md lacks the Expected event/cause lines`);
  if (event === "none" && !reading)
    throw new Error(`samples/${name}/README.md expects no kill: add the Expected reading line`);
  return { event, cause, reading };
}

describe("samples", () => {
  it("has at least seven scenarios, each with a README", () => {
    expect(samples.length).toBeGreaterThanOrEqual(7);
    for (const s of samples) expect(existsSync(join(samplesDir, s, "README.md"))).toBe(true);
  });

  it.each(samples)("%s reaches its expected event and cause", async (name) => {
    const want = expected(name);
    const report = JSON.parse(await renderInProcess(await reportInProcess(join(samplesDir, name)), "json")) as Report;
    const first = report.incidents[0];
    if (want.event === "none") {
      // No kill in the bundle: no incident, or only subjects whose event is none (DESIGN.md §4),
      // and a memory reading with usage, limit, working set and OOM risk in bytes.
      expect(report.incidents.every((i) => i.event === "none" && i.verdict.cause === want.cause)).toBe(true);
      expect(report.readings?.length).toBeGreaterThan(0);
      for (const { anatomy } of report.readings!) {
        for (const bytes of [anatomy.usageBytes, anatomy.limitBytes, anatomy.workingSetBytes, anatomy.oomRiskBytes])
          expect(bytes).toBeGreaterThan(0);
        expect(anatomy.oomRiskBytes!).toBeLessThanOrEqual(anatomy.usageBytes!);
        expect(anatomy.source.file).toMatch(/\S/);
      }
      return;
    }
    expect({ event: first?.event, cause: first?.verdict.cause }).toEqual({ event: want.event, cause: want.cause });
    expect(first!.verdict.evidence.length).toBeGreaterThan(0);
    for (const e of first!.verdict.evidence) expect(e.file).toMatch(/\S/);
  });

  it.each(samples)("%s renders as Markdown and HTML", async (name) => {
    const report = await reportInProcess(join(samplesDir, name));
    const md = await renderInProcess(report, "md");
    const want = expected(name);
    if (want.event !== "none") expect(md).toContain(want.cause);
    if (want.reading) expect(md).toContain(want.reading);
    const html = await renderInProcess(report, "html");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script/i);
  });
});
