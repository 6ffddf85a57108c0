/**
 * The CLI's own steps (runPostmortem, redactReport, renderReport) called in-process, for tests
 * about verdicts and reports rather than about the CLI: no process start and no module loading
 * per case. The CLI itself is exercised by `cli.ts`'s `runCli`.
 */
import { expect } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { runPostmortem } from "../../src/pipeline.js";
import { redactReport, renderReport } from "../../src/render/index.js";
import { OUR_BUG } from "./cli.js";

/** The report model of bundle `path`, as the CLI computes it. Throws what runPostmortem throws (nothing recognised, a bad path). */
export function reportInProcess(path: string): Promise<Report> {
  return runPostmortem({ bundlePath: path });
}

/**
 * What the CLI prints for `report` in `format` (redacted, as by default); fails the test when
 * the text reports one of our bugs.
 */
export async function renderInProcess(report: Report, format: Parameters<typeof renderReport>[1]): Promise<string> {
  const text = await renderReport(redactReport(report), format);
  expect(text, `${report.bundle.path} as ${format}: the report shows a bug`).not.toMatch(OUR_BUG);
  return text;
}
