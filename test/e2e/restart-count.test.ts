/**
 * Kill count against the kubelet's Restart Count, end to end (issue 7): the kills of one container
 * in a describe + `dmesg -T` bundle are one incident, and when their number and the Restart Count
 * differ the report says why (restarts before the log began, or kills that did not end the container).
 * Bundles in test/fixtures/bundles/restarts-vs-kills-*: one container restarted, two kernel kills.
 */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/model/incident.js";
import { fixtureBundle, jsonReport } from "./cli.js";

const report = (name: string): Report => jsonReport(fixtureBundle(name));

describe("kill count and Restart Count", () => {
  it("Restart Count 5, two kills in the log: one incident with both kills, the other three restarts accounted for", () => {
    const r = report("restarts-vs-kills-more-restarts");
    expect(r.incidents).toHaveLength(1);
    const [i] = r.incidents;
    expect(i!.kills.map((k) => k.pid)).toEqual([29001, 31107]);
    expect(i!.kills[1]!.evidence.map((e) => e.text).join("\n")).toMatch(/OOMKilled, exit code 137/);
    expect(i!.notes.join("\n")).toMatch(
      /Restart Count is 5 and the kernel log shows 2 kills of this container: the other 3 restarts came before the log begins, or were not OOM kills/,
    );
  });

  it("Restart Count 1, two kills in the log: the kill that did not end the container is said", () => {
    const r = report("restarts-vs-kills-more-kills");
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]!.kills).toHaveLength(2);
    expect(r.incidents[0]!.notes.join("\n")).toMatch(
      /shows 2 kills of this container but the kubelet counts 1 restart: 1 kill did not end the container/,
    );
  });
});
