import { describe, it, expect, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanPaste } from "../../src/ingest/paste/clean.js";
import { readPaste } from "../../src/ingest/paste/parts.js";
import { detectIngester } from "../../src/ingest/index.js";
import { runPostmortem } from "../../src/pipeline.js";

const SAMPLE = new URL("../../samples/batch-load-512mi/", import.meta.url);
const sample = (name: string) => readFileSync(new URL(name, SAMPLE), "utf8");
const sniff = (text: string) => detectIngester(text, "x")?.kind ?? null;

describe("cleanPaste: prompts, commands and their hints", () => {
  it.each([
    ["[root@master ~]$ kubectl describe pod api-0 -n shop", "api-0", "shop"],
    ["sre@bastion:~/incident$ kubectl describe pod/api-0 --namespace=shop", "api-0", "shop"],
    ["$ kubectl -n shop describe po api-0", "api-0", "shop"],
    ["# kubectl describe pod api-0 -nshop", "api-0", "shop"],
    ["PS C:\\Users\\me> kubectl describe pod api-0 -n shop", "api-0", "shop"],
    ["kubectl describe pod api-0 -n shop", "api-0", "shop"],
  ])("reads %s as a command naming the pod and namespace", (line, pod, ns) => {
    const p = cleanPaste(`${line}\nName:         x\n`);
    expect(p.kinds[0]).toBe("command");
    expect(p.texts[0]).toBe("");
    expect(p.commands[0]?.hint?.name).toBe(pod);
    expect(p.commands[0]?.hint?.namespace).toBe(ns);
  });

  it("joins a command continued with \\ and > lines, and blanks a prompt with an unknown command", () => {
    const p = cleanPaste("$ kubectl get pod api-0 \\\n>   -n shop -o yaml\nstatus:\n$ ssh node-1\n");
    expect(p.kinds).toEqual(["command", "command", "content", "command", "blank"]);
    expect(p.commands[0]?.hint?.namespace).toBe("shop");
    expect(p.commands[1]?.hint).toBeNull();
  });

  it("keeps YAML comments and describe lines that only look like prompts", () => {
    const p = cleanPaste("# taken after the second restart\nstatus:\n  phase: Failed\n");
    expect(p.kinds).toEqual(["content", "content", "content", "blank"]);
  });
});

describe("cleanPaste: cuts, markers and layout", () => {
  it.each([
    "...",
    "......",
    "…",
    "[...]",
    "[…]",
    "(...)",
    "<snip>",
    "[snip]",
    "-- snip --",
    "--- 8< ---",
    "[... 40 lines omitted ...]",
    "    ...",
  ])("reads %s as a cut", (cut) => {
    const p = cleanPaste(`Name: a\n${cut}\nNamespace: b\n`);
    expect(p.kinds[1]).toBe("cut");
    expect(p.cuts).toEqual([{ line: 2, text: cut.trim() }]);
  });

  it("does not read a line that merely contains dots as a cut", () => {
    expect(cleanPaste("Message: The node was low on resource: memory...\n").kinds[0]).toBe("content");
  });

  it("strips grep -n prefixes and reads -- separators as cuts, keeping line numbers", () => {
    const p = cleanPaste(
      "41:    Last State:     Terminated\n42-      Reason:       OOMKilled\n43-      Exit Code:    137\n--\n97:    Last State:     Terminated\n98-      Reason:       Error\n",
    );
    expect(p.texts[1]).toBe("      Reason:       OOMKilled");
    expect(p.kinds[3]).toBe("cut");
    expect(p.cleaned).toContain("grep -n line-number prefixes");
  });

  it("leaves times and dates at the start of lines alone (sar, CSV, journal)", () => {
    for (const text of [
      "01:00:01 AM  kbmemfree\n02:00:01 AM  812\n03:00:01 AM  700\n",
      "2024-03-07 09:00:00,1\n2025-03-07 09:01:00,2\n2026-03-07 09:02:00,3\n",
    ]) {
      expect(cleanPaste(text).cleaned).toEqual([]);
    }
  });

  it("strips nested mail quote markers, fences with their list indentation, and odd spaces", () => {
    const p = cleanPaste("> > Name:\u00a0\u00a0api-0\n> > Namespace: shop\n");
    expect(p.texts.slice(0, 2)).toEqual(["Name:  api-0", "Namespace: shop"]);
    const f = cleanPaste("* the log:\n  ```\n  [1.0] a\n  [2.0] b\n  ```\n");
    expect(f.kinds).toEqual(["content", "fence", "content", "content", "fence", "blank"]);
    expect(f.texts[2]).toBe("[1.0] a");
  });
});

