/**
 * Issue 10, "the bundle or the system overwritten through -o": every unsafe `-o` is refused
 * with exit 2 and one line before anything is analysed, and the bundle stays byte-for-byte
 * the same; temporary files are removed when the run is stopped by a signal.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, OUR_BUG } from "../e2e/cli.js";
import { GOOD_DESCRIBE, oomTriggerLines, writeBundle, writeLines } from "./generate.js";
import { runMeasured, treeHash } from "./run.js";

const work = mkdtempSync(join(tmpdir(), "oom-postmortem-output-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bundle = writeBundle(join(work, "bundle"), {
  "describe.txt": GOOD_DESCRIBE,
  "notes/readme.txt": "saved by hand\n",
});
const single = join(bundle, "describe.txt");
mkdirSync(join(work, "out"));
symlinkSync(single, join(work, "out", "link-to-input.md"));
symlinkSync("/dev/null", join(work, "out", "link-to-null.md"));
linkSync(single, join(work, "out", "hardlink.md"));
spawnSync("mkfifo", [join(work, "out", "fifo.md")]);

async function refused(args: string[], message: RegExp): Promise<void> {
  const before = treeHash(work);
  const r = await runMeasured([...args, "--quiet"], { timeoutMs: 20_000 });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")[0]).toMatch(message);
  expect(r.stdout).toBe("");
  expect(treeHash(work)).toBe(before);
}

describe("hostile: -o never overwrites evidence or the system", () => {
  it("the input file itself", () => refused([single, "-o", single], /is the input file/));
  it("the input file through ../ and a relative path", () =>
    refused([single, "-o", join(bundle, "notes", "..", "describe.txt")], /is the input file/));
  it("a file inside the bundle folder", () =>
    refused([bundle, "-o", join(bundle, "report.md")], /inside the bundle folder/));
  it("a symlink to the input file", () =>
    refused([single, "-o", join(work, "out", "link-to-input.md")], /is the input file/));
  it("a symlink into the bundle folder", () =>
    refused([bundle, "-o", join(work, "out", "link-to-input.md")], /inside the bundle folder/));
  it("a hard link to the input file", () =>
    refused([single, "-o", join(work, "out", "hardlink.md")], /hard link to the input file/));
  it("a device node", () => refused([single, "-o", "/dev/null"], /is a device/));
  it("a symlink to a device node", () =>
    refused([single, "-o", join(work, "out", "link-to-null.md")], /is a device \(through a symlink/));
  it("a FIFO", () => refused([single, "-o", join(work, "out", "fifo.md")], /is a FIFO/));
  it("a folder", () => refused([single, "-o", join(work, "out")], /is a folder/));
  it("a folder that does not exist", () =>
    refused([single, "-o", join(work, "missing", "r.md")], /folder .*missing does not exist/));
  it("a folder that cannot be written", () =>
    refused([single, "-o", "/proc/oom-postmortem-report.md"], /cannot (be written|write)/));

  it("a regular file elsewhere is written, and no temporary file is left", async () => {
    const target = join(work, "out", "report.md");
    const r = await runMeasured([single, "-o", target, "--quiet"]);
    expect(r.status).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(readdirSync(join(work, "out")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    rmSync(target);
  });

  it("SIGTERM while reading stdin: exit 143 and the spooled copy removed", async () => {
    const tmp = join(work, "tmp");
    mkdirSync(tmp);
    const child = spawn(process.execPath, [CLI, "-", "--quiet"], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ["pipe", "ignore", "pipe"],
    });
    child.stdin.write(GOOD_DESCRIBE);
    for (let i = 0; i < 200 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp)).toHaveLength(1);
    child.kill("SIGTERM");
    const status = await new Promise((resolve) => child.on("close", (code) => resolve(code)));
    expect(status).toBe(143);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("a reader that stops reading (`| head`): the run ends quietly with the report's exit code", async () => {
    // ~0.5 MB of JSON, far more than a pipe holds: the write after the reader has gone fails (EPIPE).
    const log = join(work, "triggers.log");
    await writeLines(log, oomTriggerLines(300));
    const child = spawn(process.execPath, [CLI, log, "--format", "json", "--quiet"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const [first] = (await once(child.stdout, "data")) as [Buffer];
    expect(first.toString()).toMatch(/^\{/);
    child.stdout.destroy();
    const [status] = (await once(child, "close")) as [number | null];
    expect(stderr).not.toMatch(OUR_BUG);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  it("a full disk under stdout (/dev/full): exit 2 and one line saying so", () => {
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [CLI, single, "--quiet"], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      });
      expect(r.stderr).not.toMatch(OUR_BUG);
      expect(r.stderr.split("\n")[0]).toBe(
        "oom-postmortem: cannot write the report to stdout: no space left on the device",
      );
      expect(r.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });
});
