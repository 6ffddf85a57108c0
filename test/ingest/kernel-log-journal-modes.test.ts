/**
 * One OOM report as journalctl prints it in its output modes (systemd `logs-show.c`; fixtures
 * written from it): `-o json` (fields in hash order, a non-UTF-8 MESSAGE as bytes, a multi-line
 * MESSAGE), `-o json-seq`, `-o json-pretty`, `-o cat`, `-o short-precise` in a French locale and
 * `-o short` in a Spanish one (lower-case `jun`), plus the prefixes of `short-monotonic` and
 * `short-delta`. Every mode gives the same report; JSON gives its wall clock in UTC.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { yearlessMs } from "../../src/correlate/year.js";
import { detectIngester } from "../../src/ingest/index.js";
import { kernelLog, parseKernelLog } from "../../src/ingest/kernel-log.js";
import { stripPrefix } from "../../src/ingest/kernel-log/prefix.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet, OomEvent } from "../../src/model/facts.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const parse = (name: string, text: string): Promise<FactSet> => kernelLog.parse(sourceFromString(name, text));

const JSON_LINES = fixture("journal-json-memcg-v2.txt");
/** The kill line's __REALTIME_TIMESTAMP minus journald's receive delay: 2026-06-08T11:02:17.123Z (µs 1780916537123332 + 173). */
const REPORT_START_MS = 1780916537123;

/** What a report says, without where and when it was read. */
function content(e: OomEvent) {
  return {
    trigger: e.trigger?.process,
    constraint: e.constraint,
    oomMemcg: e.oomMemcg,
    counters: e.counters.map((c) => [c.name, c.usageBytes, c.limitBytes]),
    stats: { path: e.memcgStats?.path, bytes: e.memcgStats?.bytes },
    victims: e.victims.map((v) => [v.pid, v.process, v.anonRssBytes, v.fileRssBytes]),
    reaped: e.reaped.map((r) => r.pid),
    // The short modes print `[105B blob data]` for the row whose name is not UTF-8.
    tasks: e.tasks.filter((t) => t.pid !== 31790).map((t) => [t.pid, t.rssBytes, t.name]),
  };
}

function only(facts: FactSet): OomEvent {
  expect(facts.ooms).toHaveLength(1);
  return facts.ooms[0]!;
}

