/**
 * One pod field saved alone (kubectl-jsonpath): read only when the command above it or the file's
 * name says which field it is (fixtures written from kubectl's JSONPath docs and core/v1 field
 * names), never from a bare word; a pasted ticket keeps the command with its value.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { kubectlJsonpath } from "../../src/ingest/kubectl-jsonpath.js";
import { readPaste } from "../../src/ingest/paste/parts.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet } from "../../src/model/facts.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/kubectl-jsonpath/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const parse = (name: string, text: string): Promise<FactSet> => kubectlJsonpath.parse(sourceFromString(name, text));

describe("kubectl-jsonpath", () => {
  it.each(readdirSync(FIXTURES))("claims fixture %s (and no other ingester before it does)", (name) => {
    expect(detectIngester(fixture(name), name)?.kind).toBe("kubectl-jsonpath");
  });

  it("a jsonpath filter by name: the named pod's container api, last terminated OOMKilled, cited at the value's line", async () => {
    const facts = await parse("reason.txt", fixture("jsonpath-last-reason-by-name.txt"));
    expect(
      facts.pods.map((p) => [
        p.namespace,
        p.name,
        p.containers.map((c) => [c.name, c.lastState?.kind, c.lastState?.reason, c.lastState?.source.line, c.state]),
      ]),
    ).toEqual([["shop", "api-7d9f8b6c5-x2x9q", [["api", "terminated", "OOMKilled", 2, null]]]]);
    expect(facts.diagnostics).toEqual([]);
  });

  it("jq after a pipe: the exit code of the first container, unnamed", async () => {
    const facts = await parse("exit.txt", fixture("jq-last-exit-code.txt"));
    expect(
      facts.pods.map((p) => [
        p.namespace,
        p.name,
        p.containers.map((c) => [c.name, c.lastState?.exitCode, c.lastState?.reason]),
      ]),
    ).toEqual([["batch", "worker-5d8c7b9f4-q7w2e", [["", 137, null]]]]);
  });

  it("yq on an init container's state: its terminated message, all of its lines", async () => {
    const [pod] = (await parse("msg.txt", fixture("yq-init-state-message.txt"))).pods;
    expect(pod!.containers.map((c) => [c.init, c.state?.kind, c.state?.message, c.lastState])).toEqual([
      [true, "terminated", "flyway: OutOfMemoryError while applying V42__backfill.sql\nJava heap space", null],
    ]);
  });

  it("files named for the field: status.message read as an eviction with its figures, status.reason Evicted", async () => {
    const [byMessage] = (await parse("status.message.txt", fixture("status.message.txt"))).pods;
    expect(byMessage).toMatchObject({
      name: null,
      eviction: { resource: "memory", available: { text: "87608Ki" } },
      containers: [{ name: "app" }],
    });
    const [byReason] = (await parse("status.reason", fixture("status.reason"))).pods;
    expect(byReason).toMatchObject({ reason: "Evicted", phase: "Failed", containers: [{ name: "" }] });
  });

  it("never from a bare word, another field, or a value that does not fit its field", () => {
    const cmd = (path: string) => `$ kubectl get pod x -o jsonpath='{.status.${path}}'`;
    for (const [name, text] of [
      ["notes.txt", "OOMKilled\n"],
      ["reason.txt", "Evicted\n"],
      ["exit-code.txt", "137\n"],
      ["x.txt", `${cmd("phase")}\nRunning\n`],
      ["x.txt", `${cmd("containerStatuses[0].restartCount")}\n5\n`],
      ["x.txt", `${cmd("containerStatuses[0].lastState.terminated.exitCode")}\nOOMKilled\n`],
      ["x.txt", `${cmd("containerStatuses[*].lastState.terminated.reason")}\nOOMKilled Error\n`],
      ["x.txt", `${cmd("message")}\nsome note about the pod\n`],
      ["status.reason", "Evicted\nand a second line\n"],
      ["x.txt", `${cmd("reason")}\n`],
      ["status.reason", `${cmd("phase")}\nEvicted\n`],
    ])
      expect(kubectlJsonpath.sniff(text!, name!), `${name}: ${text}`).toBe(false);
  });

  it("a ticket paste: the jsonpath command keeps its value apart from the dmesg above it, each with the file's line numbers", () => {
    const text = [
      "The worker died again, dmesg:",
      "",
      "$ dmesg -T | grep -i 'killed process'",
      "[Tue Jun  9 11:02:17 2026] Memory cgroup out of memory: Killed process 4242 (java) total-vm:4194304kB, anon-rss:520000kB, file-rss:1200kB, shmem-rss:0kB",
      "",
      "$ kubectl get pod api-7d9f8b6c5-x2x9q -n shop -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}'",
      "OOMKilled",
    ].join("\n");
    const parts = readPaste("ticket.txt", text, (t) => detectIngester(t, "ticket.txt")?.kind ?? null)!;
    expect(parts.map((p) => p.kind)).toEqual(["kernel-log", "kubectl-jsonpath"]);
    return parse("ticket.txt", parts[1]!.source.head).then((facts) => {
      expect(facts.pods[0]!.containers[0]!.lastState).toMatchObject({ reason: "OOMKilled", source: { line: 7 } });
    });
  });

  it("parses the sample in its own header", async () => {
    const src = readFileSync(fileURLToPath(new URL("../../src/ingest/kubectl-jsonpath.ts", import.meta.url)), "utf8");
    const sample = /Sample input:\n \* ```text\n([\s\S]*?)\n \* ```/
      .exec(src)![1]!
      .split("\n")
      .map((l) => l.replace(/^ \* /, ""))
      .join("\n");
    expect(kubectlJsonpath.sniff(sample, "paste.txt")).toBe(true);
    const facts = await parse("paste.txt", sample);
    expect(facts.pods[0]!.containers[0]!.lastState?.reason).toBe("OOMKilled");
    expect(facts.diagnostics).toEqual([]);
  });
});
