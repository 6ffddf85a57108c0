/**
 * What kill count, Restart Count and the runs table of an incident say about each other (issue 7),
 * for kill-count-agreement.test.ts (samples, fixtures) and its .shared twin (../shared/scenarios):
 * - kernel kills beyond the runs the kubelet ended say they did not end the container; fewer say
 *   where the other restarts went; with no kernel log, a Restart Count of 2 or more over the one
 *   run whose end the kubelet keeps says so;
 * - the usage section's Restart Count is the describe's/pod JSON's;
 * - the runs table marks a run ended by an OOM kill for each kill inside the series, every run but
 *   the last ended by a kill or a restart, and each restart inside the series at a run's start.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { discover } from "../../src/discover.js";
import type { Incident } from "../../src/model/incident.js";
import { ingestOne } from "../../src/pipeline.js";
import { reportInProcess } from "./in-process.js";

/** The bundle folders directly under `root`. */
export const bundleDirs = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, d.name));

/** `pod/container` → Restart Count, as the bundle's pod artifacts print it (the highest when several do). */
async function restartCounts(path: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of await discover(path)) {
    for (const pod of (await ingestOne(f)).pods) {
      for (const c of pod.containers) {
        if (pod.name === null || c.restartCount === null) continue;
        const key = `${pod.name}/${c.name}`;
        out.set(key, Math.max(out.get(key) ?? 0, c.restartCount));
      }
    }
  }
  return out;
}

/** What an incident's numbers say about each other; each entry a disagreement the report leaves unexplained. */
export function disagreements(i: Incident, n: number): string[] {
  const out: string[] = [];
  const notes = i.notes.join("\n");
  const kernel = i.kills.filter(
    (k) =>
      k.killer === "kernel-oom-killer" &&
      k.evidence.some((e) => /Killed process|Kill process|oom-kill:|oom_reaper/.test(e.text)),
  );
  const k = kernel.length;
  if (k > 0 && k < n && !notes.includes(`Restart Count is ${n} and the kernel log shows ${k} kill`))
    out.push(`${k} kernel kills, Restart Count ${n}, no note`);
  if (k > n + 1 && !/did not end the container/.test(notes))
    out.push(`${k} kernel kills beyond Restart Count ${n}, no note`);
  if (
    k === 0 &&
    i.kills.length === 1 &&
    n >= 2 &&
    i.event !== "eviction" &&
    !notes.includes(`Restart Count is ${n} and the bundle records how only the last run ended`)
  )
    out.push(`one kill from the kubelet's record, Restart Count ${n}, no note`);
  const u = i.usage;
  if (u) {
    if (u.restartCount != null && u.restartCount !== n) out.push(`usage Restart Count ${u.restartCount} ≠ ${n}`);
    const runs = u.runs;
    if (runs.length > 0) {
      const first = Date.parse(runs[0]!.start!);
      const last = Date.parse(runs.at(-1)!.end!);
      const slack = Math.max(2 * (u.stepSec ?? 0) * 1000, 60_000);
      const inside = u.kills.map(Date.parse).filter((t) => t >= first && t <= last);
      const killed = runs.filter((r) => r.endedBy === "kill").length;
      if (killed !== inside.length)
        out.push(`${inside.length} kills inside the series, ${killed} runs ended by a kill`);
      runs
        .slice(0, -1)
        .forEach(
          (r, j) => r.endedBy == null && out.push(`run ${j + 1} of ${runs.length} ends with no kill or restart`),
        );
      for (const t of u.restarts.map(Date.parse).filter((x) => x > first + slack && x < last - slack)) {
        if (!runs.slice(1).some((r) => Math.abs(Date.parse(r.start!) - t) <= slack))
          out.push(`restart at ${new Date(t).toISOString()} starts no run`);
      }
    }
  }
  return out;
}

/** Runs the bundle and fails on any disagreement of an incident whose Restart Count the bundle shows. */
export async function expectCountsAgree(path: string): Promise<void> {
  const report = await reportInProcess(path);
  const counts = await restartCounts(path);
  for (const i of report.incidents) {
    const n = counts.get(`${i.subject.pod}/${i.subject.container}`);
    if (n === undefined) continue;
    expect(disagreements(i, n), `${i.subject.pod}/${i.subject.container}`).toEqual([]);
  }
}
