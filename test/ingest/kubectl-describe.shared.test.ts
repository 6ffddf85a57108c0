/** kubectlDescribe on the real captures of ../shared/realworld (npm run test:shared). */
import { describe, expect, it } from "vitest";
import { kubectlDescribe } from "../../src/ingest/kubectl-describe.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { FactSet, KubeEvent, PodFact } from "../../src/model/facts.js";
import { realworldCaptures, realworldFile, realworldText } from "../realworld.js";

function realworld(prefix: string): { name: string; text: string } {
  const name = realworldFile(`${prefix}-`);
  return { name, text: realworldText(name) };
}

function parse(path: string, text: string): Promise<FactSet> {
  return kubectlDescribe.parse(sourceFromString(path, text));
}

function only<T>(xs: T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0]!;
}

function event(facts: FactSet, reason: string): KubeEvent {
  const e = facts.events.find((x) => x.reason === reason);
  expect(e, `event ${reason}`).toBeDefined();
  return e!;
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

describe("sniff on real captures", () => {
  const describeFiles = ["18", "34", "50", "51"];
  it.each(describeFiles)("claims realworld %s (describe output or fragment)", (prefix) => {
    const { name, text } = realworld(prefix);
    expect(kubectlDescribe.sniff(text.slice(0, 8192), name)).toBe(true);
  });

  const others = realworldCaptures().filter((f) => !describeFiles.some((p) => f.startsWith(`${p}-`)));
  it.each(others)("does not claim realworld %s", (name) => {
    expect(kubectlDescribe.sniff(realworldText(name).slice(0, 8192), name)).toBe(false);
  });
});

describe("realworld 50: complete describe pod, memory-eater in CrashLoopBackOff", () => {
  it("reads the pod, its container and its events", async () => {
    const { name, text } = realworld("50");
    const facts = await parse(name, text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({
      name: "analytics-exporter-fast-d8511059e-qzptv",
      namespace: "default",
      node: "node-p77iyi",
      qosClass: "Burstable",
      phase: "Running",
      owner: { kind: "ReplicaSet", name: "analytics-exporter-fast-d8511059e" },
      uid: "d106602d-22f0-423d-8b4f-b8be31549d21",
    });
    expect(pod.source).toEqual({ file: name, line: 1, endLine: 74 });
    expect(iso(pod.startTimeMs)).toBe("2025-02-27T06:30:28.000Z");
    const c = only(pod.containers);
    expect(c.name).toBe("memory-eater");
    expect(c.init).toBe(false);
    expect(c.containerId).toBe("57f7d9fa4a26c2c888c48ae01a57aadd7b489f5b86911a4a0c12508b83bb423c");
    expect(c.args).toEqual(["80Mi", "0", "100Mi", "10", "1"]);
    expect(c.command).toEqual([]);
    expect(c.source).toEqual({ file: name, line: 16 });
    expect(c.state).toMatchObject({
      kind: "waiting",
      reason: "CrashLoopBackOff",
      exitCode: null,
      source: { file: name, line: 28 },
    });
    expect(c.lastState).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      signal: null,
      source: { file: name, line: 30 },
    });
    expect(iso(c.lastState!.startedAtMs)).toBe("2025-02-27T06:36:21.000Z");
    expect(iso(c.lastState!.finishedAtMs)).toBe("2025-02-27T06:36:22.000Z");
    expect(c.restartCount).toBe(6);
    expect(c.limitBytes).toBe(104857600);
    expect(c.requestBytes).toBe(104857600);
    expect(c.limitSource).toEqual({ file: name, line: 38 });
    expect(c.env).toEqual([]);
    expect(c.volumeMounts).toEqual([
      { name: "kube-api-access-6wf68", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
    ]);
    expect(pod.volumes).toEqual([
      { name: "kube-api-access-2vlp9", memoryBacked: false, sizeLimitBytes: null, source: { file: name, line: 52 } },
    ]);

    expect(facts.events).toHaveLength(10);
    const backoff = event(facts, "BackOff");
    expect(backoff).toMatchObject({
      type: "Warning",
      count: 23,
      ageText: "87s",
      source: { file: name, line: 74 },
      involved: {
        kind: "Pod",
        name: "analytics-exporter-fast-d8511059e-qzptv",
        namespace: "default",
        uid: "d106602d-22f0-423d-8b4f-b8be31549d21",
      },
    });
    expect(backoff.message).toBe(
      "Back-off restarting failed container memory-eater in pod analytics-exporter-fast-d8511059e-qzptv_default(d106602d-22f0-423d-8b4f-b8be31549d21)",
    );
    expect(event(facts, "Started")).toMatchObject({ count: 4, ageText: "5m53s" });
    expect(event(facts, "Scheduled")).toMatchObject({ count: 1, ageText: "6m40s", type: "Normal" });
    expect(facts.events.filter((e) => e.reason === "Pulled")).toHaveLength(5);
  });
});

describe("realworld 51: tail /dev/zero in a 50Mi container", () => {
  it("reads command, limit, restarts and the OOMKilled last state", async () => {
    const { name, text } = realworld("51");
    const facts = await parse(name, text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({
      name: "giant-narwhal-db7507c805-7ss9f",
      namespace: "app-02",
      node: "node-bh8i6y",
      owner: null,
    });
    const c = only(pod.containers);
    expect(c.name).toBe("main");
    expect(c.image).toBe("busybox:1.35");
    expect(c.command).toEqual(["sh", "-c", "tail /dev/zero"]);
    expect(c.limitBytes).toBe(50 * 1024 * 1024);
    expect(c.limitSource).toEqual({ file: name, line: 34 });
    expect(c.restartCount).toBe(16);
    expect(c.lastState).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      source: { file: name, line: 26 },
    });
    expect(iso(c.lastState!.finishedAtMs)).toBe("2025-08-12T04:42:07.000Z");
    expect(event(facts, "BackOff")).toMatchObject({
      count: 256,
      ageText: "3m19s",
      involved: { uid: "cb3c22c6-cd5d-4dfd-844b-4fc7297faa79" },
    });
  });
});

