/**
 * Paste variants of every clean sample give the clean sample's verdict (issue 8): each file with
 * a shell prompt line and its command above it, a middle block that holds no evidence (labels and
 * annotations of a describe, the call trace of a kernel report) cut out and marked with an
 * elision, a describe with its spacing collapsed and its indentation lost, every file indented as
 * a block (a tab or a Markdown code block), and the whole bundle pasted as one mail-quoted ticket. Compared: every incident's event and verdict cause, and the
 * kernel's victim pid.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runPostmortem } from "../../src/pipeline.js";

const SAMPLES = new URL("../../samples/", import.meta.url);
const samples = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const filesOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(new URL(`${name}/`, SAMPLES))
      .filter((f) => f !== "README.md")
      .map((f) => [f, readFileSync(new URL(`${name}/${f}`, SAMPLES), "utf8")]),
  );

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function verdicts(files: Record<string, string>): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), "oom-paste-variant-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const report = await runPostmortem({ bundlePath: dir });
  return report.incidents
    .map((i) => [i.event, i.verdict.cause, i.kills.find((k) => k.pid !== null)?.pid ?? null])
    .sort((a, b) => String(a).localeCompare(String(b)));
}

const isDescribe = (text: string) => /^Name:\s+\S/m.test(text) && /^(?:Containers|Events):/m.test(text);
const isKernelLog = (text: string) => /invoked oom-killer|Killed process/.test(text);

/** The command a user would have typed to get the file. */
function commandFor(file: string, text: string): string {
  if (isDescribe(text))
    return `kubectl describe pod ${/^Name:\s+(\S+)/m.exec(text)?.[1] ?? "x"} -n ${/^Namespace:\s+(\S+)/m.exec(text)?.[1] ?? "default"}`;
  if (isKernelLog(text)) return "sudo dmesg -T";
  return `cat ${file}`;
}

const PROMPTS = ["$ ", "[root@master ~]$ ", "sre@bastion:~/incident$ ", "# ", "PS C:\\Users\\sre> "];
const CUTS = ["...", "......", "…", "[...]", "<snip>", "[snip]"];

/** Cuts the lines of a describe's labels and annotations, or of a kernel report's call trace. */
function elideMiddle(text: string, cut: string): string {
  const lines = text.split("\n");
  const block = isDescribe(text) ? describeNoise(lines) : isKernelLog(text) ? callTrace(lines) : null;
  if (!block) return text;
  return [...lines.slice(0, block[0]), cut, ...lines.slice(block[1] + 1)].join("\n");
}

function describeNoise(lines: string[]): [number, number] | null {
  const from = lines.findIndex((l) => /^Labels:/.test(l));
  const to = lines.findIndex((l, i) => i > from && /^(?:Status|IP|IPs|Controlled By):/.test(l));
  return from > 0 && to > from ? [from, to - 1] : null;
}

function callTrace(lines: string[]): [number, number] | null {
  const from = lines.findIndex((l) => /Call Trace:/.test(l));
  if (from < 0) return null;
  let to = from + 1;
  while (to < lines.length && /(?:\]|:)\s+(?:\?\s+)?[\w.]+\+0x[0-9a-f]+\/0x[0-9a-f]+/.test(lines[to]!)) to++;
  return to - 1 > from ? [from + 1, to - 1] : null;
}

/** A describe as a chat client flattens it: no indentation, one space between words. */
const collapse = (text: string) => (isDescribe(text) ? text.replace(/^[ \t]+/gm, "").replace(/[ \t]{2,}/g, " ") : text);

describe("paste variants of the clean samples keep their verdict", () => {
  it.each(samples)("%s: prompt lines, a cut middle block, collapsed spacing", async (name) => {
    const clean = filesOf(name);
    const want = await verdicts(clean);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROMPTS), fc.constantFrom(...CUTS), async (prompt, cut) => {
        const variant = Object.fromEntries(
          Object.entries(clean).map(([f, t]) => [f, `${prompt}${commandFor(f, t)}\n${collapse(elideMiddle(t, cut))}`]),
        );
        expect(await verdicts(variant)).toEqual(want);
      }),
      { numRuns: 3, seed: 8 },
    );
  });

  it.each(samples)(
    "%s: every file indented as a block (a tab, or a Markdown code block of 4+ spaces)",
    async (name) => {
      const clean = filesOf(name);
      const want = await verdicts(clean);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom("\t", "    ", "      "), async (indent) => {
          const variant = Object.fromEntries(Object.entries(clean).map(([f, t]) => [f, t.replace(/^(?=.)/gm, indent)]));
          expect(await verdicts(variant)).toEqual(want);
        }),
        { numRuns: 2, seed: 8 },
      );
    },
  );

  it.each(samples)("%s: the whole bundle pasted as one mail-quoted ticket", async (name) => {
    const clean = filesOf(name);
    const body = Object.entries(clean)
      .flatMap(([f, t]) => [`$ ${commandFor(f, t)}`, t.trimEnd(), ""])
      .map((l) =>
        l
          .split("\n")
          .map((x) => `> ${x}`)
          .join("\n"),
      );
    expect(await verdicts({ "ticket.txt": `Hi, here is what we saved:\n\n${body.join("\n")}\n` })).toEqual(
      await verdicts(clean),
    );
  });
});
