/**
 * The JSON report in pieces (src/render/json.ts) is `JSON.stringify(report, null, 2)` and a
 * newline, byte for byte: on the fixture reports, a hostile one, and the values JSON.stringify
 * treats specially (undefined members left out, undefined/functions in arrays as null, toJSON).
 * Redacted piece by piece (`redactValue`), it is the text of the redacted whole (`redactReport`).
 * A streamed report (`streamedJsonPieces`: incidents diagnosed as they are printed, quotes after
 * them) prints as its collected whole does, and each incident is printed before the next is asked for.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import { collectReport, type StreamedReport } from "../../src/model/streamed-report.js";
import { jsonPieces, streamedJsonPieces } from "../../src/render/json.js";
import { redactReport, redactValue } from "../../src/util/redact.js";
import { makeEmptyReport, makeHostileReport, makeMemoryReport, makeReport } from "./fixture-report.js";

const whole = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe("jsonPieces", () => {
  it.each([
    ["two incidents", makeReport()],
    ["with memory anatomy and usage", makeMemoryReport()],
    ["no incidents", makeEmptyReport()],
    ["hostile strings", makeHostileReport('"}\n]\u2028\u2029\\u0000 — ×\r\n')],
  ])("prints the report (%s) as JSON.stringify does", (_name, report) => {
    const pieces = [...jsonPieces(report)];
    expect(pieces.join("")).toBe(whole(report));
    expect(pieces.length).toBeGreaterThan(report.incidents.length);
  });

  it("leaves out what JSON.stringify leaves out, at every depth, and prints arrays' holes as null", () => {
    const value = {
      a: undefined,
      b: () => 1,
      c: [undefined, () => 1, Symbol("s"), null, 1, "x\ny"],
      d: { e: { f: [1, { g: [] }], h: undefined } },
      when: new Date(0),
      empty: {},
      nested: [[], {}, [[1]]],
      'quote"key': "—",
    };
    expect([...jsonPieces(value)].join("")).toBe(whole(value));
  });

  it("prints 2000 generated JSON values, nested up to six deep, as JSON.stringify does", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect([...jsonPieces(value)].join("")).toBe(whole(value));
      }),
      { numRuns: 2000, seed: 1204 },
    );
  });

  it.each([[{}], [[]], [null], [7], ["text"]])("prints %j as JSON.stringify does", (value) => {
    expect([...jsonPieces(value)].join("")).toBe(whole(value));
  });

  it("redacted piece by piece, prints the redacted whole: also where redaction acts on an object or merges member names", () => {
    const secret = "DB_PASSWORD=hunter2";
    const base = makeHostileReport(secret);
    const reports = [
      makeReport(),
      base,
      // A Kubernetes env pair as a split member, and two member names that redact alike.
      {
        ...base,
        tool: { name: "DB_PASSWORD", value: "hunter2" },
        quotes: { [`${secret}:1`]: { text: "a" }, "DB_PASSWORD=other:1": { text: "b" } },
      },
    ];
    for (const report of reports) {
      const redacted = [...jsonPieces(report, redactValue)].join("");
      expect(redacted).toBe(whole(redactReport(report as typeof base)));
      expect(redacted).not.toContain("hunter2");
    }
  });
});

/** `report` as a StreamedReport: incidents from a generator (each pull logged in `log`), quotes asked for after them. */
function streamed(report: Report, log: string[] = []): StreamedReport {
  const { quotes, ...rest } = report;
  return {
    report: { ...rest, incidents: [] },
    incidents: (function* (): Generator<Incident> {
      for (const [i, incident] of rest.incidents.entries()) {
        log.push(`diagnosed ${i + 1}`);
        yield incident;
      }
    })(),
    citeFirst: () => {},
    quotes: async () => {
      log.push("quotes");
      return quotes ?? {};
    },
  };
}

async function text(pieces: AsyncIterable<string>, log: string[] = []): Promise<string> {
  let out = "";
  for await (const piece of pieces) {
    if (piece.includes('"subject"')) log.push(`printed ${(out.match(/"subject"/g) ?? []).length + 1}`);
    out += piece;
  }
  return out;
}

describe("streamedJsonPieces", () => {
  const withQuotes = (): Report => ({
    ...makeReport(),
    quotes: { "dmesg.txt:11": { text: "[2914601.180601] memory: usage", first: 9, before: ["a", "b"], after: [] } },
  });

  it.each([
    ["two incidents", makeReport()],
    ["with quotes", withQuotes()],
    ["with memory anatomy and usage", makeMemoryReport()],
    ["no incidents", makeEmptyReport()],
    ["hostile strings", makeHostileReport('"}\n]\u2028\u2029\\u0000 — ×\r\n')],
  ])("prints the report (%s) as jsonPieces prints it whole, redacted or not", async (_name, report) => {
    expect(await collectReport(streamed(report))).toEqual(report);
    expect(await text(streamedJsonPieces(streamed(report)))).toBe([...jsonPieces(report)].join(""));
    expect(await text(streamedJsonPieces(streamed(report), redactValue))).toBe(
      [...jsonPieces(report, redactValue)].join(""),
    );
  });

  it("prints each incident before the next one is diagnosed, and reads the quotes after the last", async () => {
    const log: string[] = [];
    await text(streamedJsonPieces(streamed(withQuotes(), log)), log);
    expect(log).toEqual(["diagnosed 1", "printed 1", "diagnosed 2", "printed 2", "quotes"]);
  });
});
