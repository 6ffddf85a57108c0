/**
 * A kill found in `kubectl get events` text (node-problem-detector's `OOMKilling`, the kernel's
 * `Killed process N (name)` in its message) joins the pod whose process it names when that pod is
 * known only from the same events (issue 7): by process, node (`Scheduled`) and the container's
 * restart at the kill's age, with the basis stated; two pods that fit equally, a pod on another
 * node, or a process name alone join nothing, and the report says why. The same from `kubectl get
 * events -o json` (an EventList), alone or beside the pod's describe.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import { REPO, runCli } from "./cli.js";

const tmp = mkdtempSync(join(tmpdir(), "oom-event-join-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER = "NAMESPACE   LAST SEEN   TYPE      REASON       OBJECT                                  MESSAGE";
const NODE = "aks-pool1-31415926-vmss000004";
const npd = (age: string, node: string, pid: number, process: string) =>
  `default     ${age}         Warning   OOMKilling   node/${node}      Memory cgroup out of memory: Killed process ${pid} (${process}) total-vm:2204004kB, anon-rss:1040212kB, file-rss:3100kB, shmem-rss:0kB, UID:1000 pgtables:2300kB oom_score_adj:936`;
const podEvent = (ns: string, age: string, reason: string, pod: string, message: string) =>
  `${ns}   ${age}   Normal    ${reason}   pod/${pod}   ${message}`;

function report(name: string, lines: string[]): Incident[] {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "events.txt"), [HEADER, ...lines].join("\n") + "\n");
  const r = runCli([dir, "--format", "json", "--quiet"]);
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as Report).incidents;
}

const thumbs = (age: string, node: string | null) => [
  ...(node
    ? [
        podEvent(
          "media",
          "3h",
          "Scheduled",
          "thumbs-7f9d8c-kq2zp",
          `Successfully assigned media/thumbs-7f9d8c-kq2zp to ${node}`,
        ),
      ]
    : []),
  podEvent(
    "media",
    age,
    "Pulled",
    "thumbs-7f9d8c-kq2zp",
    'Container image "registry.example/media/thumbnailer:4.2" already present on machine',
  ),
  podEvent("media", age, "Created", "thumbs-7f9d8c-kq2zp", "Created container thumbnailer"),
  podEvent("media", age, "Started", "thumbs-7f9d8c-kq2zp", "Started container thumbnailer"),
];

describe("a kill carried by events joins the pod its events name", () => {
  it("one pod on the kill's node whose container restarted at the kill's age: joined, basis stated", () => {
    const incidents = report("one-fit", [npd("6m12s", NODE, 88123, "thumbnailer"), ...thumbs("6m10s", NODE)]);
    expect(incidents).toHaveLength(1);
    const i = incidents[0]!;
    expect(i.subject).toMatchObject({
      namespace: "media",
      pod: "thumbs-7f9d8c-kq2zp",
      container: "thumbnailer",
      node: NODE,
    });
    expect(i.event).toBe("container-oom-kill");
    expect(i.kills[0]).toMatchObject({ pid: 88123, process: "thumbnailer" });
    const kinds = i.kills[0]!.join!.basis.map((b) => b.kind).sort();
    expect(kinds).toEqual(["node", "process", "time"]);
    expect(i.kills[0]!.join!.summary).toMatch(/process thumbnailer .*node aks-pool1/);
    expect(i.notes.join("\n")).toMatch(/joined to this container by .*process thumbnailer/);
  });

  it("the pod was scheduled to another node: not joined, the kill stays the node's", () => {
    const incidents = report("other-node", [
      npd("6m", NODE, 88123, "thumbnailer"),
      ...thumbs("6m", "aks-pool1-31415926-vmss000009"),
    ]);
    const kill = incidents.find((i) => i.kills.some((k) => k.pid === 88123))!;
    expect(kill.subject.pod).toBeNull();
    expect(kill.subject.node).toBe(NODE);
  });

  it("a process name alone (no node, restart hours away from the kill) joins nothing", () => {
    const incidents = report("name-only", [npd("6m", NODE, 88123, "thumbnailer"), ...thumbs("3h", null)]);
    const kill = incidents.find((i) => i.kills.some((k) => k.pid === 88123))!;
    expect(kill.subject.pod).toBeNull();
  });

  it("two pods that fit equally: neither is joined, and the note names both", () => {
    const other = thumbs("6m", NODE).map((l) => l.replaceAll("thumbs-7f9d8c-kq2zp", "thumbs-7f9d8c-w8x4n"));
    const incidents = report("two-fit", [npd("6m", NODE, 88123, "thumbnailer"), ...thumbs("6m", NODE), ...other]);
    const kill = incidents.find((i) => i.kills.some((k) => k.pid === 88123))!;
    expect(kill.subject.pod).toBeNull();
    expect(kill.notes.join("\n")).toMatch(
      /fits several containers .*thumbs-7f9d8c-kq2zp\/thumbnailer.*thumbs-7f9d8c-w8x4n\/thumbnailer/,
    );
  });
});

/** One core/v1 Event of `kubectl get events -o json`. */
function jsonEvent(
  kind: "Node" | "Pod",
  name: string,
  reason: string,
  message: string,
  first: string,
  last = first,
  count = 1,
) {
  const pod = kind === "Pod";
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${reason.toLowerCase()}`, namespace: pod ? "media" : "default" },
    involvedObject: {
      kind,
      name,
      ...(pod
        ? { namespace: "media", uid: "5b1c2d3e-4f50-4a61-9b72-c8d9e0f1a2b3", fieldPath: "spec.containers{thumbnailer}" }
        : { uid: name }),
    },
    reason,
    message,
    source: { component: pod ? "kubelet" : "kernel-monitor", host: NODE },
    firstTimestamp: first,
    lastTimestamp: last,
    count,
    type: reason === "OOMKilling" || reason === "Evicted" ? "Warning" : "Normal",
  };
}

function jsonBundle(name: string, items: unknown[], extra: Record<string, string> = {}): Incident[] {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "events.json"),
    JSON.stringify({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items }, null, 4) + "\n",
  );
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  const r = runCli([dir, "--format", "json", "--quiet"]);
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as Report).incidents;
}

const OOM_KILLING = jsonEvent(
  "Node",
  NODE,
  "OOMKilling",
  "Memory cgroup out of memory: Killed process 88123 (thumbnailer) total-vm:2204004kB, anon-rss:1040212kB, file-rss:3100kB, shmem-rss:0kB, UID:1000 pgtables:2300kB oom_score_adj:936",
  "2026-05-04T10:21:07Z",
);

describe("kills in kubectl get events -o json join the pod like the table's", () => {
  it("an EventList alone: the OOMKilling kill joins the pod its Scheduled/Created/Started events name, by process, node and the restart's absolute time", () => {
    const incidents = jsonBundle("json-one-fit", [
      OOM_KILLING,
      jsonEvent(
        "Pod",
        "thumbs-7f9d8c-kq2zp",
        "Scheduled",
        `Successfully assigned media/thumbs-7f9d8c-kq2zp to ${NODE}`,
        "2026-05-04T07:00:00Z",
      ),
      jsonEvent(
        "Pod",
        "thumbs-7f9d8c-kq2zp",
        "Created",
        "Created container thumbnailer",
        "2026-05-04T07:00:02Z",
        "2026-05-04T10:21:09Z",
        2,
      ),
      jsonEvent(
        "Pod",
        "thumbs-7f9d8c-kq2zp",
        "Started",
        "Started container thumbnailer",
        "2026-05-04T07:00:03Z",
        "2026-05-04T10:21:10Z",
        2,
      ),
    ]);
    expect(incidents).toHaveLength(1);
    const i = incidents[0]!;
    expect(i.subject).toMatchObject({
      namespace: "media",
      pod: "thumbs-7f9d8c-kq2zp",
      podUid: "5b1c2d3e-4f50-4a61-9b72-c8d9e0f1a2b3",
      container: "thumbnailer",
      node: NODE,
    });
    expect(i.event).toBe("container-oom-kill");
    expect(i.kills[0]).toMatchObject({
      pid: 88123,
      process: "thumbnailer",
      anonRssBytes: 1040212 * 1024,
      time: "2026-05-04T10:21:07Z",
    });
    expect(i.kills[0]!.join!.basis.map((b) => b.kind).sort()).toEqual(["node", "process", "time"]);
    expect(i.kills[0]!.evidence[0]).toMatchObject({ file: "events.json" });
  });

  it("with the pod's describe: one incident whose kill has the event's pid and the kubelet's OOMKilled", () => {
    const describe = [
      "Name:             thumbs-7f9d8c-kq2zp",
      "Namespace:        media",
      `Node:             ${NODE}/10.240.0.8`,
      "Status:           Running",
      "Containers:",
      "  thumbnailer:",
      "    Container ID:  containerd://9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b",
      "    Image:         registry.example/media/thumbnailer:4.2",
      "    State:          Running",
      "      Started:      Mon, 04 May 2026 10:21:10 +0000",
      "    Last State:     Terminated",
      "      Reason:       OOMKilled",
      "      Exit Code:    137",
      "      Started:      Mon, 04 May 2026 07:00:03 +0000",
      "      Finished:     Mon, 04 May 2026 10:21:08 +0000",
      "    Ready:          True",
      "    Restart Count:  1",
      "    Limits:",
      "      memory:  1Gi",
      "    Requests:",
      "      memory:  512Mi",
      "QoS Class:                   Burstable",
      "Events:                      <none>",
      "",
    ].join("\n");
    const incidents = jsonBundle("json-with-describe", [OOM_KILLING], { "describe-pod.txt": describe });
    expect(incidents).toHaveLength(1);
    const k = incidents[0]!.kills;
    expect(k).toHaveLength(1);
    expect(k[0]).toMatchObject({ pid: 88123, process: "thumbnailer" });
    expect(k[0]!.evidence.map((e) => e.text).join("\n")).toMatch(/OOMKilled, exit code 137/);
    expect(k[0]!.join!.summary).toMatch(/time 10:21:07 ±1 s, process thumbnailer and node aks-pool1/);
  });

  it("an Evicted event beside the pod's own YAML: one incident, for the container the YAML names", () => {
    const pod = readFileSync(join(REPO, "test/fixtures/pod-json/evicted-pod.yaml"), "utf8");
    const event = {
      ...jsonEvent(
        "Pod",
        "report-builder-7f5d4c3b2-mv9hx",
        "Evicted",
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91212Ki.",
        "2026-05-04T10:21:07Z",
      ),
      involvedObject: { kind: "Pod", name: "report-builder-7f5d4c3b2-mv9hx", namespace: "payments" },
    };
    const incidents = jsonBundle("json-evicted-with-pod", [event], { "pod.yaml": pod });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      event: "eviction",
      subject: { pod: "report-builder-7f5d4c3b2-mv9hx", container: "builder" },
    });
  });

  it("an Evicted event alone makes its pod an eviction incident with the message's figures", () => {
    const incidents = jsonBundle("json-evicted", [
      jsonEvent(
        "Pod",
        "thumbs-7f9d8c-kq2zp",
        "Evicted",
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91212Ki. Container thumbnailer was using 3313152Ki, request is 512Mi, has larger consumption of memory.",
        "2026-05-04T10:21:07Z",
      ),
    ]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      event: "eviction",
      subject: { pod: "thumbs-7f9d8c-kq2zp", container: "thumbnailer" },
    });
    expect(incidents[0]!.verdict.cause).toBe("node-overcommit");
    expect(incidents[0]!.eviction).toMatchObject({ resource: "memory" });
  });
});
