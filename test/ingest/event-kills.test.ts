/** What event rows say beyond themselves: an NPD OOMKilling row is a kill, an Evicted row an evicted pod. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kubectlGetEvents } from "../../src/ingest/kubectl-get-events.js";
import { withoutEchoedKills } from "../../src/ingest/shared/event-oom.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { runPostmortem } from "../../src/pipeline.js";

const TABLE = [
  "NAMESPACE   LAST SEEN   TYPE      REASON       OBJECT                              MESSAGE",
  "default     3m          Warning   OOMKilling   node/worker-7                       Memory cgroup out of memory: Killed process 88123 (indexer) total-vm:2712204kB, anon-rss:1018312kB, file-rss:9216kB, shmem-rss:0kB, UID:1000 pgtables:2184kB oom_score_adj:999",
  "search      3m          Normal    Killing      pod/indexer-0                       Stopping container indexer",
  "jobs        9m          Warning   Evicted      pod/report-28846080-abcde           The node was low on resource: memory. Container render was using 2210044Ki, which exceeds its request of 256Mi. Container sidecar was using 12000Ki, which exceeds its request of 8Mi.",
  "",
].join("\n");

describe("kubectl get events rows that carry a kill or an eviction", () => {
  it("an OOMKilling row is a memcg kill with the victim's pid, process and anon-rss, on the event's node", async () => {
    const facts = await kubectlGetEvents.parse(sourceFromString("events.txt", TABLE));
    expect(facts.ooms).toHaveLength(1);
    const [o] = facts.ooms;
    expect(o).toMatchObject({
      origin: "kube-event",
      host: "worker-7",
      global: false,
      source: { file: "events.txt", line: 2 },
    });
    expect(o!.victims[0]).toMatchObject({
      pid: 88123,
      process: "indexer",
      scope: "memcg",
      anonRssBytes: 1018312 * 1024,
    });
  });

  it("a global `Out of memory:` row is left to the node-level OOM reading (no memcg kill made of it)", async () => {
    const global = TABLE.replace(
      "Memory cgroup out of memory: Killed process 88123",
      "Out of memory: Killed process 88123",
    );
    expect((await kubectlGetEvents.parse(sourceFromString("events.txt", global))).ooms).toEqual([]);
  });

  it("an Evicted row makes the pod known as evicted, with the containers its message names", async () => {
    const facts = await kubectlGetEvents.parse(sourceFromString("events.txt", TABLE));
    expect(facts.pods).toHaveLength(1);
    expect(facts.pods[0]).toMatchObject({
      name: "report-28846080-abcde",
      namespace: "jobs",
      phase: "Failed",
      reason: "Evicted",
    });
    expect(facts.pods[0]!.containers.map((c) => c.name)).toEqual(["render", "sidecar"]);
  });

  it("a kill the kernel log also reports is kept once, from the kernel log", async () => {
    const facts = await kubectlGetEvents.parse(sourceFromString("events.txt", TABLE));
    const kernel = { ...facts.ooms[0]!, origin: undefined, source: { file: "dmesg.txt", line: 40 } };
    expect(withoutEchoedKills([...facts.ooms, kernel])).toEqual([kernel]);
    expect(withoutEchoedKills(facts.ooms)).toEqual(facts.ooms);
  });

  it("in a bundle: the kill with its pid, and the eviction of each container as node-overcommit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "events-"));
    writeFileSync(join(dir, "events.txt"), TABLE);
    const report = await runPostmortem({ bundlePath: dir });
    expect(report.incidents.map((i) => i.event).sort()).toEqual(["container-oom-kill", "eviction", "eviction"]);
    expect(report.incidents.find((i) => i.event === "container-oom-kill")!.kills[0]!.pid).toBe(88123);
    const evicted = report.incidents
      .filter((i) => i.event === "eviction")
      .map((i) => [i.subject.pod, i.subject.container, i.verdict.cause]);
    expect(evicted.sort()).toEqual([
      ["report-28846080-abcde", "render", "node-overcommit"],
      ["report-28846080-abcde", "sidecar", "node-overcommit"],
    ]);
  });
});
