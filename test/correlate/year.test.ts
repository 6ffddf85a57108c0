/** Years for syslog/journal lines that print none (src/correlate/year.ts). */
import { describe, expect, it } from "vitest";
import { resolveYears } from "../../src/correlate/year.js";
import { oom } from "../diagnose/builders.js";

const bsd = (text: string, file = "messages") =>
  oom({ source: { file, line: 1 }, time: { wallMs: null, uptimeSec: null, clock: "local", wallText: text } });
const ref = (iso: string, file = "describe.txt") => ({ ms: Date.parse(iso), file });

describe("resolveYears", () => {
  it("takes the year of the bundle's latest time, and says from where", () => {
    const { ooms, notes } = resolveYears(
      [bsd("Mar 3 04:05:06")],
      [ref("2026-03-03T04:05:09Z"), ref("2026-03-01T00:00:00Z")],
    );
    expect(ooms[0]!.time).toMatchObject({ wallMs: Date.parse("2026-03-03T04:05:06Z"), clock: "local" });
    expect(notes).toEqual([
      {
        file: "messages",
        text: "messages: syslog/journal lines print no year; the year 2026 taken from describe.txt (its latest time, 2026-03-03)",
      },
    ]);
  });

  it("puts December before a January reference in the year before", () => {
    const { ooms } = resolveYears([bsd("Dec 31 23:59:58"), bsd("Jan 1 00:00:03")], [ref("2027-01-01T00:00:05Z")]);
    expect(ooms.map((o) => o.time.wallMs)).toEqual([
      Date.parse("2026-12-31T23:59:58Z"),
      Date.parse("2027-01-01T00:00:03Z"),
    ]);
  });

  it("prefers the file's own dated lines over other artifacts", () => {
    const dated = oom({
      source: { file: "messages", line: 9 },
      time: { wallMs: Date.parse("2024-05-05T00:00:00Z"), uptimeSec: null, clock: "utc" },
    });
    const { ooms, notes } = resolveYears([bsd("May 4 10:00:00"), dated], [ref("2026-05-04T10:00:00Z")]);
    expect(new Date(ooms[0]!.time.wallMs!).getUTCFullYear()).toBe(2024);
    expect(notes[0]!.text).toMatch(/the file's own dated lines/);
  });

  it("Feb 29 only lands in a leap year; no reference leaves the line unplaced", () => {
    expect(resolveYears([bsd("Feb 29 12:00:00")], [ref("2025-03-01T00:00:00Z")]).ooms[0]!.time.wallMs).toBe(
      Date.parse("2024-02-29T12:00:00Z"),
    );
    expect(resolveYears([bsd("Feb 29 12:00:00")], []).ooms[0]!.time.wallMs).toBeNull();
  });
});
