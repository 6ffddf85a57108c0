/**
 * The kubelet's eviction manager lines in a node journal (kernel-log/kubelet-eviction.ts),
 * written from kubernetes pkg/kubelet/eviction/eviction_manager.go: the structured 1.21+ lines
 * and the printf lines before them; each pod it says it evicted becomes an `Evicted` event and an
 * evicted pod, with the resource it reclaimed and, at -v=3, the eviction message's figures.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kernelLog } from "../../src/ingest/kernel-log.js";
import { needleAt } from "../../src/ingest/kernel-log/needles.js";
import { stripPrefix } from "../../src/ingest/kernel-log/prefix.js";
import { isEvictionManagerLine } from "../../src/ingest/kernel-log/kubelet-eviction.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet } from "../../src/model/facts.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kernel-log/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const parse = (name: string, text: string): Promise<FactSet> => kernelLog.parse(sourceFromString(name, text));

const MEMORY = "journal-kubelet-eviction-memory.txt";
const OLD_NODEFS = "syslog-kubelet-eviction-nodefs-old-zh.txt";

/** A journal line of the kubelet at 11:02:1x with `message` after klog's header. */
const kubelet = (sec: number, message: string) =>
  `2026-06-09T11:02:${String(sec).padStart(2, "0")}.000000+00:00 node-2 kubelet[1203]: I0609 11:02:${String(sec).padStart(2, "0")}.000000    1203 eviction_manager.go:366] ${message}`;

