/**
 * Issue 10, a PodList past the quiet-pod budget (`MAX_QUIET_PODS`), read in a stream: every
 * pod that shows trouble is kept wherever it sits in the list, the quiet ones past the budget
 * are counted in one warning (never dropped silently), and what is kept cites its own lines.
 * Memory is measured by the bench (`node bench/run.mjs --only podlist`), not here.
 */
import { describe, expect, it } from "vitest";
import { MAX_QUIET_PODS, podJson } from "../../src/ingest/pod-json.js";
import { sourceFromString } from "../../src/ingest/source.js";

/** Pods in the list: more than the budget, and more than 4 MiB so the list is streamed. */
const PODS = MAX_QUIET_PODS + 5_000;

/** Every `OOM_EVERY`-th pod was OOM-killed (restarted, last state terminated): 150 of them, spread over the whole list. */
const OOM_EVERY = 100;

/** One item as `kubectl get pods -A -o json` indents it; OOM-killed when `i % OOM_EVERY === 0`. */
function pod(i: number): string {
  const killed = i % OOM_EVERY === 0;
  const status = {
    containerStatuses: [
      {
        containerID: `containerd://${i.toString(16).padStart(64, "0")}`,
        image: "registry.example.com/shop/api:1.42.0",
        lastState: killed
          ? {
              terminated: {
                exitCode: 137,
                reason: "OOMKilled",
                startedAt: "2024-03-07T08:02:11Z",
                finishedAt: "2024-03-07T09:14:02Z",
              },
            }
          : {},
        name: "api",
        restartCount: killed ? 1 : 0,
        state: { running: { startedAt: "2024-03-07T09:14:03Z" } },
      },
    ],
    phase: "Running",
    qosClass: "Burstable",
  };
  const item = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `api-${i}`,
      namespace: "shop",
      uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
    },
    spec: {
      containers: [
        {
          env: [{ name: "JAVA_TOOL_OPTIONS", value: "-XX:MaxRAMPercentage=75" }],
          image: "registry.example.com/shop/api:1.42.0",
          name: "api",
          resources: { limits: { memory: "512Mi" }, requests: { memory: "256Mi" } },
        },
      ],
      nodeName: `node-${i % 7}`,
    },
    status,
  };
  return JSON.stringify(item, null, 4).replace(/^/gm, "        ");
}

function podList(): string {
  const items = Array.from({ length: PODS }, (_, i) => pod(i)).join(",\n");
  return `{\n    "apiVersion": "v1",\n    "items": [\n${items}\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n`;
}

describe("hostile: a PodList past the quiet-pod budget", () => {
  it(`keeps every OOM-killed pod and ${MAX_QUIET_PODS} quiet ones, counts the rest in one warning, each at its own lines`, async () => {
    const text = podList();
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    const facts = await podJson.parse(sourceFromString("pods.json", text));

    const killed = facts.pods.filter((p) => p.containers[0]?.lastState?.reason === "OOMKilled");
    expect(killed.map((p) => p.name)).toEqual(
      Array.from({ length: PODS / OOM_EVERY }, (_, k) => `api-${k * OOM_EVERY}`),
    );
    expect(facts.pods.length - killed.length).toBe(MAX_QUIET_PODS);
    const quietInList = PODS - PODS / OOM_EVERY;
    expect(facts.diagnostics.map((d) => [d.code, d.message.split(" — ")[0]])).toEqual([
      ["pod-json/pod-budget", `${quietInList - MAX_QUIET_PODS} pods without restarts or terminations not kept`],
    ]);

    const lines = text.split("\n");
    for (const p of facts.pods) {
      expect(lines[p.source.line! - 1]).toBe(`                "name": "${p.name}",`);
      expect(lines[p.source.endLine! - 1]).toMatch(/^ {8}\},?$/);
      const c = p.containers[0]!;
      expect(lines[c.limitSource!.line! - 1]).toContain('"memory": "512Mi"');
      expect(lines[c.env[0]!.source.line! - 1]).toContain('"name": "JAVA_TOOL_OPTIONS"');
      expect(c.env[0]!.value).toBe("-XX:MaxRAMPercentage=75");
      if (c.lastState) expect(lines[c.lastState.source.line! - 1]).toContain('"terminated": {');
    }
  });
});
