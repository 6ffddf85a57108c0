import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { dockerInspect } from "../../src/ingest/docker-inspect.js";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromString } from "../../src/ingest/source.js";

const FIXTURE = readFileSync(new URL("../fixtures/docker-inspect/oomkilled.json", import.meta.url), "utf8");
const parse = (text: string) => dockerInspect.parse(sourceFromString("docker-inspect.json", text));
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("docker-inspect", () => {
  it("claims docker inspect output and nothing of pod-json's", () => {
    expect(dockerInspect.sniff(FIXTURE, "x")).toBe(true);
    expect(podJson.sniff(FIXTURE, "x")).toBe(false);
    expect(dockerInspect.sniff('{"apiVersion": "v1", "kind": "Pod", "status": {"containerStatuses": []}}', "x")).toBe(
      false,
    );
    expect(dockerInspect.sniff("[ 1.0] Memory cgroup out of memory: Killed process 1 (x)", "x")).toBe(false);
  });

  it("reads a plain Docker container: its name, id, limit, OOMKilled exit and times, args and env", async () => {
    const facts = await parse(FIXTURE);
    expect(facts.diagnostics).toEqual([]);
    const pod = facts.pods[0]!;
    expect(pod).toMatchObject({ platform: "docker", name: null, namespace: null });
    const c = pod.containers[0]!;
    expect(c).toMatchObject({
      name: "render-worker",
      containerId: "5e0c1d9a77b2f4c3a8e6d1b09f7a2c4e5d6b7a8c9d0e1f2a3b4c5d6e7f809a1b",
      image: "registry.example.net/render:4.2.0",
      limitBytes: 1073741824,
      requestBytes: 805306368,
      restartCount: 2,
    });
    expect(c.limitSource?.line).toBe(lineOf(FIXTURE, '"Memory": 1073741824'));
    expect(c.state).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      finishedAtMs: Date.parse("2026-03-02T13:41:09.118Z"),
    });
    expect(c.command).toEqual(["/usr/local/bin/node", "--max-old-space-size=1536"]);
    expect(c.args).toEqual(["--max-old-space-size=1536", "server.js"]);
    expect(c.env.map((e) => [e.name, e.value])).toContainEqual(["NODE_ENV", "production"]);
  });

  it("words a non-OOM exit as the kubelet would, and reads no limit from Memory 0 or a running container's zero FinishedAt", async () => {
    const text = JSON.stringify(
      [
        {
          Id: "abc123abc123",
          Name: "/a",
          State: { Status: "exited", OOMKilled: false, ExitCode: 137, FinishedAt: "2026-01-01T00:00:00Z" },
          HostConfig: { Memory: 0 },
        },
        {
          Id: "def456def456",
          Name: "/b",
          State: { Status: "running", OOMKilled: false, ExitCode: 0, FinishedAt: "0001-01-01T00:00:00Z" },
          HostConfig: { Memory: 0 },
        },
      ],
      null,
      2,
    );
    const [a, b] = (await parse(text)).pods.map((p) => p.containers[0]!);
    expect(a).toMatchObject({ limitBytes: null, state: { kind: "terminated", reason: "Error", exitCode: 137 } });
    expect(b?.state).toMatchObject({ kind: "running", reason: null, finishedAtMs: null });
  });

  it("reads HostConfig.MemorySwap (memory + swap, -1 unlimited) with its line, and nothing from 0 (unset)", async () => {
    const rec = (swap: number) => ({
      Id: "abc123abc123",
      Name: "/a",
      State: { Status: "exited", OOMKilled: true, ExitCode: 137 },
      HostConfig: { Memory: 536870912, MemorySwap: swap },
    });
    const text = JSON.stringify([rec(1073741824), rec(-1), rec(0)], null, 2);
    const [twice, unlimited, unset] = (await parse(text)).pods.map((p) => p.containers[0]!);
    expect(twice?.memorySwap).toEqual({
      bytes: 1073741824,
      source: { file: "docker-inspect.json", line: lineOf(text, '"MemorySwap": 1073741824') },
    });
    expect(unlimited?.memorySwap?.bytes).toBe(-1);
    expect(unset?.memorySwap).toBeNull();
  });

  it("reads a bare State ({{json .State}}) and survives truncation at every line without throwing", async () => {
    const state = await parse('{"Status":"exited","OOMKilled":true,"ExitCode":137}');
    expect(state.pods[0]?.containers[0]?.state?.reason).toBe("OOMKilled");
    const lines = FIXTURE.split("\n");
    for (let i = 1; i < lines.length; i++) {
      const facts = await parse(lines.slice(0, i).join("\n"));
      for (const p of facts.pods)
        expect(p.containers[0]?.limitBytes === null || p.containers[0]?.limitBytes === 1073741824).toBe(true);
    }
    expect((await parse("[]")).diagnostics.map((d) => d.code)).toEqual(["docker-inspect/no-container"]);
  });
});

describe("docker-inspect with the kernel's report, end to end", () => {
  it("names the container, joins the kernel kill by its id, and advises docker commands only", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { runPostmortem } = await import("../../src/pipeline.js");
    const id = "5e0c1d9a77b2f4c3a8e6d1b09f7a2c4e5d6b7a8c9d0e1f2a3b4c5d6e7f809a1b";
    const dmesg = [
      `[16858.120001] node invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`,
      `[16858.120090] memory: usage 1048576kB, limit 1048576kB, failcnt 310`,
      `[16858.120130] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/docker/${id},task_memcg=/docker/${id},task=node,pid=4711,uid=1000`,
      `[16858.120170] Memory cgroup out of memory: Killed process 4711 (node) total-vm:2204880kB, anon-rss:1041200kB, file-rss:5120kB, shmem-rss:0kB, UID:1000 pgtables:2300kB oom_score_adj:0`,
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "oom-docker-"));
    try {
      writeFileSync(join(dir, "inspect.json"), FIXTURE);
      writeFileSync(join(dir, "dmesg.txt"), `${dmesg}\n`);
      const report = await runPostmortem({ bundlePath: dir });
      const inc = report.incidents[0]!;
      expect(report.incidents).toHaveLength(1);
      expect(inc.subject).toMatchObject({ container: "render-worker", pod: null });
      expect(inc.kills[0]).toMatchObject({ pid: 4711, limitBytes: 1073741824 });
      const commands = inc.actions.map((a) => a.command ?? "").join("\n");
      expect(commands).toMatch(/docker update --memory=\S+ .*render-worker/);
      expect(commands).not.toMatch(/kubectl/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