describe("realworld 18: fragment with two snapshots of one container (300Mi, then 500Mi)", () => {
  it("gives two unnamed pods, the first terminated OOMKilled at 300Mi", async () => {
    const { name, text } = realworld("18");
    const facts = await parse(name, text);
    expect(facts.pods).toHaveLength(2);
    const [first, second] = facts.pods as [PodFact, PodFact];
    for (const p of facts.pods) expect(p).toMatchObject({ name: null, namespace: null, node: null });

    const oom = only(first.containers);
    expect(oom.name).toBe("");
    expect(oom.source).toEqual({ file: name, line: 3 });
    expect(oom.state).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      source: { file: name, line: 3 },
    });
    expect(iso(oom.state!.startedAtMs)).toBe("2021-12-14T02:02:32.000Z");
    expect(iso(oom.state!.finishedAtMs)).toBe("2021-12-14T02:02:42.000Z");
    expect(oom.lastState).toBeNull();
    expect(oom.limitBytes).toBe(314572800);
    expect(oom.limitSource).toEqual({ file: name, line: 12 });
    expect(oom.restartCount).toBe(5);
    expect(oom.livenessProbe).toBe(
      "http-get http://:8085/health-check delay=0s timeout=1s period=10s #success=1 #failure=3",
    );
    expect(oom.env).toEqual([{ name: "AWS_REGION", value: "us-east-1", source: { file: name, line: 18 } }]);
    expect(first.source).toMatchObject({ line: 3, endLine: 18 });

    const running = only(second.containers);
    expect(running.state).toMatchObject({ kind: "running", source: { file: name, line: 22 } });
    expect(iso(running.state!.startedAtMs)).toBe("2021-12-14T03:45:38.000Z");
    expect(running.limitBytes).toBe(500 * 1024 * 1024);
    expect(running.limitSource).toEqual({ file: name, line: 28 });
    expect(running.restartCount).toBe(0);

    // the poster's headings are not describe output
    expect(facts.diagnostics.map((d) => [d.code, d.at.line, d.at.endLine])).toEqual([
      ["kubectl-describe/unplaced-line", 1, 2],
      ["kubectl-describe/unplaced-line", 20, 21],
    ]);
  });
});

