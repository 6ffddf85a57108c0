/**
 * The secret corpus (test/render/secret-corpus.ts) end to end through the BUILT CLI: every
 * secret goes into a real sample bundle as a kubelet event message, and some into a file name
 * and an archive entry name. With `--no-redact` every secret's probe is in the md, html and
 * json reports (so the check is not vacuous); by default none is (0 leaks), and the
 * look-alikes are still there.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import { afterAll, describe, expect, it } from "vitest";
import { NOT_SECRETS, SECRET_CORPUS } from "../render/secret-corpus.js";
import { REPO, runCli } from "./cli.js";

const SAMPLE = join(REPO, "samples/jvm-heap-off-node");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Secrets without `/` can stand in a file name. */
const IN_NAMES = SECRET_CORPUS.filter((c) => !c.secret.includes("/") && c.secret.length < 120).slice(0, 3);

function corpusBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), "oom-secrets-"));
  dirs.push(dir);
  cpSync(SAMPLE, dir, { recursive: true });
  rmSync(join(dir, "README.md"), { force: true });
  const describePath = join(dir, "describe-pod.txt");
  const events = [...SECRET_CORPUS.map((c) => c.line), ...NOT_SECRETS.slice(0, 3)]
    .map((line, i) => `  Warning  Failed     ${i + 1}s (x1 over 10m)    kubelet            ${line}\n`)
    .join("");
  writeFileSync(describePath, `${readFileSync(describePath, "utf8").trimEnd()}\n${events}`);
  writeFileSync(join(dir, `notes-${IN_NAMES[0]!.secret}.txt`), "not an artifact\n");
  const entryDir = mkdtempSync(join(tmpdir(), "oom-secrets-entry-"));
  dirs.push(entryDir);
  writeFileSync(join(entryDir, `dump-${IN_NAMES[1]!.secret}.txt`), "not an artifact either\n");
  tar.create({ gzip: true, file: join(dir, "extra.tgz"), cwd: entryDir, sync: true }, [
    `dump-${IN_NAMES[1]!.secret}.txt`,
  ]);
  return dir;
}

const bundle = corpusBundle();

function render(format: "md" | "html" | "json", ...flags: string[]): string {
  // --detail full: every table (event messages, file and entry names) reaches the output.
  const r = runCli([bundle, "--format", format, "--quiet", "--detail", "full", ...flags]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe.each(["md", "html", "json"] as const)("secret corpus through the CLI, %s", (format) => {
  const plain = render(format, "--no-redact");
  const redacted = render(format);

  it("every secret reaches the unredacted report (event messages, file and entry names)", () => {
    const missing = SECRET_CORPUS.filter((c) => !plain.includes(c.probe)).map((c) => c.name);
    expect(missing).toEqual([]);
  });

  it("no secret is left in the redacted report (0 leaks)", () => {
    const leaks = SECRET_CORPUS.filter((c) => redacted.includes(c.probe)).map((c) => c.name);
    expect(leaks).toEqual([]);
    expect(redacted).toContain("[REDACTED]");
  });

  it("keeps the rest of the report: look-alike lines, pod and file names", () => {
    expect(redacted).toContain("payments-84c6d9f5b7-tx9vl");
    expect(redacted).toContain("/etc/passwd");
    expect(redacted).toContain("absolute path");
    expect(redacted).toContain("permission denied");
    // HTML breaks long tokens with <wbr> (a break opportunity, not text).
    expect(redacted.replaceAll("<wbr>", "")).toContain("extra.tgz");
    expect(redacted).toContain("notes-");
  });
});
