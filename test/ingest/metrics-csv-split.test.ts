/**
 * The metrics-csv fast paths read cells exactly as the general ones: `splitRow`'s own quoted-cell
 * splitter as papaparse (RFC 4180), and the plain number and ISO time readers as the regexes.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import Papa from "papaparse";
import { splitRow } from "../../src/ingest/metrics-csv/layout.js";
import { parseTime, parseValue } from "../../src/ingest/metrics-csv/values.js";

const QUOTED = /^"(.*)"$/;
const viaPapa = (text: string, d: string): string[] =>
  (Papa.parse<string[]>(text, { delimiter: d, header: false, skipEmptyLines: false }).data[0] ?? []).map((c) =>
    String(c).trim().replace(QUOTED, "$1"),
  );

describe("metrics-csv cells", () => {
  it("splits quoted rows as papaparse does", () => {
    const rows = [
      '"container_memory_working_set_bytes{container=""app"", pod=""w-1""}",2026-06-09 10:00:00,402653184',
      '"a","b","c"',
      '"a ""b""",c',
      '"""x""",1',
      '"",1',
      '" padded ",2',
      'x,"y"',
      'x;"y;z";w',
      '"unterminated,1',
      'a "b" c,1',
      ' "a",1',
      '"a" ,1',
      '"a"b,1',
    ];
    for (const d of [",", ";"]) for (const r of rows) expect(splitRow(r, d), r).toEqual(viaPapa(r, d));
    // A repeated series cell (read from the memo) stays right when the next row differs.
    expect(splitRow('"a""b",1', ",")).toEqual(['a"b', "1"]);
    expect(splitRow('"a""b"c,1', ",")).toEqual(viaPapa('"a""b"c,1', ","));
    expect(splitRow('"a""b"', ",")).toEqual(['a"b']);
  });

  it("splits any row of quotes, delimiters and text as papaparse does", () => {
    const cell = fc.stringMatching(/^[a-z ",;]{0,8}$/);
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 5 }), (cells) => {
        const row = cells.join(",");
        expect(splitRow(row, ",")).toEqual(row.includes('"') ? viaPapa(row, ",") : row.split(",").map((c) => c.trim()));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it("reads plain numbers and ISO times as the general readers do", () => {
    for (const v of [
      "402653184",
      "0.75",
      "-3",
      ".5",
      "-.5",
      "5.",
      "007",
      "1e9",
      "+4",
      "1,234",
      "-",
      ".",
      "1.2.3",
      "12a",
      "9".repeat(400),
    ]) {
      const withUnit = parseValue(`${v} B`);
      const plain = parseValue(v);
      if (plain.ok && withUnit.ok) expect(plain.value, v).toBe(withUnit.value);
      else expect(plain.ok, v).toBe(false);
    }
    for (const t of [
      "2026-06-09 10:00:00",
      "2026-06-09T10:00:00",
      "2026-06-09T10:00:00Z",
      "2026-13-09 10:00:00",
      "2026-06-09 24:00:00",
      "2026-06-09x10:00:00",
      "2026-06-09 10:00:0",
    ]) {
      expect(parseTime(t), t).toEqual(parseTime(`${t.replace(" ", "T")}.0`.replace("Z.0", ".0Z")));
    }
  });
});
