/**
 * A cause needs evidence of its shape (issue 7): a long first run before an OOM kill is one data
 * point, so burst-allocation stays undetermined and names the series that would decide it; the
 * same kill with a usage series that is flat and comfortable up to the kill supports it.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const tmp = mkdtempSync(join(tmpdir(), "oom-burst-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function incidents(dir: string): Incident[] {
  const r = runCli([dir, "--format", "json", "--quiet"]);
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as Report).incidents;
}

const burstOf = (i: Incident) => i.hypotheses.find((h) => h.cause === "burst-allocation")!;

describe("burst-allocation needs the shape of a spike", () => {
  it("the same kill without its usage series: burst undetermined, the series named as what decides it", () => {
    const withSeries = join(REPO, "samples/burst-shorter-than-scrape");
    const bare = join(tmp, "no-series");
    cpSync(withSeries, bare, { recursive: true, filter: (src) => !/\.csv$|expected\.md$|README\.md$/.test(src) });

    const [full] = incidents(withSeries);
    expect(burstOf(full!).status).toBe("supported");
    expect(full!.verdict.cause).toBe("burst-allocation");

    const [i] = incidents(bare);
    expect(i!.event).toBe("container-oom-kill");
    const h = burstOf(i!);
    expect(h.status).toBe("undetermined");
    expect(h.reason).toMatch(/ran 3 d .*before this first OOM kill/);
    expect(h.missing.join("; ")).toMatch(/memory usage over the killed run/);
    expect(i!.verdict.cause).not.toBe("burst-allocation");
  });

  it("two bare termination records after long runs claim no cause and still report both kills", () => {
    const dir = join(tmp, "fragments");
    mkdirSync(dir);
    const rec = (cid: string, start: string, end: string) =>
      JSON.stringify(
        {
          containerID: `cri-o://${cid.repeat(64 / cid.length)}`,
          exitCode: 137,
          finishedAt: end,
          reason: "OOMKilled",
          startedAt: start,
        },
        null,
        2,
      );
    writeFileSync(
      join(dir, "terminated.json"),
      `${rec("ab12", "2026-03-04T01:00:00Z", "2026-03-04T09:30:00Z")}\n${rec("cd34", "2026-03-04T01:00:05Z", "2026-03-04T04:10:00Z")}\n`,
    );
    const all = incidents(dir);
    expect(all).toHaveLength(2);
    for (const i of all) {
      expect(i.event).toBe("container-oom-kill");
      expect(i.verdict.cause).toBe("undetermined");
      expect(burstOf(i).status).not.toBe("supported");
    }
  });
});
