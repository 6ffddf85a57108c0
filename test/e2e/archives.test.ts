/**
 * The built CLI on archives made in a temp folder at test time: a `.tar.gz` of a sample bundle
 * reaches the sample's verdict with evidence cited as `archive!/path`; a gzip bomb ends in a
 * report with the stop warning (exit 3, nothing recognised), not a crash.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const SCENARIO = "batch-load-512mi";

async function sampleTarGz(dir: string): Promise<string> {
  const p = pack();
  for (const f of ["describe-pod.txt", "dmesg.txt", "pod.json"]) {
    const data = readFileSync(join(REPO, "samples", SCENARIO, f));
    p.entry({ name: `${SCENARIO}/${f}`, size: data.length, mode: 0o644 }, data);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  const path = join(dir, `${SCENARIO}.tar.gz`);
  writeFileSync(path, gzipSync(Buffer.concat(chunks)));
  return path;
}

function expectedOf(name: string): { event: string; cause: string } {
  const readme = readFileSync(join(REPO, "samples", name, "README.md"), "utf8");
  return { event: /^Expected event: (\S+)/m.exec(readme)![1]!, cause: /^Expected cause: (\S+)/m.exec(readme)![1]! };
}

describe("CLI on archives", () => {
  it("a .tar.gz bundle gives the sample's verdict, citing archive!/path", async () => {
    const archive = await sampleTarGz(mkdtempSync(join(tmpdir(), "oom-e2e-")));
    const r = runCli([archive, "--format", "json", "--quiet", "--strict"]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect({ event: report.incidents[0]?.event, cause: report.incidents[0]?.verdict.cause }).toEqual(
      expectedOf(SCENARIO),
    );
    for (const e of report.incidents[0]!.verdict.evidence)
      expect(e.file).toMatch(new RegExp(`^${SCENARIO}\\.tar\\.gz!/${SCENARIO}/`));
    const md = runCli([archive, "--quiet"]);
    expect(md.status).toBe(0);
    expect(md.stdout).toContain(`${SCENARIO}.tar.gz!/${SCENARIO}/dmesg.txt`);
  });

  it("a gzip bomb stops with a warning in the report and exit 3", () => {
    const dir = mkdtempSync(join(tmpdir(), "oom-e2e-"));
    const bomb = join(dir, "dmesg.txt.gz");
    writeFileSync(bomb, gzipSync(Buffer.alloc(64 * 1024 ** 2)));
    const r = runCli([bomb, "--format", "json", "--quiet"]);
    expect(r.status).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^not analysed: decompression stopped at \d+ bytes: ratio \d+:1 exceeds 1000:1/),
    ]);
  });
});
