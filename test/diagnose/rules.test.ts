/**
 * Each rule on hand-built subjects: the shape of evidence that supports it, and the shape that
 * rules it out. Names read as sentences.
 */
import { describe, expect, it } from "vitest";
import burst from "../../src/diagnose/rules/burst-allocation.js";
import kernelMemory from "../../src/diagnose/rules/kernel-memory.js";
import limitTooLow from "../../src/diagnose/rules/limit-too-low.js";
import memoryLeak from "../../src/diagnose/rules/memory-leak.js";
import nodeOvercommit from "../../src/diagnose/rules/node-overcommit.js";
import notOom from "../../src/diagnose/rules/not-oom.js";
import runtime from "../../src/diagnose/rules/runtime-misconfigured.js";
import shared from "../../src/diagnose/rules/shared-memory.js";
import type { KubeEvent } from "../../src/model/facts.js";
import { at, container, context, oom, subject, terminated } from "./builders.js";

const MI = 1024 ** 2;
const GI = 1024 ** 3;
const T0 = Date.parse("2026-06-09T00:00:00Z");

function event(reason: string, message: string, count = 1): KubeEvent {
  return { type: "Warning", reason, message, involved: { kind: "Pod", name: "api-7d9c-x1", namespace: "shop" }, count, firstMs: null, lastMs: null, ageText: "2m", source: at(40) };
}

describe("not-oom", () => {
  const probeKilled = container({ lastState: terminated({ reason: "Error", exitCode: 137 }) });
  const probes = [event("Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3), event("Killing", "Container app failed liveness probe, will be restarted")];

  it("is supported with high confidence by probe failures and a kernel log without OOM", () => {
    const h = notOom.evaluate(context(subject({ container: probeKilled, events: probes }), ["dmesg.txt"]));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.evidence.map((e) => e.line)).toEqual([40, 40]);
  });

  it("is never claimed when there is neither a kernel log nor probe events", () => {
    const h = notOom.evaluate(context(subject({ container: probeKilled }), []));
    expect(h.status).toBe("undetermined");
    expect(h.missing.join(" ")).toMatch(/kernel log/);
  });

  it("is rejected when the kernel recorded an OOM kill", () => {
    expect(notOom.evaluate(context(subject({ ooms: [oom()] }))).status).toBe("rejected");
  });
});

describe("node-overcommit", () => {
  it("is supported by a global OOM and names the biggest consumer when the victim is another", () => {
    const global = oom({ global: true, constraint: "none", oomMemcg: null, counters: [], tasks: [
      { pid: 4242, uid: 0, tgid: 4242, totalVmBytes: null, rssBytes: 100 * MI, oomScoreAdj: 1000, name: "app", source: at(105, "dmesg.txt") },
      { pid: 7, uid: 0, tgid: 7, totalVmBytes: null, rssBytes: 6 * GI, oomScoreAdj: 900, name: "python3", source: at(106, "dmesg.txt") },
    ] });
    const h = nodeOvercommit.evaluate(context(subject({ ooms: [global] })));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/biggest consumer was python3 \(pid 7, 6 GiB RSS\)/);
  });

  it("is rejected when the container's own memcg limit was hit", () => {
    expect(nodeOvercommit.evaluate(context(subject({ ooms: [oom()] }))).status).toBe("rejected");
  });
});

describe("runtime-misconfigured", () => {
  it("is supported with high confidence by -Xmx above the limit", () => {
    const c = container({ limitBytes: GI, args: ["-Xmx4g", "-jar", "app.jar"], lastState: terminated() });
    const h = runtime.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/-Xmx4g allows a 4 GiB heap, 400% of the 1 GiB limit/);
  });

  it("reads NODE_OPTIONS --max-old-space-size from env", () => {
    const c = container({ limitBytes: GI, env: [{ name: "NODE_OPTIONS", value: "--max-old-space-size=1000", source: at(30) }], lastState: terminated() });
    const h = runtime.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence, h.evidence[0]?.line]).toEqual(["supported", "medium", 30]);
  });

  it("is rejected when the heap leaves room under the limit", () => {
    const c = container({ limitBytes: 2 * GI, env: [{ name: "JAVA_TOOL_OPTIONS", value: "-Xmx1g", source: at(30) }], lastState: terminated() });
    expect(runtime.evaluate(context(subject({ container: c }))).status).toBe("rejected");
  });

  it("flags a JVM image without container support", () => {
    const c = container({ image: "openjdk:8u131-jre", lastState: terminated() });
    expect(runtime.evaluate(context(subject({ container: c }))).status).toBe("supported");
  });
});

