/**
 * A kill found in `kubectl get events` text (node-problem-detector's `OOMKilling`, the kernel's
 * `Killed process N (name)` in its message) joins the pod whose process it names when that pod is
 * known only from the same events (issue 7): by process, node (`Scheduled`) and the container's
 * restart at the kill's age, with the basis stated; two pods that fit equally, a pod on another
 * node, or a process name alone join nothing, and the report says why.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Incident, Report } from "../../src/model/incident.js";
import { runCli } from "./cli.js";

const tmp = mkdtempSync(join(tmpdir(), "oom-event-join-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER = "NAMESPACE   LAST SEEN   TYPE      REASON       OBJECT                                  MESSAGE";
const NODE = "aks-pool1-31415926-vmss000004";
const npd = (age: string, node: string, pid: number, process: string) =>
  `default     ${age}         Warning   OOMKilling   node/${node}      Memory cgroup out of memory: Killed process ${pid} (${process}) total-vm:2204004kB, anon-rss:1040212kB, file-rss:3100kB, shmem-rss:0kB, UID:1000 pgtables:2300kB oom_score_adj:936`;
const podEvent = (ns: string, age: string, reason: string, pod: string, message: string) => `${ns}   ${age}   Normal    ${reason}   pod/${pod}   ${message}`;

function report(name: string, lines: string[]): Incident[] {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "events.txt"), [HEADER, ...lines].join("\n") + "\n");
  const r = runCli([dir, "--format", "json", "--quiet"]);
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as Report).incidents;
}

const thumbs = (age: string, node: string | null) => [
  ...(node ? [podEvent("media", "3h", "Scheduled", "thumbs-7f9d8c-kq2zp", `Successfully assigned media/thumbs-7f9d8c-kq2zp to ${node}`)] : []),
  podEvent("media", age, "Pulled", "thumbs-7f9d8c-kq2zp", 'Container image "registry.example/media/thumbnailer:4.2" already present on machine'),
  podEvent("media", age, "Created", "thumbs-7f9d8c-kq2zp", "Created container thumbnailer"),
  podEvent("media", age, "Started", "thumbs-7f9d8c-kq2zp", "Started container thumbnailer"),
];

describe("a kill carried by events joins the pod its events name", () => {
  it("one pod on the kill's node whose container restarted at the kill's age: joined, basis stated", () => {
    const incidents = report("one-fit", [npd("6m12s", NODE, 88123, "thumbnailer"), ...thumbs("6m10s", NODE)]);
    expect(incidents).toHaveLength(1);
    const i = incidents[0]!;
    expect(i.subject).toMatchObject({ namespace: "media", pod: "thumbs-7f9d8c-kq2zp", container: "thumbnailer", node: NODE });
    expect(i.event).toBe("container-oom-kill");
    expect(i.kills[0]).toMatchObject({ pid: 88123, process: "thumbnailer" });
    const kinds = i.kills[0]!.join!.basis.map((b) => b.kind).sort();
    expect(kinds).toEqual(["node", "process", "time"]);
    expect(i.kills[0]!.join!.summary).toMatch(/process thumbnailer .*node aks-pool1/);
    expect(i.notes.join("\n")).toMatch(/joined to this container by .*process thumbnailer/);
  });

  it("the pod was scheduled to another node: not joined, the kill stays the node's", () => {
    const incidents = report("other-node", [npd("6m", NODE, 88123, "thumbnailer"), ...thumbs("6m", "aks-pool1-31415926-vmss000009")]);
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
    expect(kill.notes.join("\n")).toMatch(/fits several containers .*thumbs-7f9d8c-kq2zp\/thumbnailer.*thumbs-7f9d8c-w8x4n\/thumbnailer/);
  });
});
