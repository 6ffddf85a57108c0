import { describe, expect, it } from "vitest";
import { parseKubeDuration, parseKubeTime } from "../../src/ingest/k8s-time.js";

describe("parseKubeTime", () => {
  const cases: [string, string, string | null][] = [
    ["RFC 3339 with Z (metav1.Time)", "2016-04-11T23:52:49Z", "2016-04-11T23:52:49.000Z"],
    ["RFC 3339 with fractional seconds (MicroTime)", "2023-03-01T10:00:00.123456Z", "2023-03-01T10:00:00.123Z"],
    ["RFC 3339 with a negative offset", "2021-12-13T18:02:32-08:00", "2021-12-14T02:02:32.000Z"],
    ["RFC 3339 with a positive offset and fraction", "2025-02-27T07:36:21.5+01:00", "2025-02-27T06:36:21.500Z"],
    ["RFC 3339 quoted as in YAML", '"2020-01-02T03:04:05Z"', "2020-01-02T03:04:05.000Z"],
    ["describe RFC1123Z with +0100 (realworld 50)", "Thu, 27 Feb 2025 07:36:21 +0100", "2025-02-27T06:36:21.000Z"],
    ["describe RFC1123Z with -0800 (realworld 18)", "Mon, 13 Dec 2021 18:02:32 -0800", "2021-12-14T02:02:32.000Z"],
    ["describe RFC1123Z with +0000 (realworld 34)", "Tue, 10 Dec 2019 03:57:52 +0000", "2019-12-10T03:57:52.000Z"],
    ["RFC1123 with UTC", "Thu, 12 Feb 2015 01:13:02 UTC", "2015-02-12T01:13:02.000Z"],
    ["Go time.String()", "2021-12-13 18:02:32.25 -0800 PST", "2021-12-14T02:02:32.250Z"],
    ["surrounding whitespace", "  2016-04-11T23:52:49Z \t", "2016-04-11T23:52:49.000Z"],
    ["Go zero time printed by describe for an unset time", "Mon, 01 Jan 0001 00:00:00 +0000", null],
    ["RFC 3339 zero time", "0001-01-01T00:00:00Z", null],
    ["RFC1123 with an ambiguous zone name", "Mon, 13 Dec 2021 18:02:32 PST", null],
    ["no zone at all", "2016-04-11T23:52:49", null],
    ["month 13", "2016-13-11T23:52:49Z", null],
    ["31 February", "2016-02-31T23:52:49Z", null],
    ["hour 24", "2016-02-11T24:00:00Z", null],
    ["unknown month name", "Mon, 13 Foo 2021 18:02:32 -0800", null],
    ["an age, not a time", "6m40s", null],
    ["<unknown>", "<unknown>", null],
    ["empty", "", null],
  ];
  it.each(cases)("%s", (_name, text, iso) => {
    const ms = parseKubeTime(text);
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(iso);
  });

  it("returns null for non-strings and a huge line without hanging", () => {
    expect(parseKubeTime(undefined as unknown as string)).toBeNull();
    expect(parseKubeTime("2016-04-11T23:52:49Z".repeat(50_000))).toBeNull();
    expect(parseKubeTime(`Mon, 13 Dec 2021 ${"1".repeat(500_000)}`)).toBeNull();
  });
});

describe("parseKubeDuration", () => {
  const cases: [string, string, number | null][] = [
    ["seconds (HumanDuration < 2m)", "87s", 87_000],
    ["minutes and seconds", "6m40s", 400_000],
    ["minutes only", "58m", 3_480_000],
    ["hours and minutes", "5h3m", 5 * 3_600_000 + 3 * 60_000],
    ["days and hours", "2d3h", 2 * 86_400_000 + 3 * 3_600_000],
    ["days only", "400d", 400 * 86_400_000],
    ["years and days (365-day years)", "2y3d", (2 * 365 + 3) * 86_400_000],
    ["Go duration in ms", "901ms", 901],
    ["Go duration with a fraction", "1.01s", 1010],
    ["Go duration 5m0s", "5m0s", 300_000],
    ["<unknown>", "<unknown>", null],
    ["<invalid>", "<invalid>", null],
    ["empty", "", null],
    ["a count suffix is not part of an age", "87s (x23 over 6m33s)", null],
    ["unit without number", "m", null],
    ["number without unit", "42", null],
    ["negative", "-5s", null],
  ];
  it.each(cases)("%s", (_name, text, ms) => {
    expect(parseKubeDuration(text)).toBe(ms);
  });

  it("rejects a huge input quickly", () => {
    expect(parseKubeDuration("1s".repeat(100_000))).toBeNull();
  });
});