describe("shared-memory and kernel-memory", () => {
  const withStats = (bytes: Record<string, number>) => oom({ memcgStats: { path: "/kubepods/x", bytes, source: at(102, "dmesg.txt") } });

  it("shmem making most of the usage supports shared-memory", () => {
    const h = shared.evaluate(context(subject({ ooms: [withStats({ anon: 100 * MI, file: 400 * MI, shmem: 380 * MI })] })));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
  });

  it("sock buffers making most of the usage support kernel-memory, and reject shared-memory", () => {
    const o = withStats({ anon: 28 * MI, file: 0, kernel: 2 * MI, sock: 400 * MI, shmem: 0 });
    expect(kernelMemory.evaluate(context(subject({ ooms: [o] }))).status).toBe("supported");
    expect(shared.evaluate(context(subject({ ooms: [o] }))).status).toBe("rejected");
  });

  it("a memory-backed emptyDir alone is weak evidence", () => {
    const c = container({ volumeMounts: [{ name: "scratch", mountPath: "/scratch" }], lastState: terminated() });
    const s = subject({ container: c });
    s.pod!.volumes.push({ name: "scratch", memoryBacked: true, sizeLimitBytes: null, source: at(60) });
    const h = shared.evaluate(context(s));
    expect([h.status, h.confidence]).toEqual(["supported", "low"]);
  });
});

describe("memory-leak, limit-too-low, burst-allocation", () => {
  const killAt = (offsetSec: number, pid: number) => oom({ time: { wallMs: T0 + offsetSec * 1000, uptimeSec: null, clock: "utc" }, victims: [{ ...oom().victims[0]!, pid, source: at(pid, "dmesg.txt") }] });

  it("kills at a regular interval support a leak and reject a plateau", () => {
    const s = subject({ container: container({ restartCount: 3, lastState: terminated() }), ooms: [killAt(0, 1), killAt(7800, 2), killAt(15700, 3), killAt(23400, 4)] });
    const ctx = context(s);
    const leak = memoryLeak.evaluate(ctx);
    expect([leak.status, leak.confidence]).toEqual(["supported", "high"]);
    expect(leak.reason).toMatch(/4 kills, one every 2h 10m/);
    expect(limitTooLow.evaluate(ctx).status).toBe("rejected");
  });

  it("kills soon after every start support limit-too-low and reject a leak and a burst", () => {
    const c = container({ restartCount: 6, state: { ...container().state!, kind: "waiting", reason: "CrashLoopBackOff" }, lastState: terminated({ startedAtMs: T0, finishedAtMs: T0 + 1000 }) });
    const ctx = context(subject({ container: c }));
    expect(limitTooLow.evaluate(ctx).status).toBe("supported");
    expect(memoryLeak.evaluate(ctx).status).toBe("rejected");
    expect(burst.evaluate(ctx).status).toBe("rejected");
  });

  it("a tight request with repeated irregular kills supports limit-too-low", () => {
    const c = container({ limitBytes: 2 * GI, requestBytes: 1.9 * GI, restartCount: 9, lastState: terminated({ startedAtMs: T0, finishedAtMs: T0 + 5 * 3600_000 }) });
    const h = limitTooLow.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(/request is 95% of the 2 GiB limit/);
  });

  it("a first OOM kill after days of running supports a burst", () => {
    const c = container({ restartCount: 1, lastState: terminated({ startedAtMs: T0 - 3 * 86400_000, finishedAtMs: T0 }) });
    const h = burst.evaluate(context(subject({ container: c })));
    expect([h.status, h.confidence]).toEqual(["supported", "medium"]);
    expect(h.reason).toMatch(/ran 3d before this first OOM kill/);
  });

  it("a child worker killed while the container ran supports a burst", () => {
    const s = subject({ container: container({ restartCount: 0 }), ooms: [oom()] });
    const ctx = context(s);
    expect(ctx.event).toBe("child-oom-kill");
    expect(burst.evaluate(ctx).status).toBe("supported");
  });
});
