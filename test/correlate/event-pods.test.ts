/**
 * The join of event-carried kills to pods known only from events (correlate/event-pods.ts), on
 * events with absolute times (`kubectl get events -o json` shape): a restart within minutes after
 * the kill is a time clue, one an hour later is not.
 */
import { describe, expect, it } from "vitest";
import { kernelKills } from "../../src/correlate/attribute.js";
import { joinToEventPods } from "../../src/correlate/event-pods.js";
import { oomFromEvent } from "../../src/ingest/shared/event-oom.js";
import type { KubeEvent } from "../../src/model/facts.js";

const T = Date.parse("2026-04-11T09:14:01Z");
let line = 0;
function ev(reason: string, message: string, involved: KubeEvent["involved"], atMs: number): KubeEvent {
  line += 10;
  return {
    type: "Normal",
    reason,
    message,
    involved,
    count: 1,
    firstMs: atMs,
    lastMs: atMs,
    ageText: null,
    source: { file: "events.json", line },
  };
}
const node = { kind: "Node", name: "node-7", namespace: null };
const pod = { kind: "Pod", name: "ledger-5b7c9-qq8rt", namespace: "fin" };
const oomEvent = () =>
  ev(
    "OOMKilling",
    "Memory cgroup out of memory: Killed process 4242 (ledger) total-vm:4194304kB, anon-rss:520000kB, file-rss:0kB, shmem-rss:0kB",
    node,
    T,
  );

function joinWith(startMs: number) {
  const kill = oomEvent();
  const events = [kill, ev("Started", "Started container ledger", pod, startMs)];
  const kills = kernelKills([oomFromEvent(kill)!]);
  return { kills, result: joinToEventPods(kills, events, []) };
}

describe("joinToEventPods", () => {
  it("a restart 8 s after the kill joins it, stating process and time", () => {
    const { kills, result } = joinWith(T + 8_000);
    const owned = result.joined.get(kills[0]!);
    expect(owned?.owner.container.name).toBe("ledger");
    expect(owned?.owner.pod.pod).toMatchObject({ name: "ledger-5b7c9-qq8rt", namespace: "fin" });
    expect(owned?.join.basis.map((b) => b.text)).toEqual([
      "process ledger = container ledger",
      "Started 8 s after the kill (events.json:" + line + ")",
    ]);
  });

  it("a restart an hour after the kill is no time clue: the name alone joins nothing", () => {
    const { result } = joinWith(T + 3_600_000);
    expect(result.joined.size).toBe(0);
  });

  it("a pod a pod artifact describes makes no event-only candidate", () => {
    const kill = oomEvent();
    const kills = kernelKills([oomFromEvent(kill)!]);
    const described = { pod: { name: "ledger-5b7c9-qq8rt", namespace: "fin" }, parts: [] } as never;
    expect(
      joinToEventPods(kills, [kill, ev("Started", "Started container ledger", pod, T + 5_000)], [described]).joined
        .size,
    ).toBe(0);
  });
});