describe("kubelet eviction manager lines", () => {
  it("1.21+ structured lines: the evicted pod with the figures of its -v=3 `Evicting pod` message, at its UTC time", async () => {
    const facts = await parse(MEMORY, fixture(MEMORY));
    expect(facts.events).toHaveLength(1);
    const [e] = facts.events;
    expect(e).toMatchObject({
      reason: "Evicted",
      involved: {
        kind: "Pod",
        namespace: "shop",
        name: "export-5d8f7c9b6-kq2xz",
        uid: "7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
      },
      source: { line: 7 },
      lastMs: Date.parse("2026-06-09T11:02:12.872Z"),
    });
    expect(e!.eviction).toMatchObject({
      resource: "memory",
      threshold: { text: "100Mi" },
      available: { text: "91212Ki" },
      containers: [{ name: "export", usage: { text: "3313152Ki" } }],
      source: { line: 6 },
    });
    expect(
      facts.pods.map((p) => [p.namespace, p.name, p.reason, p.phase, p.node, p.containers.map((c) => c.name)]),
    ).toEqual([["shop", "export-5d8f7c9b6-kq2xz", "Evicted", "Failed", "node-1", ["export"]]]);
    expect(facts.ooms).toEqual([]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("printf lines of old kubelets (`name_ns(uid)`), in a zh_CN journal: nodefs is ephemeral-storage, from the `attempting to reclaim` line", async () => {
    const facts = await parse(OLD_NODEFS, fixture(OLD_NODEFS));
    expect(
      facts.events.map((e) => [
        e.involved,
        e.source.line,
        e.eviction?.resource,
        e.eviction?.resourceText,
        e.eviction?.source.line,
        e.lastMs,
      ]),
    ).toEqual([
      [
        {
          kind: "Pod",
          namespace: "default",
          name: "nginx-6f858d4d45-m8rhz",
          uid: "4d2f5c0e-b1a1-11e8-9a8b-000c29a5c6b7",
        },
        5,
        "ephemeral-storage",
        "nodefs",
        2,
        null,
      ],
    ]);
    expect(facts.pods.map((p) => [p.name, p.node])).toEqual([["nginx-6f858d4d45-m8rhz", "ubuntu-k8s-3"]]);
  });

  it("without the -v=3 line the resource being reclaimed says which (pids here); each success line is one pod", async () => {
    const text = [
      kubelet(10, '"Eviction manager: attempting to reclaim" resourceName="pids"'),
      kubelet(11, '"Eviction manager: pod is evicted successfully" pod="batch/forker-1"'),
      kubelet(12, '"Eviction manager: attempting to reclaim" resourceName="memory"'),
      kubelet(13, '"Eviction manager: pod failed to evict" err="timeout waiting to kill pod" pod="batch/forker-2"'),
      kubelet(14, '"Eviction manager: pod is evicted successfully" pod="batch/forker-3"'),
    ].join("\n");
    const facts = await parse("journal.txt", text);
    expect(facts.events.map((e) => [e.involved?.name, e.eviction?.resource, e.eviction?.source.line])).toEqual([
      ["forker-1", "pids", 1],
      ["forker-3", "memory", 3],
    ]);
  });

  it("a success line with no reclaim line before it is still an eviction, its resource unknown", async () => {
    const facts = await parse(
      "journal.txt",
      kubelet(11, '"Eviction manager: pod is evicted successfully" pod="batch/forker-1"'),
    );
    expect(facts.events.map((e) => [e.reason, e.eviction])).toEqual([["Evicted", null]]);
    expect(facts.pods.map((p) => p.reason)).toEqual(["Evicted"]);
  });

  it("the same lines in `journalctl -o json` read the same", async () => {
    const json = fixture(MEMORY)
      .trimEnd()
      .split("\n")
      .map((line) => {
        const m = /^(\S+) (\S+) ([^:[]+)(?:\[\d+\])?: (.*)$/.exec(line)!;
        return JSON.stringify({
          __REALTIME_TIMESTAMP: String(Date.parse(m[1]!) * 1000 + Number(m[1]!.slice(23, 26))),
          _HOSTNAME: m[2],
          SYSLOG_IDENTIFIER: m[3],
          _TRANSPORT: m[3] === "kernel" ? "kernel" : "stdout",
          MESSAGE: m[4],
        });
      })
      .join("\n");
    const [a, b] = [await parse(MEMORY, fixture(MEMORY)), await parse(MEMORY, json)];
    expect(b.events.map((e) => [e.involved, e.eviction?.containers, e.source.line])).toEqual(
      a.events.map((e) => [e.involved, e.eviction?.containers, e.source.line]),
    );
    expect(b.pods.map((p) => p.node)).toEqual(["node-1"]);
  });

  it("a kubelet journal is claimed for its eviction lines, a kubelet journal without them is not", () => {
    expect(kernelLog.sniff(fixture(OLD_NODEFS), "kubelet.log")).toBe(true);
    expect(
      kernelLog.sniff(
        [kubelet(10, '"Eviction manager: attempting to reclaim" resourceName="memory"')].join("\n"),
        "kubelet.log",
      ),
    ).toBe(true);
    const pleg = Array.from(
      { length: 10 },
      (_, i) =>
        `Jun 09 11:02:1${i} node-1 kubelet[1203]: I0609 11:02:1${i}.000000    1203 kubelet.go:2446] "SyncLoop (PLEG)"`,
    ).join("\n");
    expect(kernelLog.sniff(pleg, "kubelet.log")).toBe(false);
  });

  it("every eviction manager line holds a scan needle; other kubelet lines are not its", () => {
    const lines = [...fixture(MEMORY).split("\n"), ...fixture(OLD_NODEFS).split("\n")]
      .map((l) => stripPrefix(l).message)
      .filter(isEvictionManagerLine);
    expect(lines.length).toBeGreaterThan(8);
    for (const m of lines) {
      const bytes = Buffer.from(m, "utf8");
      expect(
        bytes.some((_, i) => needleAt(bytes, i, 0, bytes.length)),
        m,
      ).toBe(true);
    }
    expect(
      isEvictionManagerLine('I0609 11:02:10.1 1203 kubelet.go:2446] "SyncLoop (PLEG)" note="eviction_manager.go:1]"'),
    ).toBe(false);
  });

  it("parses the sample in its own header", async () => {
    const src = readFileSync(
      fileURLToPath(new URL("../../src/ingest/kernel-log/kubelet-eviction.ts", import.meta.url)),
      "utf8",
    );
    const sample = /Sample input:\n \* ```text\n([\s\S]*?)\n \* ```/
      .exec(src)![1]!
      .split("\n")
      .map((l) => l.replace(/^ \* /, ""))
      .join("\n");
    expect(kernelLog.sniff(sample, "journal.txt")).toBe(true);
    const facts = await parse("journal.txt", sample);
    expect(facts.events.map((e) => [e.involved?.name, e.eviction?.resource])).toEqual([
      ["export-5d8f7c9b6-kq2xz", "memory"],
    ]);
    expect(facts.diagnostics).toEqual([]);
  });
});