describe("realworld 34: gatekeeper fragment with odd spacing and a mangled events section", () => {
  it("reads the container and warns about the events remnant without crashing", async () => {
    const { name, text } = realworld("34");
    const facts = await parse(name, text);
    const pod = only(facts.pods);
    expect(pod.name).toBeNull();
    const c = only(pod.containers);
    expect(c.name).toBe("manager");
    expect(c.source).toEqual({ file: name, line: 2 });
    expect(c.containerId).toBe("aa235846875a7d9670a69848bd600902f62b29ff6977882ddf3ca95e868d9850");
    expect(c.image).toBe("quay.io/open-policy-agent/gatekeeper:v3.1.0-beta.0");
    expect(c.command).toEqual(["/manager"]);
    expect(c.args).toEqual(["--auditInterval=30", "--port=8443"]);
    expect(c.state).toMatchObject({ kind: "waiting", reason: "CrashLoopBackOff", source: { file: name, line: 12 } });
    expect(c.lastState).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      source: { file: name, line: 14 },
    });
    expect(iso(c.lastState!.finishedAtMs)).toBe("2019-12-10T03:57:55.000Z");
    expect(c.limitBytes).toBe(512 * 1024 * 1024);
    expect(c.requestBytes).toBe(256 * 1024 * 1024);
    expect(c.limitSource).toEqual({ file: name, line: 23 });
    expect(c.restartCount).toBe(7);
    expect(facts.events).toEqual([]);
    const w = only(facts.diagnostics);
    expect(w).toMatchObject({
      severity: "warning",
      code: "kubectl-describe/unplaced-line",
      at: { file: name, line: 28, endLine: 34 },
    });
    expect(w.message).toContain("Message");
  });
});

describe("hostile input made from real captures", () => {
  it("truncated at every line of realworld 50: never throws, never places a fact past the cut", async () => {
    const { text } = realworld("50");
    const lines = text.split("\n");
    for (let cut = 1; cut <= lines.length; cut++) {
      const facts = await parse("cut.txt", lines.slice(0, cut).join("\n"));
      for (const p of facts.pods) {
        expect(p.source.endLine!).toBeLessThanOrEqual(cut);
        for (const c of p.containers) {
          expect(c.source.line!).toBeLessThanOrEqual(cut);
          if (c.lastState) expect(c.lastState.source.line!).toBeLessThanOrEqual(cut);
          if (c.limitSource) expect(c.limitSource.line!).toBeLessThanOrEqual(cut);
        }
      }
      if (cut >= 30) expect(facts.pods[0]?.containers[0]?.lastState?.kind).toBe("terminated");
      if (cut >= 38) expect(facts.pods[0]?.containers[0]?.limitBytes).toBe(104857600);
    }
  });

  it("truncated mid-line and mid-row", async () => {
    const { text } = realworld("50");
    for (const cut of [
      text.indexOf("Exit Code:") + 6,
      text.indexOf("memory:  100Mi") + 10,
      text.indexOf("x23 over") + 3,
    ]) {
      const facts = await parse("cut.txt", text.slice(0, cut));
      expect(only(facts.pods).name).toBe("analytics-exporter-fast-d8511059e-qzptv");
    }
    const midExit = await parse("cut.txt", text.slice(0, text.indexOf("Exit Code:") + 6));
    expect(midExit.pods[0]!.containers[0]!.lastState?.exitCode).toBeNull();
  });

  it("a huge line inside a container block: warns or ignores, keeps parsing", async () => {
    const { text } = realworld("51");
    const huge = text.replace("    Ready:          False", `      ${"x".repeat(2_000_000)}\n    Ready:          False`);
    const facts = await parse("huge.txt", huge);
    const c = only(only(facts.pods).containers);
    expect(c.restartCount).toBe(16);
    expect(c.limitBytes).toBe(50 * 1024 * 1024);
  });

  it("UTF-16 captures arrive decoded, BOM included: same facts", async () => {
    const { text } = realworld("51");
    const facts = await parse("utf16.txt", `\uFEFF${text}`);
    expect(only(facts.pods).name).toBe("giant-narwhal-db7507c805-7ss9f");
    expect(facts.diagnostics).toEqual([]);
  });
});
