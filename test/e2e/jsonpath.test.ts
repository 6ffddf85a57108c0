/**
 * One pod field saved alone, end to end: `OOMKilled` under the `kubectl get pod … -o jsonpath=…`
 * line that printed it is that container's OOM kill; a file `status.message.txt` holding the
 * kubelet's eviction message is an eviction with its figures; a bare `OOMKilled` is not read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonReport, REPO, runCli } from "./cli.js";

const fixture = (name: string) => join(REPO, "test/fixtures/kubectl-jsonpath", name);

describe("a pod field saved alone", () => {
  it("OOMKilled under its jsonpath command: a container OOM kill of the pod and container the command names", () => {
    const r = jsonReport(fixture("jsonpath-last-reason-by-name.txt"));
    expect(r.incidents.map((i) => [i.event, i.subject.namespace, i.subject.pod, i.subject.container])).toEqual([
      ["container-oom-kill", "shop", "api-7d9f8b6c5-x2x9q", "api"],
    ]);
    expect(r.incidents[0]!.verdict.cause).toBe("undetermined");
  });

  it("status.message.txt: an eviction for memory, node-overcommit, with the message's figures", () => {
    const [i, ...rest] = jsonReport(fixture("status.message.txt")).incidents;
    expect(rest).toEqual([]);
    expect(i).toMatchObject({
      event: "eviction",
      verdict: { cause: "node-overcommit", confidence: "high" },
      subject: { container: "app" },
    });
    expect(i!.verdict.summary).toMatch(/app was using 46\.2 GiB \(48458972Ki\) against a request of 15 GiB/);
  });

  it("a bare OOMKilled in a file whose name says nothing is not read (exit 3, listed as not recognised)", () => {
    const dir = mkdtempSync(join(tmpdir(), "jsonpath-"));
    writeFileSync(join(dir, "notes.txt"), "OOMKilled\n");
    const r = runCli([dir, "--format", "json", "--quiet"]);
    expect(r.status).toBe(3);
  });
});
