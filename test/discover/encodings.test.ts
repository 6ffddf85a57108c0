/**
 * Encodings and terminal noise through the whole pipeline: each artifact of a sample, re-encoded
 * (UTF-16 LE/BE with BOM, UTF-8 BOM, CRLF, ANSI colour, a `script` capture with its header,
 * CRLF, OSC title and backspace-corrected typing, overstruck `x\bx` text, trailing whitespace),
 * must give the same incident as the plain file, with no new warnings.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { runPostmortem } from "../../src/pipeline.js";
import { sample, tempDir, writeTree } from "./builders.js";
import { discover } from "../../src/discover.js";

const SCENARIO = "batch-load-512mi";

const utf16be = (text: string) => {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};

/** `script -c '<command>'` as util-linux 2.39 writes it: header, prompt with OSC title, CRLF output, footer. */
function scriptCapture(command: string, output: string): string {
  const typed = `${command.slice(0, 8)}x\b \b${command.slice(8)}`; // a typo erased with backspace
  return [
    `Script started on 2026-10-02 08:40:11+00:00 [TERM="xterm-256color" TTY="/dev/pts/1" COLUMNS="211" LINES="50"]`,
    `\x1b]0;sre@bastion: ~\x07\x1b[?2004h[sre@bastion ~]$ ${typed}`,
    `\x1b[?2004l`,
    ...output.split("\n"),
    `\x1b]0;sre@bastion: ~\x07\x1b[?2004h[sre@bastion ~]$ exit`,
    `\x1b[?2004l`,
    `exit`,
    ``,
    `Script done on 2026-10-02 08:40:19+00:00 [COMMAND_EXIT_CODE="0"]`,
    ``,
  ].join("\r\n");
}

/** Overstrike (bold as `less`/`ul` print it): every letter of each label doubled with a backspace. */
const overstrike = (text: string) =>
  text.replace(/^([A-Z][A-Za-z ]+):/gm, (_m, label: string) => `${[...label].map((c) => `${c}\b${c}`).join("")}:`);

const VARIANTS: [string, (text: string, command: string) => Buffer | string][] = [
  ["UTF-16 LE with BOM", (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")])],
  ["UTF-16 BE with BOM", (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)])],
  ["UTF-8 with BOM", (t) => `\uFEFF${t}`],
  ["CRLF line ends", (t) => t.replace(/\n/g, "\r\n")],
  ["ANSI colour", (t) => t.replace(/^(\S[^:\]\n]*[:\]])/gm, "\x1b[1;32m$1\x1b[0m")],
  ["a script(1) capture", (t, cmd) => scriptCapture(cmd, t)],
  ["overstruck labels (x\\bx)", (t) => overstrike(t)],
  ["trailing whitespace", (t) => t.replace(/\n/g, "   \t\n")],
];

const ARTIFACTS: [string, string][] = [
  ["describe-pod.txt", "kubectl describe pod report-api-5c8f7d9b6-wq4zt -n billing"],
  ["dmesg.txt", "dmesg -T"],
  ["pod.json", "kubectl get pod report-api-5c8f7d9b6-wq4zt -n billing -o json"],
];

function shape(r: Report) {
  return r.incidents.map((i) => ({
    subject: i.subject,
    event: i.event,
    cause: i.verdict.cause,
    confidence: i.verdict.confidence,
    kills: i.kills.length,
    hypotheses: i.hypotheses.map((h) => [h.cause, h.status]),
  }));
}

describe.each(ARTIFACTS)("%s", (file, command) => {
  const plain = sample(SCENARIO, file).toString("utf8");

  it.each(VARIANTS)("as %s gives the plain file's incident and no new warnings", async (_label, encode) => {
    const baseline = await runPostmortem({ bundlePath: writeTree(tempDir(), { [file]: plain }) });
    expect(baseline.incidents.length).toBeGreaterThan(0);
    const root = writeTree(tempDir(), { [file]: encode(plain, command) });
    const [found] = await discover(join(root, file));
    expect(found?.ingester?.kind).toBe(baseline.bundle.files[0]!.kind);
    const report = await runPostmortem({ bundlePath: root });
    expect(shape(report)).toEqual(shape(baseline));
    expect(report.warnings.length).toBe(baseline.warnings.length);
  });
});
