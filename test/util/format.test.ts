import { describe, it, expect } from "vitest";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatR2,
  formatRate,
  formatTime,
  formatTimeRange,
  formatUptime,
  percentOf,
} from "../../src/util/format.js";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1023, "1023 B"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [536870912, "512 MiB"],
    [2147483648, "2 GiB"],
    [2040109465, "1.9 GiB"],
    [2684354560, "2.5 GiB"],
    [1099511627776, "1 TiB"],
  ])("formats %d bytes as %s", (n, expected) => {
    expect(formatBytes(n)).toBe(expected);
  });

  it("never rounds a value just under a whole unit up to it (anon-rss just under a 2 GiB limit)", () => {
    const justUnder = 2143141888; // 2092912 kB, 99.8% of 2 GiB
    expect(formatBytes(justUnder)).not.toBe(formatBytes(2147483648));
    expect(formatBytes(justUnder)).toBe("1.99 GiB");
    expect(formatBytes(2147483647)).toBe("1.99 GiB");
  });

  it("keeps one decimal for values just above a whole unit", () => {
    expect(formatBytes(2.03 * 1024 ** 3)).toBe("2.0 GiB");
  });

  it("prints unknown and invalid values as a dash, negatives with a minus", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe("—");
    expect(formatBytes(-1048576)).toBe("-1 MiB");
  });
});

describe("formatTime", () => {
  it("prints ISO instants as UTC with a space, milliseconds only when present", () => {
    expect(formatTime("2026-06-09T11:02:17Z")).toBe("2026-06-09 11:02:17 UTC");
    expect(formatTime("2026-06-09T11:02:17.250Z")).toBe("2026-06-09 11:02:17.250 UTC");
  });

  it("converts offsets to UTC", () => {
    expect(formatTime("2026-06-09T13:02:17+02:00")).toBe("2026-06-09 11:02:17 UTC");
  });

  it("prints null as a dash and returns unparseable text unchanged", () => {
    expect(formatTime(null)).toBe("—");
    expect(formatTime("not a time")).toBe("not a time");
  });

  it("takes UTC epoch ms too; one a Date cannot hold is a dash, never an exception", () => {
    expect(formatTime(Date.parse("2026-06-09T11:02:17.250Z"))).toBe("2026-06-09 11:02:17.250 UTC");
    expect(formatTime(9e15)).toBe("—");
    expect(formatTime(Number.NaN)).toBe("—");
  });
});

describe("formatTimeRange", () => {
  it("says the date once when both ends fall on it", () => {
    expect(formatTimeRange(Date.parse("2026-04-14T09:46:11Z"), Date.parse("2026-04-14T09:53:40Z"))).toBe(
      "2026-04-14 09:46:11–09:53:40 UTC",
    );
    expect(formatTimeRange(Date.parse("2026-04-14T23:58:00Z"), Date.parse("2026-04-15T00:02:00Z"))).toBe(
      "2026-04-14 23:58:00 UTC … 2026-04-15 00:02:00 UTC",
    );
  });
});

describe("formatUptime and percentages", () => {
  it("prints uptime seconds rounded to milliseconds", () => {
    expect(formatUptime(2914601.180912)).toBe("uptime 2914601.181 s");
    expect(formatUptime(null)).toBe("—");
  });

  it("prints ratios with at most one decimal and never shows 100% for a value under it", () => {
    expect(formatPercent(0.75)).toBe("75%");
    expect(formatPercent(0.998)).toBe("99.8%");
    expect(formatPercent(0.99996)).toBe("99.9%");
    expect(formatPercent(1)).toBe("100%");
    expect(percentOf(2143141888, 2147483648)).toBe("99.8%");
    expect(percentOf(1, 0)).toBe("—");
    expect(percentOf(null, 10)).toBe("—");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [45, "45 s"],
    [59.6, "1 min"],
    [750, "12 min 30 s"],
    [3600, "1 h"],
    [10830, "3 h"],
    [21737, "6 h 2 min"],
    [190800, "2 d 5 h"],
  ])("formats %d s as %s", (sec, expected) => {
    expect(formatDuration(sec)).toBe(expected);
  });

  it.each([null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY])("prints %s as —", (sec) => {
    expect(formatDuration(sec)).toBe("—");
  });
});

describe("formatRate", () => {
  it.each([
    [0, "0 MiB/min"],
    [58254.2, "+3.33 MiB/min"],
    [-1747.6, "−0.1 MiB/min"],
    [1024 ** 2 / 60, "+1 MiB/min"],
    [(25.25 * 1024 ** 2) / 60, "+25.3 MiB/min"],
    [(7 * 1024 ** 2) / 86400, "+0.0049 MiB/min"],
  ])("formats %d B/s as %s", (rate, expected) => {
    expect(formatRate(rate)).toBe(expected);
  });

  it.each([null, undefined, Number.NaN, Number.NEGATIVE_INFINITY])("prints %s as —", (rate) => {
    expect(formatRate(rate)).toBe("—");
  });
});

describe("formatR2", () => {
  it.each([
    [0.998, "0.99"],
    [1, "1.00"],
    [0.4567, "0.45"],
    [0, "0.00"],
    [Number.NaN, "—"],
    [null, "—"],
  ])("%s → %s (truncated: a fit never reads better than it is)", (r2, text) => {
    expect(formatR2(r2)).toBe(text);
  });
});
