/**
 * Every case of ../shared/realworld/cases.json: the built CLI on a bundle made of the case's
 * files must reach the expected event, an accepted cause (and none of the wrong ones), and
 * where the case gives them the pod, pod UID, victim pid and limitBytes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { REALWORLD } from "../realworld.js";
import { runCli } from "./cli.js";

interface Case {
  id: string;
  files: string[];
  expect: {
    event: string[];
    cause?: string[];
    causeNot?: string[];
    pid?: number;
    limitBytes?: number;
    podUid?: string;
    pod?: string;
  };
}

const cases = (JSON.parse(readFileSync(join(REALWORLD, "cases.json"), "utf8")) as { cases: Case[] }).cases;
const work = mkdtempSync(join(tmpdir(), "oom-postmortem-cases-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("realworld cases.json", () => {
  it("has cases to check", () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (id, c) => {
    const bundle = join(work, id);
    for (const f of c.files) cpSync(join(REALWORLD, f), join(bundle, f));
    const r = runCli([bundle, "--format", "json", "--quiet"]);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    expect([0]).toContain(r.status);
    const report = JSON.parse(r.stdout) as Report;
    const first = report.incidents[0];
    const event = first?.event ?? "none";
    expect(c.expect.event).toContain(event);
    if (!first) return;
    if (c.expect.cause) expect(c.expect.cause).toContain(first.verdict.cause);
    if (c.expect.causeNot) expect(c.expect.causeNot).not.toContain(first.verdict.cause);
    if (c.expect.pod !== undefined) expect(first.subject.pod).toBe(c.expect.pod);
    if (c.expect.podUid !== undefined) expect(first.subject.podUid).toBe(c.expect.podUid);
    if (c.expect.pid !== undefined) expect(first.kills.map((k) => k.pid)).toContain(c.expect.pid);
    if (c.expect.limitBytes !== undefined) expect(first.kills.map((k) => k.limitBytes)).toContain(c.expect.limitBytes);
  });
});

describe("summary and advice on realworld captures", () => {
  it("a global OOM that killed the largest process names it as the biggest consumer, not the next one (parseoom: clamd 1.6 GiB, rspamd 64.5 MiB)", () => {
    const r = runCli([
      join(REALWORLD, "13-parseoom-debian-5.10-global-clamd-syslog.dmesg.txt"),
      "--format",
      "json",
      "--quiet",
    ]);
    const [incident] = (JSON.parse(r.stdout) as Report).incidents;
    const titles = incident!.actions.map((a) => a.title);
    expect(titles[0]).toBe("Cap the biggest consumer, the process killed: clamd (pid 517, 1.6 GiB)");
    expect(incident!.actions[0]!.command).toBe("ps -C clamd -o pid,rss,unit,args");
    expect(titles.join("\n")).not.toMatch(/rspamd/);
    const md = runCli([join(REALWORLD, "13-parseoom-debian-5.10-global-clamd-syslog.dmesg.txt"), "--quiet"]).stdout;
    expect(md).toContain(
      "**What happened:** node `node-4jdugq` ran out of memory and the kernel OOM-killed `clamd`; a global OOM, not a memory limit.",
    );
  });

  it("a global OOM of a bundle that names no node, pod or container: a process was killed, not 'a container' (cAdvisor's badsysprogram)", () => {
    const md = runCli([join(REALWORLD, "02-cadvisor-global-3.13-gce-kmsg.dmesg.txt"), "--quiet"]).stdout;
    expect(md).toContain("**What happened:** a process was OOM-killed when the node ran out of memory");
    expect(md).not.toMatch(/a container was OOM-killed/);
  });
});
