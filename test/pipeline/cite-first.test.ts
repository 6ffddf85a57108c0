/**
 * Markdown and HTML detail only the first `fullIncidents` incidents: the run then quotes only the
 * lines those cite (`StreamedReport.citeFirst`, set by `renderStreamedPieces`), and the report
 * prints byte for byte as it does when every incident's lines are quoted.
 */
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/model/incident.js";
import { startPostmortem } from "../../src/pipeline.js";
import { renderStreamedPieces } from "../../src/render/index.js";
import { fixtureBundle } from "../e2e/cli.js";

const BUNDLE = fixtureBundle("join-two-pods-by-time");

// Every `file:line` an incident cites: the objects under it with a file and a line.
function citedBy(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) citedBy(v, out);
  else if (value !== null && typeof value === "object") {
    const { file, line } = value as { file?: unknown; line?: unknown };
    if (typeof file === "string" && typeof line === "number") out.add(`${file}:${line}`);
    for (const v of Object.values(value)) citedBy(v, out);
  }
  return out;
}

async function text(pieces: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const piece of pieces) out += piece;
  return out;
}

describe("citeFirst", () => {
  it("quotes only the lines the first incidents cite", async () => {
    const all = await startPostmortem({ bundlePath: BUNDLE });
    const incidents: Incident[] = [...all.incidents];
    expect(incidents.length).toBeGreaterThan(1);
    const allQuotes = Object.keys(await all.quotes());

    const run = await startPostmortem({ bundlePath: BUNDLE });
    run.citeFirst(1);
    const [first] = [...run.incidents];
    const firstQuotes = Object.keys(await run.quotes());
    const firstCites = citedBy(first);
    expect(firstQuotes.length).toBeGreaterThan(0);
    expect(firstQuotes.length).toBeLessThan(allQuotes.length);
    for (const key of firstQuotes) expect(firstCites.has(key), key).toBe(true);
    expect(allQuotes).toEqual(expect.arrayContaining(firstQuotes));
  });

  it("Markdown and HTML print as they do with every incident's lines quoted", async () => {
    for (const format of ["md", "html"] as const) {
      const quoteAll = await startPostmortem({ bundlePath: BUNDLE });
      const everyLine = await text(
        renderStreamedPieces({ ...quoteAll, citeFirst: () => {} }, format, { fullIncidents: 1, redact: true }),
      );
      const firstOnly = await text(
        renderStreamedPieces(await startPostmortem({ bundlePath: BUNDLE }), format, { fullIncidents: 1, redact: true }),
      );
      expect(firstOnly, format).toBe(everyLine);
      // Not vacuous: without the first incident's quotes the report reads differently.
      const noLines = await startPostmortem({ bundlePath: BUNDLE });
      const withoutQuotes = await text(
        renderStreamedPieces({ ...noLines, citeFirst: () => noLines.citeFirst(0) }, format, {
          fullIncidents: 1,
          redact: true,
        }),
      );
      expect(withoutQuotes, format).not.toBe(firstOnly);
    }
  });
});
