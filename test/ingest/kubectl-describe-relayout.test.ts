import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { kubectlDescribe } from "../../src/ingest/kubectl-describe.js";
import { DescribeRelayout } from "../../src/ingest/kubectl-describe/relayout.js";
import { sourceFromString } from "../../src/ingest/source.js";

const CLEAN = readFileSync(new URL("../../samples/batch-load-512mi/describe-pod.txt", import.meta.url), "utf8");
const parse = (text: string) => kubectlDescribe.parse(sourceFromString("d.txt", text));
const relayout = (text: string) => {
  const r = new DescribeRelayout();
  return text.split("\n").flatMap((l) => r.feed(l));
};

/** What a verdict rests on: the container's name, last state, limit and restarts. */
async function essentials(text: string) {
  const facts = await parse(text);
  return facts.pods.map((p) => ({
    pod: p.name,
    ns: p.namespace,
    containers: p.containers.map((c) => ({
      name: c.name,
      last: [c.lastState?.kind, c.lastState?.reason, c.lastState?.exitCode, c.lastState?.finishedAtMs],
      limit: c.limitBytes,
      restarts: c.restartCount,
    })),
  }));
}

describe("kubectl-describe read by field names when its layout was lost", () => {
  it.each([
    ["indentation removed and spacing collapsed", (t: string) => t.replace(/^[ \t]+/gm, "").replace(/[ \t]+/g, " ")],
    ["every run of blanks, indentation included, made one space", (t: string) => t.replace(/[ \t]+/g, " ")],
    [
      "re-indented by a fixed 4 and collapsed",
      (t: string) =>
        t
          .split("\n")
          .map((l) => `    ${l.trim().replace(/\s+/g, " ")}`)
          .join("\n"),
    ],
  ])("%s: the same container facts as the clean capture", async (_what, mangle) => {
    expect(await essentials(mangle(CLEAN))).toEqual(await essentials(CLEAN));
  });

  it("splits a state written on one line, and line numbers stay the file's", async () => {
    const text =
      "Containers:\n  app:\n    Last State: Terminated Reason: Error Exit Code: 137 Started: Mon, 28 Sep 2026 08:14:41 +0000 Finished: Fri, 02 Oct 2026 14:26:39 +0000\n    Restart Count: 4\n    Limits: cpu: 1 memory: 1Gi\n";
    const facts = await parse(text);
    const c = facts.pods[0]!.containers[0]!;
    expect(c.lastState).toMatchObject({
      kind: "terminated",
      reason: "Error",
      exitCode: 137,
      finishedAtMs: Date.parse("2026-10-02T14:26:39Z"),
    });
    expect(c.lastState?.source.line).toBe(3);
    expect(c.limitBytes).toBe(1024 ** 3);
    expect(c.restartCount).toBe(4);
    expect(relayout("    Last State: Terminated Reason: OOMKilled Exit Code: 137")).toEqual([
      "    Last State: Terminated",
      "      Reason: OOMKilled",
      "      Exit Code: 137",
    ]);
  });

  it("reads the pod's Status / Reason / Message block on one line or three, keeping the message whole", async () => {
    const message =
      "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. Container web was using 48458972Ki, request is 15Gi, has larger consumption of memory.";
    for (const text of [
      `Name: web-0\nNamespace: shop\nStatus: Failed Reason: Evicted Message: ${message}\n`,
      `Name: web-0\nNamespace: shop\nStatus: Failed\nReason: Evicted\nMessage: ${message}\n`,
    ]) {
      const pod = (await parse(text)).pods[0]!;
      expect([pod.phase, pod.reason, pod.message]).toEqual(["Failed", "Evicted", message]);
    }
  });

  it("leaves an intact describe line for line as it is", () => {
    const lines = CLEAN.split("\n");
    expect(relayout(CLEAN)).toEqual(lines);
  });
});