describe("journalctl -o json / json-seq / json-pretty", () => {
  it("is claimed by the kernel-log ingester whatever the file is called", () => {
    for (const name of ["journal.json", "node-1.jsonl", "kernel.txt", "export"])
      expect(detectIngester(JSON_LINES.slice(0, 8192), name)?.kind).toBe("kernel-log");
  });

  it("reads the report with its UTC wall clock, the printk uptime and the host; a clock anchor from each", async () => {
    const facts = await parse("journal.json", JSON_LINES);
    const ev = only(facts);
    expect(ev.time).toEqual({ wallMs: REPORT_START_MS, uptimeSec: 1178.612437, clock: "utc" });
    expect(ev.host).toBe("node-1");
    expect(ev.source.line).toBe(3);
    expect(ev.victims.map((v) => [v.pid, v.process, v.source.line])).toEqual([[31744, "worker", 14]]);
    expect(ev.memcgStats?.bytes).toMatchObject({ anon: 532365312, file: 1216512, shmem: 0, inactive_file: 1105920 });
    expect(facts.clockAnchors.map((a) => [a.source.line, a.uptimeSec])).toEqual([
      [1, 1176.201113],
      [3, 1178.612437],
    ]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("decodes a MESSAGE given as bytes (not UTF-8) and keeps the kubelet's entry out of the kernel report", async () => {
    const ev = only(await parse("journal.json", JSON_LINES));
    expect(ev.tasks.map((t) => [t.pid, t.name])).toEqual([
      [31744, "worker"],
      [31790, "w\uFFFDdog"],
    ]);
    expect(stripPrefix(JSON_LINES.split("\n")[1]!)).toMatchObject({
      kernel: false,
      syslog: true,
      host: "node-1",
      message: expect.stringContaining("SyncLoop (PLEG)"),
    });
  });

  it("json-seq (RS before each entry) reads the same", async () => {
    const lines = JSON_LINES.trimEnd().split("\n");
    const plain = only(await parse("journal.json", JSON_LINES));
    const ev = only(await parse("journal.json", lines.map((l) => `\u001e${l}\n`).join("")));
    expect(content(ev)).toEqual(content(plain));
    expect(ev.time).toEqual(plain.time);
  });

  it("json-pretty (one field per line) reads the same, each entry cited at its MESSAGE line; a head of it is claimed", async () => {
    const pretty = fixture("journal-json-pretty-memcg-v2.txt");
    expect(detectIngester(pretty.slice(0, 8192), "journal.json")?.kind).toBe("kernel-log");
    const plain = only(await parse("journal.json", JSON_LINES));
    const facts = await parse("journal-pretty.json", pretty);
    const ev = only(facts);
    expect(content(ev)).toEqual(content(plain));
    expect(ev.time).toEqual(plain.time);
    const lines = pretty.split("\n");
    expect(lines[ev.victims[0]!.source.line! - 1]).toMatch(
      /^\t"MESSAGE" : "Memory cgroup out of memory: Killed process 31744/,
    );
    expect(facts.clockAnchors).toHaveLength(2);
    expect(facts.diagnostics).toEqual([]);
  });

  it("an entry cut short is not an entry: the line is kept as text and the rest still read", async () => {
    const lines = JSON_LINES.split("\n");
    lines[4] = lines[4]!.slice(0, 60);
    const facts = await parse("journal.json", lines.join("\n"));
    expect(only(facts).victims.map((v) => v.pid)).toEqual([31744]);
    expect(stripPrefix(lines[4]!)).toMatchObject({ prefixed: false });
  });

  it("the byte scan and a line-by-line read give the same facts", async () => {
    const scanned = await parseKernelLog(sourceFromString("journal.json", JSON_LINES), { readBytes: 700 });
    const read = await parseKernelLog(sourceFromString("journal.json", JSON_LINES), { scan: false });
    expect(scanned).toEqual(read);
  });
});

describe("journalctl short modes in other locales, and -o cat", () => {
  it("-o short-precise in French (`juin 08 13:02:17.123332`): the stamp kept with its fraction, the year placed later", async () => {
    const ev = only(await parse("journal-fr.txt", fixture("journal-short-precise-fr.txt")));
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: null, clock: "local", wallText: "juin 08 13:02:17.123332" });
    expect(yearlessMs(ev.time.wallText!, Date.UTC(2026, 5, 9))).toBe(Date.UTC(2026, 5, 8, 13, 2, 17, 123));
  });

  it("-o short in Spanish, month in lower case (`jun 08 13:02:17`)", async () => {
    const ev = only(await parse("journal-es.txt", fixture("journal-short-es-lowercase.txt")));
    expect(ev.time.wallText).toBe("jun 08 13:02:17");
    expect(yearlessMs(ev.time.wallText!, Date.UTC(2026, 0, 2))).toBe(Date.UTC(2026, 5, 8, 13, 2, 17));
  });

  it("a message journalctl printed as `[105B blob data]` (not UTF-8) is said to be missing, once, at its line, with how to keep it", async () => {
    for (const name of ["journal-short-precise-fr.txt", "journal-short-es-lowercase.txt"]) {
      const facts = await parse(name, fixture(name));
      expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([["kernel-log/journal-blob", 22]]);
      expect(facts.diagnostics[0]!.message).toMatch(/`\[105B blob data\]`.*journalctl -a/);
    }
    const json = await parse("journal.json", JSON_LINES);
    expect(json.diagnostics).toEqual([]);
  });

  it("-o cat (messages only): the report is read without a time", async () => {
    const ev = only(await parse("journal-cat.txt", fixture("journal-cat-memcg-v2.txt")));
    expect(ev.time).toEqual({ wallMs: null, uptimeSec: null, clock: "none" });
  });

  it("every mode gives the same report", async () => {
    const json = content(only(await parse("journal.json", JSON_LINES)));
    for (const name of ["journal-short-precise-fr.txt", "journal-short-es-lowercase.txt", "journal-cat-memcg-v2.txt"]) {
      expect(content(only(await parse(name, fixture(name)))), name).toEqual(json);
    }
  });

  it("short-full with the weekday in any case or locale (systemd before 236 printed strftime's %a)", () => {
    for (const day of ["Tue", "tue", "Di", "mar.", "火", "Вт"]) {
      expect(
        stripPrefix(`${day} 2026-06-09 11:02:17 UTC node-1 kernel: oom_reaper: reaped process 5 (a)`),
        day,
      ).toMatchObject({
        message: "oom_reaper: reaped process 5 (a)",
        host: "node-1",
        time: { wallMs: Date.UTC(2026, 5, 9, 11, 2, 17), clock: "utc" },
      });
    }
  });

  it("short-monotonic and short-delta prefixes give the uptime, host and tag", () => {
    expect(stripPrefix("[ 1178.612734] node-1 kernel: oom_reaper: reaped process 5 (a)")).toMatchObject({
      message: "oom_reaper: reaped process 5 (a)",
      host: "node-1",
      time: { uptimeSec: 1178.612734, clock: "uptime" },
    });
    for (const delta of ["<    0.000123 >", "<    0.000123*>"]) {
      expect(stripPrefix(`[ 1178.612734 ${delta}] node-1 kernel: oom_reaper: reaped process 5 (a)`)).toMatchObject({
        message: "oom_reaper: reaped process 5 (a)",
        host: "node-1",
        time: { uptimeSec: 1178.612734 },
      });
    }
  });

  it("a journal stamp whose month is in no known locale keeps its line and report, without a time, and warns once at its line", async () => {
    const text = fixture("journal-short-es-lowercase.txt").replaceAll("jun 08", "Ιουν 08");
    const facts = await parse("journal-el.txt", text);
    expect(only(facts).victims.map((v) => v.pid)).toEqual([31744]);
    expect(only(facts).time).toMatchObject({ wallMs: null, wallText: "Ιουν 08 13:02:17" });
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([
      ["kernel-log/time-unreadable", 1],
      ["kernel-log/journal-blob", 22],
    ]);
  });
});
