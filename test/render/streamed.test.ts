/**
 * A streamed report (`renderStreamedPieces`: incidents diagnosed as they are written, quotes read
 * after them) prints as `renderReport` prints the whole report, in every format, redacted or not;
 * Markdown and HTML keep of the incidents past `fullIncidents` only their overview rows.
 */
import { describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import type { StreamedReport } from "../../src/model/streamed-report.js";
import { redactReport, renderReport, renderStreamedPieces } from "../../src/render/index.js";
import { IncidentDigest } from "../../src/render/view-model.js";
import { makeHostileReport, makeMemoryReport, makeReport } from "./fixture-report.js";

function streamed(report: Report): StreamedReport {
  const { quotes, ...rest } = report;
  return {
    report: { ...rest, incidents: [] },
    incidents: rest.incidents.values(),
    citeFirst: () => {},
    quotes: async () => quotes ?? {},
  };
}

async function text(pieces: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const piece of pieces) out += piece;
  return out;
}

describe("renderStreamedPieces", () => {
  const reports: [string, () => Report][] = [
    ["two incidents", makeReport],
    ["with memory anatomy and usage", makeMemoryReport],
    ["a secret", () => makeHostileReport("DB_PASSWORD=hunter2")],
  ];
  it.each(reports)("prints the report (%s) as renderReport prints it whole", async (_name, make) => {
    for (const format of ["md", "html", "json"] as const) {
      for (const redact of [false, true]) {
        const whole = redact ? redactReport(make()) : make();
        for (const fullIncidents of [0, 1, 20])
          expect(await text(renderStreamedPieces(streamed(make()), format, { redact, fullIncidents }))).toBe(
            await renderReport(whole, format, { fullIncidents }),
          );
      }
    }
  });
});

describe("IncidentDigest", () => {
  it("keeps the first fullIncidents incidents whole and a row of every one", () => {
    const [a, b] = makeReport().incidents as [Incident, Incident];
    const digest = new IncidentDigest(1);
    for (const incident of [a, b, a, b]) digest.add(incident);
    expect(digest.detailed).toEqual([a]);
    expect(digest.overview.map((row) => row.n)).toEqual(["1", "2", "3", "4"]);
    expect(digest.first).toBe(a.subject);
  });
});
