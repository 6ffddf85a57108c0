/**
 * Every scenario in samples/: the built CLI's JSON verdict must match the two lines of the
 * sample's README (`Expected event: …`, `Expected cause: …`), and every format must render.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const samplesDir = join(REPO, "samples");
const samples = readdirSync(samplesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

function expected(name: string): { event: string; cause: string } {
  const readme = readFileSync(join(samplesDir, name, "README.md"), "utf8");
  const event = /^Expected event: (\S+)\s*$/m.exec(readme)?.[1];
  const cause = /^Expected cause: (\S+)\s*$/m.exec(readme)?.[1];
  if (!event || !cause) throw new Error(`samples/${name}/README.md lacks the Expected event/cause lines`);
  return { event, cause };
}

describe("samples", () => {
  it("has at least seven scenarios, each with a README", () => {
    expect(samples.length).toBeGreaterThanOrEqual(7);
    for (const s of samples) expect(existsSync(join(samplesDir, s, "README.md"))).toBe(true);
  });

  it.each(samples)("%s reaches its expected event and cause", (name) => {
    const want = expected(name);
    const r = runCli([join(samplesDir, name), "--format", "json", "--quiet"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const first = report.incidents[0];
    if (want.event === "none") {
      // No kill in the bundle: no incident, or only subjects whose event is none (DESIGN.md §4).
      expect(report.incidents.every((i) => i.event === "none" && i.verdict.cause === want.cause)).toBe(true);
      return;
    }
    expect({ event: first?.event, cause: first?.verdict.cause }).toEqual(want);
    expect(first!.verdict.evidence.length).toBeGreaterThan(0);
    for (const e of first!.verdict.evidence) expect(e.file).toMatch(/\S/);
  });

  it.each(samples)("%s renders as Markdown and HTML", (name) => {
    const md = runCli([join(samplesDir, name), "--quiet"]);
    expect(md.status).toBe(0);
    if (expected(name).event !== "none") expect(md.stdout).toContain(expected(name).cause);
    const html = runCli([join(samplesDir, name), "--format", "html", "--quiet"]);
    expect(html.status).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    expect(html.stdout).not.toMatch(/<script/i);
  });
});