describe("readPaste", () => {
  it("leaves a plain capture alone", () => {
    for (const name of ["describe-pod.txt", "dmesg.txt", "pod.json"])
      expect(readPaste(name, sample(name), sniff)).toBeNull();
  });

  it("cuts a ticket into describe, kernel log and pod JSON, each with the file's lines", () => {
    const ticket = [
      "Hi, the pod keeps dying:",
      "",
      "$ kubectl describe pod report-api-5c8f7d9b6-wq4zt -n billing",
      sample("describe-pod.txt"),
      "",
      "$ dmesg -T",
      sample("dmesg.txt"),
      "",
      "pod JSON below",
      "```json",
      sample("pod.json"),
      "```",
    ].join("\n");
    const parts = readPaste("t.txt", ticket, sniff)!;
    expect(parts.map((p) => p.kind)).toEqual(["kubectl-describe", "kernel-log", "pod-json"]);
    const lines = ticket.split("\n");
    const killed = lines.findIndex((l) => l.includes("Killed process"));
    expect(parts[1]!.source.head.split("\n")[killed]).toBe(lines[killed]);
    expect(parts[0]!.paste.command?.hint.name).toBe("report-api-5c8f7d9b6-wq4zt");
    expect(parts[0]!.paste.notes.map((n) => n.code)).toContain("paste/sections");
    expect(parts[0]!.paste.notes[0]!.message).toContain("lines 1–1 not recognised, not read");
  });
});

describe("pastes end to end", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const run = async (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "oom-paste-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return runPostmortem({ bundlePath: dir });
  };

  it("reads a describe below its prompt line, and a cut describe is named by its command", async () => {
    const describe = sample("describe-pod.txt");
    const withPrompt = await run({
      "d.txt": `[root@master ~]$ kubectl describe pod report-api-5c8f7d9b6-wq4zt -n billing\n${describe}`,
    });
    expect(withPrompt.incidents[0]?.event).toBe("container-oom-kill");
    const containers = describe.slice(describe.indexOf("Containers:"));
    const cut = await run({ "d.txt": `$ kubectl describe pod web-1 -n shop\n......\n${containers}` });
    expect(cut.incidents[0]?.subject).toMatchObject({ pod: "web-1", namespace: "shop", container: "report-api" });
    expect(cut.warnings.some((w) => w.line === 2 && /cut out here/.test(w.message))).toBe(true);
  });

  it("gives a quoted ticket holding all three artifacts the verdict of the clean bundle", async () => {
    const clean = await run({
      "describe-pod.txt": sample("describe-pod.txt"),
      "dmesg.txt": sample("dmesg.txt"),
      "pod.json": sample("pod.json"),
    });
    const body = [
      "$ kubectl describe pod report-api-5c8f7d9b6-wq4zt -n billing",
      sample("describe-pod.txt"),
      "",
      "$ dmesg -T",
      sample("dmesg.txt"),
      "",
      "$ kubectl get pod report-api-5c8f7d9b6-wq4zt -n billing -o json",
      sample("pod.json"),
    ].join("\n");
    const pasted = await run({
      "ticket.txt": body
        .split("\n")
        .map((l) => `> ${l}`)
        .join("\n"),
    });
    const pick = (r: typeof clean) =>
      r.incidents.map((i) => [i.event, i.verdict.cause, i.subject.pod, i.kills[0]?.pid]);
    expect(pick(pasted)).toEqual(pick(clean));
    const killLine = pasted.incidents[0]!.kills[0]!.evidence[0]!;
    expect(body.split("\n")[killLine.line! - 1]).toContain(killLine.text.slice(0, 30));
  });
});
