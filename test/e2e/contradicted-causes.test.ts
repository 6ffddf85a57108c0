/**
 * One primary cause, and causes the evidence contradicts rejected with the reason (issue 7):
 * two `pmap -x` snapshots 20 min apart in which the killed process's resident memory climbs rule
 * out a sudden spike (burst-allocation) and a flat working set under the limit (limit-too-low),
 * each citing the pmap lines, and support a leak; a first OOM after a long run, known only from the
 * kubelet's record, rules nothing out. Advice for a container a mutating webhook injected says
 * where its limit really lives: the injector's annotation on the workload's pod template.
 * Bundles: test/fixtures/bundles/growth-contradicts-burst, sidecar-istio-envoy-oom, join-sidecar.
 */
import { rmSync, mkdtempSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Incident } from "../../src/model/incident.js";
import { fixtureBundle, jsonReport, onlyIncident } from "./cli.js";

const hypothesis = (i: Incident, cause: string) => i.hypotheses.find((h) => h.cause === cause)!;
const cites = (ev: { file: string; line?: number }[]) => ev.map((e) => `${e.file}:${e.line}`);

describe("growth over minutes contradicts a burst and a plateau", () => {
  const i = onlyIncident("growth-contradicts-burst");

  it("rejects burst-allocation and limit-too-low with the pmap growth as the reason, citing both snapshots", () => {
    for (const cause of ["burst-allocation", "limit-too-low"]) {
      const h = hypothesis(i, cause);
      expect(h.status, cause).toBe("rejected");
      expect(h.reason, cause).toMatch(
        /^pmap of pid 1 \(python3\.11\): resident memory grew 287\.1 MiB in 20 min 1 s between the snapshots \(14\.3 MiB\/min\)/,
      );
      expect(cites(h.evidence), cause).toEqual(expect.arrayContaining(["pmap-1-1300.txt:2", "pmap-1-1320.txt:2"]));
    }
    expect(hypothesis(i, "burst-allocation").reason).toMatch(/not in a sudden spike from a comfortable level/);
    expect(hypothesis(i, "limit-too-low").reason).toMatch(/a larger limit only delays the next kill/);
  });

  it("the climb is the primary cause, a leak of medium confidence (two snapshots cannot show it repeats), in the [ heap ] so not native memory", () => {
    expect(i.verdict).toMatchObject({ cause: "memory-leak", confidence: "medium" });
    expect(hypothesis(i, "native-memory").status).toBe("rejected");
    expect(i.verdict.alternatives ?? []).toEqual([]);
  });

  describe("without the pmap snapshots", () => {
    const tmp = mkdtempSync(join(tmpdir(), "oom-contradicted-"));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    for (const f of ["describe.txt", "dmesg-T.txt"])
      cpSync(join(fixtureBundle("growth-contradicts-burst"), f), join(tmp, f));
    const [bare] = jsonReport(tmp).incidents;

    it("the 3 h 29 min first run rules out neither limit-too-low nor a burst: one run's length is one data point", () => {
      for (const cause of ["burst-allocation", "limit-too-low"])
        expect(hypothesis(bare!, cause).status, cause).toBe("undetermined");
      expect(hypothesis(bare!, "limit-too-low").reason).toMatch(
        /ran 3 h 29 min under the 1 GiB limit before its first OOM kill: .*one run's length cannot tell/,
      );
    });
  });
});

describe("a sidecar a webhook injected is sized where its limit lives", () => {
  it("istio-proxy: the sidecar.istio.io/proxyMemoryLimit annotation on the Deployment's pod template, not kubectl set resources -c istio-proxy", () => {
    const i = onlyIncident("sidecar-istio-envoy-oom");
    expect(i.subject).toMatchObject({ pod: "checkout-5f6d7c8b9a-h2k4m", container: "istio-proxy" });
    expect(i.kills[0]).toMatchObject({ pid: 30417, process: "envoy", limitBytes: 256 * 2 ** 20 });
    const raise = i.actions.find((a) => a.command?.includes("patch"))!;
    expect(raise.detail).toMatch(
      /istio-proxy is injected by Istio, not part of the pod template: its memory comes from the `sidecar\.istio\.io\/proxyMemoryLimit` annotation/,
    );
    expect(raise.command).toBe(
      `kubectl -n shop patch deployment/checkout -p '{"spec":{"template":{"metadata":{"annotations":{"sidecar.istio.io/proxyMemoryLimit":"512Mi"}}}}}'`,
    );
    const commands = i.actions.map((a) => a.command ?? "").join("\n");
    expect(commands).not.toMatch(/set resources .*-c istio-proxy/);
    // The patch is valid JSON whose only change is the annotation.
    expect(JSON.parse(/-p '(.*)'$/.exec(raise.command!)![1]!)).toEqual({
      spec: { template: { metadata: { annotations: { "sidecar.istio.io/proxyMemoryLimit": "512Mi" } } } },
    });
  });

  it("linkerd-proxy: the config.linkerd.io/proxy-memory-limit annotation", () => {
    const i = onlyIncident("join-sidecar");
    expect(i.subject.container).toBe("linkerd-proxy");
    const raise = i.actions.find((a) => a.command?.includes("patch"))!;
    expect(raise.detail).toMatch(
      /linkerd-proxy is injected by Linkerd, not part of the pod template: its memory comes from the `config\.linkerd\.io\/proxy-memory-limit` annotation/,
    );
    expect(JSON.parse(/-p '(.*)'$/.exec(raise.command!)![1]!)).toEqual({
      spec: { template: { metadata: { annotations: { "config.linkerd.io/proxy-memory-limit": "512Mi" } } } },
    });
    expect(raise.command).toMatch(/^kubectl -n pay patch deployment\/payments -p /);
  });
});
