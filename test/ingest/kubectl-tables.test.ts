import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { kubectlGetEvents } from "../../src/ingest/kubectl-get-events.js";
import { kubectlGetPods } from "../../src/ingest/kubectl-get-pods.js";
import { kubectlTop } from "../../src/ingest/kubectl-top.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { Ingester } from "../../src/ingest/types.js";

const fixture = (kind: string, name: string): string =>
  readFileSync(new URL(`../fixtures/${kind}/${name}`, import.meta.url), "utf8");
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
const read = (ing: Ingester, path: string, text: string) => {
  expect(detectIngester(text.slice(0, 8192), path)?.kind, `${path} detected as ${ing.kind}`).toBe(ing.kind);
  return ing.parse(sourceFromString(path, text));
};
/** The same table with its padding collapsed to single spaces, as chat clients paste it. */
const collapse = (text: string): string =>
  text
    .split("\n")
    .map((l) => l.replace(/ {2,}/g, " "))
    .join("\n");

describe("kubectl-get-pods", () => {
  it("reads -A -o wide: namespace, node, OOMKilled / Init:OOMKilled / Evicted / ContainerStatusUnknown / CrashLoopBackOff, restarts with their age", async () => {
    const text = fixture("kubectl-get-pods", "wide-all-namespaces.txt");
    const facts = await read(kubectlGetPods, "pods.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const byName = Object.fromEntries(facts.pods.map((p) => [p.name, p]));
    expect(facts.pods).toHaveLength(7);
    const oom = byName["invoice-render-5b7c9d8f6-q8v2n"]!;
    expect(oom).toMatchObject({
      namespace: "billing",
      node: "aks-pool1-31415926-vmss000004",
      source: { file: "pods.txt", line: lineOf(text, "q8v2n") },
    });
    expect(oom.containers[0]).toMatchObject({
      name: "",
      init: false,
      restartCount: 6,
      state: { kind: "terminated", reason: "OOMKilled", exitCode: null },
    });
    expect(byName["ledger-migrate-7xk2p"]!.containers[0]).toMatchObject({
      init: true,
      restartCount: 2,
      state: { kind: "terminated", reason: "OOMKilled" },
    });
    expect(byName["pdf-export-6d8f7c9b4-mm3lq"]).toMatchObject({
      reason: "Evicted",
      phase: "Failed",
      node: "aks-pool1-31415926-vmss000002",
    });
    expect(byName["pdf-export-6d8f7c9b4-t6wq2"]!.containers[0]!.state).toMatchObject({
      kind: "terminated",
      reason: "ContainerStatusUnknown",
    });
    expect(byName["indexer-0"]!.containers[0]).toMatchObject({
      restartCount: 11,
      state: { kind: "waiting", reason: "CrashLoopBackOff" },
    });
    expect(byName["invoice-render-5b7c9d8f6-zz9k1"]!.containers).toEqual([]);
    expect(byName["coredns-76f75df574-8fh2d"]!.containers[0]!.restartCount).toBe(1);
  });

  it("reads a table whose padding was collapsed to single spaces the same way", async () => {
    const text = fixture("kubectl-get-pods", "wide-all-namespaces.txt");
    const [a, b] = await Promise.all([
      read(kubectlGetPods, "a.txt", text),
      read(kubectlGetPods, "b.txt", collapse(text)),
    ]);
    expect(b.diagnostics).toEqual([]);
    expect(
      b.pods.map((p) => [
        p.name,
        p.namespace,
        p.node,
        p.reason,
        p.containers[0]?.state?.reason ?? null,
        p.containers[0]?.restartCount ?? null,
      ]),
    ).toEqual(
      a.pods.map((p) => [
        p.name,
        p.namespace,
        p.node,
        p.reason,
        p.containers[0]?.state?.reason ?? null,
        p.containers[0]?.restartCount ?? null,
      ]),
    );
  });

  it("reads a default table pasted from chat, Error as a terminated state", async () => {
    const facts = await read(kubectlGetPods, "chat.txt", fixture("kubectl-get-pods", "collapsed-from-chat.txt"));
    expect(facts.pods.map((p) => [p.name, p.containers[0]?.state?.reason, p.containers[0]?.restartCount])).toEqual([
      ["thumbnailer-86b7d4c5f9-2lq7w", "OOMKilled", 3],
      ["thumbnailer-86b7d4c5f9-x7n4c", undefined, undefined],
      ["scheduler-6f5d4c3b2a-9kkpl", "Error", 1],
    ]);
  });

  it("takes the namespace from a pasted -n command and warns about a row it cannot read", async () => {
    const text =
      "$ kubectl get po -n edge\nNAME READY STATUS RESTARTS AGE\ngw-1 0/1 OOMKilled 2 5m\nthis is not a row\n";
    const facts = await kubectlGetPods.parse(sourceFromString("p.txt", text));
    expect(facts.pods[0]).toMatchObject({ name: "gw-1", namespace: "edge" });
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([["kubectl-get-pods/bad-row", 4]]);
  });
});

describe("kubectl-get-events", () => {
  it("reads -o wide: repeated counts, a SOURCE with the host, an empty SUBOBJECT, the node's NPD OOMKilling message whole", async () => {
    const text = fixture("kubectl-get-events", "wide-repeated.txt");
    const facts = await read(kubectlGetEvents, "events.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const [backoff, oom] = facts.events;
    expect(backoff).toMatchObject({
      type: "Warning",
      reason: "BackOff",
      count: 7,
      ageText: "2m10s (x7 over 41m)",
      involved: { kind: "Pod", name: "invoice-render-5b7c9d8f6-q8v2n" },
    });
    expect(oom).toMatchObject({
      reason: "OOMKilling",
      count: 1,
      involved: { kind: "Node", name: "aks-pool1-31415926-vmss000004", namespace: null },
      source: { line: lineOf(text, "OOMKilling") },
    });
    expect(oom!.message).toMatch(/^Memory cgroup out of memory: Killed process 118230 \(node\) .* oom_score_adj:999$/);
    const collapsed = await kubectlGetEvents.parse(sourceFromString("c.txt", collapse(text)));
    expect(collapsed.events.map((e) => [e.reason, e.count, e.involved?.name, e.message])).toEqual(
      facts.events.map((e) => [e.reason, e.count, e.involved?.name, e.message]),
    );
  });

  it("reads the default table behind a prompt, with the namespace of -n", async () => {
    const text = fixture("kubectl-get-events", "namespace-default.txt");
    const facts = await read(kubectlGetEvents, "ev.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.events.map((e) => [e.reason, e.involved?.kind, e.involved?.namespace])).toEqual([
      ["Evicted", "Pod", "reports"],
      ["Killing", "Pod", "reports"],
      ["SuccessfulCreate", "ReplicaSet", "reports"],
    ]);
    expect(facts.events[0]!.message).toContain("Container pdf-export was using 6120344Ki, request is 2Gi");
  });
});

describe("kubectl-top", () => {
  it("reads top pod --containers -A: one reading per container, memory in bytes, CPU in millicores", async () => {
    const text = fixture("kubectl-top", "pods-containers-all-namespaces.txt");
    const facts = await read(kubectlTop, "top.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.topReadings[0]).toMatchObject({
      scope: "container",
      namespace: "billing",
      pod: "invoice-render-5b7c9d8f6-zz9k1",
      container: "invoice-render",
      cpuMillicores: 812,
      memoryBytes: 3891 * 2 ** 20,
    });
    expect(facts.topReadings[0]!.source).toEqual({ file: "top.txt", line: lineOf(text, "812m") });
    expect(facts.topReadings).toHaveLength(3);
  });

  it("reads top node with the CPU(%)/MEMORY(%) header of newer kubectl", async () => {
    const facts = await read(kubectlTop, "nodes.txt", fixture("kubectl-top", "nodes-new-header.txt"));
    expect(facts.topReadings.map((r) => [r.scope, r.node, r.memoryBytes, r.memoryPercent, r.cpuMillicores])).toEqual([
      ["node", "aks-pool1-31415926-vmss000002", 14932 * 2 ** 20, 96, 3121],
      ["node", "aks-pool1-31415926-vmss000003", 6102 * 2 ** 20, 39, 402],
    ]);
  });

  it("reads a top pod table without --containers as pod readings", async () => {
    const facts = await kubectlTop.parse(
      sourceFromString(
        "t.txt",
        "NAME                     CPU(cores)   MEMORY(bytes)\napi-5d4c3b2a1f-qq8wz     15m          402Mi\n",
      ),
    );
    expect(facts.topReadings[0]).toMatchObject({
      scope: "pod",
      pod: "api-5d4c3b2a1f-qq8wz",
      container: null,
      memoryBytes: 402 * 2 ** 20,
    });
  });
});
