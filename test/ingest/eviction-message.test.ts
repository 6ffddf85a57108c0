/**
 * The kubelet's eviction message in every form it printed (pkg/kubelet/eviction/helpers.go):
 * read into figures wherever it appears (describe `Message:` and Events, pod YAML/JSON
 * `status.message`, `kubectl get events` text), cited at its own line.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kubectlDescribe } from "../../src/ingest/kubectl-describe.js";
import { kubectlGetEvents } from "../../src/ingest/kubectl-get-events.js";
import { parseEvictionMessage } from "../../src/ingest/shared/eviction-message.js";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromBuffer, sourceFromString } from "../../src/ingest/source.js";
import { lineWhere, parseText } from "./pod-json-helpers.js";

const fixture = (kind: string, name: string): string =>
  readFileSync(new URL(`../fixtures/${kind}/${name}`, import.meta.url), "utf8");
const at = { file: "m.txt", line: 3 };
const parse = (text: string) => parseEvictionMessage(text, at);
const KI = 1024;
const GI = 2 ** 30;

const NEW =
  "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87608Ki. Container app was using 48458972Ki, request is 15Gi, has larger consumption of memory. ";
const OLD =
  "The node was low on resource: memory. Container spark-executor was using 35505620Ki, which exceeds its request of 12Gi. ";

describe("parseEvictionMessage", () => {
  it("reads the current form: resource, threshold, available and each container's usage and request", () => {
    const e = parse(NEW)!;
    expect(e).toMatchObject({
      resource: "memory",
      resourceText: "memory",
      admission: false,
      source: at,
      text: NEW.trim(),
    });
    expect(e.threshold).toEqual({ text: "100Mi", value: 100 * 2 ** 20 });
    expect(e.available).toEqual({ text: "87608Ki", value: 87608 * KI });
    expect(e.containers).toEqual([
      {
        name: "app",
        usage: { text: "48458972Ki", value: 48458972 * KI },
        request: { text: "15Gi", value: 15 * GI },
        resource: "memory",
      },
    ]);
  });

  it("reads the old form (no threshold, `which exceeds its request of`) and the mixed 1.17-1.21 form", () => {
    const e = parse(OLD)!;
    expect(e.resource).toBe("memory");
    expect(e.threshold).toBeNull();
    expect(e.containers).toEqual([
      {
        name: "spark-executor",
        usage: { text: "35505620Ki", value: 35505620 * KI },
        request: { text: "12Gi", value: 12 * GI },
        resource: null,
      },
    ]);
    const mixed = parse(
      "The node was low on resource: memory. Threshold quantity: 100Mi, available: 86452Ki. Container worker was using 1520Ki, which exceeds its request of 0. ",
    )!;
    expect(mixed.available?.value).toBe(86452 * KI);
    expect(mixed.containers[0]!.request).toEqual({ text: "0", value: 0 });
  });

  it("reads several containers, and a negative `available`", () => {
    const e = parse(
      "The node was low on resource: memory. Threshold quantity: 500Mi, available: -30152Ki. Container a was using 2Gi, request is 1Gi, has larger consumption of memory. Container b was using 900Mi, request is 0, has larger consumption of memory. ",
    )!;
    expect(e.available).toEqual({ text: "-30152Ki", value: -30152 * KI });
    expect(e.containers.map((c) => [c.name, c.usage.value, c.request.value])).toEqual([
      ["a", 2 * GI, GI],
      ["b", 900 * 2 ** 20, 0],
    ]);
  });

  it("names every resource that is not memory, old names and node conditions included", () => {
    const cases: [string, string | null][] = [
      [
        "The node was low on resource: ephemeral-storage. Threshold quantity: 2147483648, available: 1864220Ki. Container shipper was using 9871204Ki, request is 0, has larger consumption of ephemeral-storage. ",
        "ephemeral-storage",
      ],
      ["The node was low on resource: nodefs.", "ephemeral-storage"],
      ["The node was low on resource: imagefs.", "ephemeral-storage"],
      ["The node was low on resource: [DiskPressure].", "ephemeral-storage"],
      ["The node was low on resource: nodefsInodes.", "inodes"],
      ["The node was low on resource: inodes. ", "inodes"],
      ["The node was low on resource: pids. Threshold quantity: 1000, available: 612. ", "pids"],
      ["The node was low on resource: [MemoryPressure].", "memory"],
      ["The node was low on resource: hugepages-2Mi. ", "other"],
      ["Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ", "ephemeral-storage"],
      ['Usage of EmptyDir volume "scratch" exceeds the limit "1Gi". ', "ephemeral-storage"],
      ['Container uploader exceeded its local ephemeral storage limit "500Mi". ', "ephemeral-storage"],
    ];
    for (const [text, resource] of cases) expect(parse(text)?.resource, text).toBe(resource);
    const pids = parse(cases[6]![0])!;
    expect([pids.threshold?.value, pids.available?.value]).toEqual([1000, 612]);
    expect(parse(cases[10]![0])!.overLimit).toEqual([
      { scope: "emptyDir", name: "scratch", limit: { text: "1Gi", value: GI } },
    ]);
  });

  it("reads the admission form (`The node had condition`), with the kubelet's `Pod was rejected:` prefix", () => {
    const e = parse("Pod was rejected: The node had condition: [DiskPressure]. ")!;
    expect(e).toMatchObject({ admission: true, resource: "ephemeral-storage", resourceText: "[DiskPressure]" });
  });

  it("reads a message whose spacing was collapsed or wrapped by a paste", () => {
    const wrapped = NEW.replace(/ /g, (_space, i: number) => (i % 3 === 0 ? "\n    " : "  "));
    expect(parse(wrapped)).toMatchObject({
      resource: "memory",
      available: { value: 87608 * KI },
      containers: [{ name: "app", request: { value: 15 * GI } }],
    });
  });

  it("keeps what a cut message still says, and never reads a cut figure", () => {
    const cut = parse("The node was low on resource: memory. Threshold quantity: 100Mi, available: 876")!;
    expect(cut).toMatchObject({ resource: "memory", threshold: null, available: null, containers: [] });
    // The old form's request cut short (`12G` of `12Gi.`) must not be read as 12 GB.
    expect(parse("Container spark-executor was using 35505620Ki, which exceeds its request of 12G")).toBeNull();
    const tail = parse("…Container app was using 48458972Ki, request is 15Gi, has larger consumption of memory.")!;
    expect(tail).toMatchObject({ resource: "memory", containers: [{ name: "app" }] });
  });

  it("is null for messages that are not the kubelet's eviction message, and for huge text", () => {
    for (const text of [
      "",
      "Stopping container worker",
      "Back-off restarting failed container",
      "Memory cgroup out of memory: Killed process 4242 (java)",
      "Container app was using a lot of memory",
      `${NEW}${"x".repeat(20_000)}`,
    ]) {
      expect(parse(text), text.slice(0, 40)).toBeNull();
    }
    expect(parseEvictionMessage(null, at)).toBeNull();
  });
});

describe("eviction messages in the artifacts that carry them", () => {
  it("describe: the pod's Message and its Evicted event, each cited at its own line", async () => {
    const text = fixture("kubectl-describe", "evicted-ephemeral-storage.txt");
    const facts = await kubectlDescribe.parse(sourceFromString("describe.txt", text));
    const pod = facts.pods[0]!;
    expect(pod.eviction).toMatchObject({
      resource: "ephemeral-storage",
      source: { file: "describe.txt", line: lineWhere(text, "Message:          The node") },
    });
    expect(pod.eviction!.containers).toEqual([
      {
        name: "shipper",
        usage: { text: "9871204Ki", value: 9871204 * KI },
        request: { text: "0", value: 0 },
        resource: "ephemeral-storage",
      },
    ]);
    const ev = facts.events.find((e) => e.reason === "Evicted")!;
    expect(ev.eviction).toMatchObject({
      resource: "ephemeral-storage",
      source: { line: lineWhere(text, "Warning  Evicted") },
      threshold: { value: 2147483648 },
    });
    expect(facts.events.find((e) => e.reason === "Killing")!.eviction).toBeNull();
  });

  it("describe with CRLF line ends and collapsed spacing reads the same figures", async () => {
    const text = fixture("kubectl-describe", "evicted-ephemeral-storage.txt");
    const mangled = text
      .split("\n")
      .map((l) => l.replace(/ {2,}/g, " "))
      .join("\r\n");
    const facts = await kubectlDescribe.parse(sourceFromString("describe.txt", mangled));
    expect(facts.pods[0]!.eviction).toMatchObject({
      resource: "ephemeral-storage",
      available: { value: 1864220 * KI },
      containers: [{ name: "shipper" }],
    });
  });

  it("pod YAML: an old kubelet's status.message folded over two lines", async () => {
    const text = fixture("pod-json", "evicted-old-kubelet.yaml");
    const facts = await parseText("pod.yaml", text);
    expect(facts.pods[0]!.eviction).toMatchObject({
      resource: "memory",
      source: { file: "pod.yaml", line: lineWhere(text, "message:") },
      containers: [
        {
          name: "executor",
          usage: { value: 35505620 * KI },
          request: { text: "12Gi", value: 12 * GI },
          resource: null,
        },
      ],
    });
  });

  it("pod YAML in UTF-16 (a PowerShell redirect) reads the same", async () => {
    const text = fixture("pod-json", "evicted-old-kubelet.yaml");
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const facts = await podJson.parse(sourceFromBuffer("pod.yaml", bytes));
    expect(facts.pods[0]?.eviction?.containers[0]?.usage.value).toBe(35505620 * KI);
  });

  it("events JSON: the message line of an Evicted event", async () => {
    const text = fixture("pod-json", "events-oom.json");
    const facts = await parseText("events.json", text);
    const ev = facts.events.find((e) => e.reason === "Evicted")!;
    expect(ev.eviction).toMatchObject({
      resource: "memory",
      source: { line: lineWhere(text, "The node was low on resource") },
      containers: [{ name: "builder", request: { value: 512 * 2 ** 20 } }],
    });
  });

  it("kubectl get events text: disk, inodes and pids evictions, and the pod each makes known", async () => {
    const text = fixture("kubectl-get-events", "evictions-not-memory.txt");
    const facts = await kubectlGetEvents.parse(sourceFromString("events.txt", text));
    expect(facts.events.map((e) => e.eviction?.resource)).toEqual([
      "ephemeral-storage",
      "ephemeral-storage",
      "pids",
      "ephemeral-storage",
      "ephemeral-storage",
    ]);
    const pids = facts.pods.find((p) => p.name === "fanout-worker-0")!;
    expect(pids).toMatchObject({
      reason: "Evicted",
      eviction: { resource: "pids", source: { line: lineWhere(text, "fanout-worker-0") } },
    });
  });
});
