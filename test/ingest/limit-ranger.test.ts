/** The LimitRanger admission plugin's annotation, read from describe and pod JSON, and what it says about a container's limit. */
import { describe, expect, it } from "vitest";
import { limitFromLimitRange } from "../../src/correlate/limit.js";
import { kubectlDescribe } from "../../src/ingest/kubectl-describe.js";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { blankPod, type PodFact } from "../../src/model/facts.js";

const DESCRIBE = [
  "Name:             batch-7c9d8e-x1y2z",
  "Namespace:        reports",
  "Priority:         0",
  "Node:             worker-3/10.0.0.3",
  "Labels:           app=batch",
  "Annotations:      cluster-autoscaler.kubernetes.io/safe-to-evict: true",
  "                  kubernetes.io/limit-ranger: LimitRanger plugin set: memory limit for container render; memory request for init container fetch",
  "Status:           Running",
  "Containers:",
  "  render:",
  "    Image:          acme/render:2",
  "    Limits:",
  "      memory:  512Mi",
  "",
].join("\n");

const pod = (text: string | null): PodFact =>
  blankPod(
    { file: "p.txt", line: 1 },
    {
      name: "p",
      namespace: "ns",
      limitRanger: text === null ? null : { text, source: { file: "p.txt", line: 6 } },
    },
  );

describe("kubernetes.io/limit-ranger", () => {
  it("is read from describe, on the Annotations line or under it, with its line", async () => {
    const facts = await kubectlDescribe.parse(sourceFromString("describe.txt", DESCRIBE));
    expect(facts.pods[0]!.limitRanger).toEqual({
      text: "LimitRanger plugin set: memory limit for container render; memory request for init container fetch",
      source: { file: "describe.txt", line: 7 },
    });
    const first = DESCRIBE.replace(
      "Annotations:      cluster-autoscaler.kubernetes.io/safe-to-evict: true\n                  kubernetes.io/",
      "Annotations:      kubernetes.io/",
    );
    expect((await kubectlDescribe.parse(sourceFromString("d.txt", first))).pods[0]!.limitRanger?.source.line).toBe(6);
  });

  it("is read from pod JSON metadata.annotations", async () => {
    const json = JSON.stringify(
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: "p",
          namespace: "ns",
          annotations: { "kubernetes.io/limit-ranger": "LimitRanger plugin set: cpu, memory limit for container app" },
        },
        spec: { containers: [{ name: "app" }] },
      },
      null,
      2,
    );
    const facts = await podJson.parse(sourceFromString("pod.json", json));
    expect(facts.pods[0]!.limitRanger).toMatchObject({
      text: "LimitRanger plugin set: cpu, memory limit for container app",
      source: { file: "pod.json", line: 8 },
    });
  });

  it("names a container's memory limit only when its clause says memory limit for that container", () => {
    const text =
      "LimitRanger plugin set: cpu, memory request for container etl; memory limit for container etl; cpu limit for container sidecar";
    expect(limitFromLimitRange(pod(text), "etl")).toMatchObject({ file: "p.txt", line: 6 });
    expect(limitFromLimitRange(pod(text), "sidecar")).toBeNull();
    expect(limitFromLimitRange(pod("LimitRanger plugin set: memory request for container etl"), "etl")).toBeNull();
    expect(
      limitFromLimitRange(pod("LimitRanger plugin set: memory limit for init container fetch"), "fetch"),
    ).not.toBeNull();
    expect(limitFromLimitRange(pod(null), "etl")).toBeNull();
  });
});
