/**
 * A journal in the node's locale, or in another journalctl output mode, must give the report the
 * English `short` capture gives: the bundle join-syslog-no-year (describe + kern.log, no year, two
 * kills across New Year) with its kern.log rewritten as journalctl prints it under LC_TIME of
 * another locale (glibc `abmon`: lower-case es, de `Dez`, fr `déc.`/`janv.` with short-precise's
 * fraction, ru `дек`/`янв`, zh `12月`, ja ` 1月` space-padded), and as `-o json` (UTC wall clock
 * from `__REALTIME_TIMESTAMP`, printk uptime from `_SOURCE_MONOTONIC_TIMESTAMP`).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/model/incident.js";
import { fixtureBundle, jsonReport } from "./cli.js";

const CLEAN = fixtureBundle("join-syslog-no-year");
const KERN_LOG = readFileSync(join(CLEAN, "kern.log"), "utf8");

/** A copy of the bundle whose kern.log is replaced by `name` holding `text`. */
function variant(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "journal-locale-"));
  cpSync(join(CLEAN, "describe-pod.txt"), join(dir, "describe-pod.txt"));
  writeFileSync(join(dir, name), text);
  return dir;
}

/** What the report says happened and why. */
function outcome(i: Incident) {
  return {
    subject: i.subject,
    event: i.event,
    cause: i.verdict.cause,
    kills: i.kills.map((k) => [k.pid, k.time, k.limitBytes]),
  };
}

const STAMP = /^(Dec|Jan) ( ?\d{1,2}) (\d{2}:\d{2}:\d{2}) /gm;

/** kern.log with its months as `locale` prints them (`fraction`: short-precise). */
function localised(months: { Dec: string; Jan: string }, fraction = false): string {
  return KERN_LOG.replace(
    STAMP,
    (_, mon: "Dec" | "Jan", day: string, clock: string) =>
      `${months[mon]} ${day.trim().padStart(2, "0")} ${clock}${fraction ? ".000000" : ""} `,
  );
}

/** kern.log as `journalctl -o json`: the clean report's UTC times for its wall clock, the `[uptime]` as the printk time. */
function asJson(): string {
  const UPTIME = /^\[\s*(\d+)\.(\d{6})\] ?/;
  return (
    KERN_LOG.trimEnd()
      .split("\n")
      .map((line) => {
        const m = /^(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) ([^:[]+)(?:\[(\d+)\])?: (.*)$/.exec(line)!;
        const year = m[1] === "Dec" ? 2024 : 2025;
        const realtimeUs =
          Date.UTC(year, m[1] === "Dec" ? 11 : 0, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) * 1000;
        const up = UPTIME.exec(m[9]!);
        const entry: Record<string, string> = {
          __REALTIME_TIMESTAMP: String(realtimeUs),
          _HOSTNAME: m[6]!,
          SYSLOG_IDENTIFIER: m[7]!,
          MESSAGE: up ? m[9]!.slice(up[0].length) : m[9]!,
          ...(m[7] === "kernel"
            ? { _TRANSPORT: "kernel", _SOURCE_MONOTONIC_TIMESTAMP: up ? `${up[1]}${up[2]}` : "0" }
            : { _TRANSPORT: "syslog", _PID: m[8]! }),
        };
        return JSON.stringify(entry);
      })
      .join("\n") + "\n"
  );
}

describe("a journal in another locale or output mode gives the English capture's report", () => {
  const clean = jsonReport(CLEAN).incidents.map(outcome);

  it("the clean capture: one container OOM kill, two kills across New Year", () => {
    expect(clean).toHaveLength(1);
    expect(clean[0]).toMatchObject({
      event: "container-oom-kill",
      kills: [
        [23456, "2024-12-31T23:58:01Z", 2 ** 30],
        [24601, "2025-01-03T02:14:09Z", 2 ** 30],
      ],
    });
  });

  it.each([
    ["es, lower case", { Dec: "dic", Jan: "ene" }, false],
    ["en, lower case", { Dec: "dec", Jan: "jan" }, false],
    ["de", { Dec: "Dez", Jan: "Jan" }, false],
    ["fr, short-precise", { Dec: "déc.", Jan: "janv." }, true],
    ["ru", { Dec: "дек", Jan: "янв" }, false],
    ["zh", { Dec: "12月", Jan: "1月" }, false],
    ["ja (space-padded)", { Dec: "12月", Jan: " 1月" }, false],
  ])("%s", (_name, months, fraction) => {
    const r = jsonReport(variant("journal.txt", localised(months, fraction)));
    expect(r.incidents.map(outcome)).toEqual(clean);
    expect(r.warnings).toEqual([]);
  });

  it("-o json", () => {
    const r = jsonReport(variant("journal.json", asJson()));
    expect(r.bundle.files.find((f) => f.path.endsWith("journal.json"))?.kind).toBe("kernel-log");
    expect(r.incidents.map(outcome)).toEqual(clean);
  });
});
