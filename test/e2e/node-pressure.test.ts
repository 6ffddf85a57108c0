/**
 * Node memory pressure as evidence of its own (issue 7): `describe node`'s `MemoryPressure True`
 * condition, `NodeHasInsufficientMemory` and `EvictionThresholdMet` events (here from `kubectl get
 * events -o json`) dated at the kill make a 137 that no other sender explains a node-oom-kill, cited
 * by file:line; an OOMKilled container with no memory limit of its own is a node-level OOM whatever
 * the QoS class; pressure dated away from the kill is not cited; a container with a limit of its own,
 * or a kill failed probes explain, keeps its event with the pressure weighed, not claimed.
 * Bundles in test/fixtures/bundles/node-pressure-*.
 */
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/model/incident.js";
import { fixtureBundle, onlyIncident, runCli } from "./cli.js";

const cites = (i: Incident) => i.verdict.evidence.map((e) => `${e.file}:${e.line}`);
const hypothesis = (i: Incident, cause: string) => i.hypotheses.find((h) => h.cause === cause)!;

describe("node memory pressure without a kernel log", () => {
  it("exit 137 (reason Error) while describe node's MemoryPressure condition is True: node-oom-kill, medium, citing the condition row", () => {
    const i = onlyIncident("node-pressure-exit-137");
    expect(i.event).toBe("node-oom-kill");
    expect(i.verdict).toMatchObject({ cause: "node-overcommit", confidence: "medium" });
    expect(i.verdict.summary).toMatch(/MemoryPressure True since 2026-04-14 09:46:11 UTC/);
    expect(cites(i)).toEqual(expect.arrayContaining(["describe-pod.txt:25", "describe-node.txt:12"]));
    expect(i.verdict.summary).toMatch(
      /2 pods have none \(kube-system\/kube-proxy-h7k2m, reports\/pdf-batch-58c7d9f6b-k9l2x\), bounded only by the node/,
    );
    expect(hypothesis(i, "not-oom").status).toBe("rejected");
  });

  it("NodeHasInsufficientMemory and EvictionThresholdMet node events of kubectl get events -o json, dated at the kill, do the same", () => {
    const i = onlyIncident("node-pressure-events-json");
    expect(i.event).toBe("node-oom-kill");
    expect(i.verdict.cause).toBe("node-overcommit");
    expect(i.verdict.summary).toMatch(/NodeHasInsufficientMemory 2026-04-14 09:46:11–09:53:40 UTC/);
    expect(i.verdict.summary).toMatch(/EvictionThresholdMet ×6/);
    expect(cites(i)).toEqual(expect.arrayContaining(["events.json:20", "events.json:43"]));
  });

  it("OOMKilled with a memory request and no limit (Burstable) is a node-level OOM; pressure that began after the kill is not cited", () => {
    const i = onlyIncident("node-pressure-no-limit-oomkilled");
    expect(i.event).toBe("node-oom-kill");
    expect(i.verdict.cause).toBe("node-overcommit");
    expect(i.verdict.summary).toMatch(/indexer has a memory request \(1 GiB\) and no memory limit/);
    expect(i.verdict.summary).toMatch(/none of its pods has a memory limit/);
    expect(cites(i)).not.toContain("describe-node.txt:12");
    const md = runCli([fixtureBundle("node-pressure-no-limit-oomkilled"), "--quiet"]).stdout;
    expect(md).not.toMatch(/at its own memory limit/i);
    expect(md).toMatch(/indexer terminated: OOMKilled, exit code 137/);
  });

  it("a container with a limit of its own, OOMKilled under pressure: container-oom-kill, the pressure weighed as undecided, cited", () => {
    const i = onlyIncident("node-pressure-own-limit");
    expect(i.event).toBe("container-oom-kill");
    const h = hypothesis(i, "node-overcommit");
    expect(h.status).toBe("undetermined");
    expect(h.reason).toMatch(
      /3 GiB limit of its own: a kill at the node's level and one at the container's limit both show as OOMKilled/,
    );
    expect(h.evidence.map((e) => `${e.file}:${e.line}`)).toEqual(["describe-node.txt:12"]);
  });

  it("failed liveness probes explain the 137: the pressure does not turn it into a node OOM", () => {
    const i = onlyIncident("node-pressure-probe-kill");
    expect(i.event).toBe("sigkill");
    expect(i.verdict.cause).toBe("not-oom");
    expect(hypothesis(i, "node-overcommit").status).toBe("undetermined");
  });
});
