/**
 * runtime-misconfigured and its advice on the runtime captures beyond PrintFlagsFinal: a V8
 * heap_size_limit, an env capture's GOMEMLIMIT / NODE_OPTIONS, jcmd's reserved heap, Go MemStats.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { advise } from "../../src/diagnose/actions.js";
import runtime from "../../src/diagnose/rules/runtime-misconfigured.js";
import { goMemstats } from "../../src/ingest/go-memstats.js";
import { jcmd } from "../../src/ingest/jcmd.js";
import { nodeHeapStats } from "../../src/ingest/node-heap-stats.js";
import { runtimeEnv } from "../../src/ingest/runtime-env.js";
import { sourceFromString } from "../../src/ingest/source.js";
import type { Ingester } from "../../src/ingest/types.js";
import { at, container, context, oom, subject, terminated } from "./builders.js";

const MI = 1024 ** 2;
const GI = 1024 * MI;
const fx = (kind: string, name: string) =>
  readFileSync(new URL(`../fixtures/${kind}/${name}`, import.meta.url), "utf8");
const read = async (ing: Ingester, name: string, text: string) =>
  (await ing.parse(sourceFromString(name, text))).runtimeConfigs;

function killed(process: string, limitBytes: number, image = "registry/app:1") {
  const kill = oom({
    counters: [
      {
        name: "memory",
        usageBytes: limitBytes,
        limitBytes,
        failcnt: 1,
        source: at(101, "dmesg.txt"),
        text: `memory: usage ${limitBytes / 1024}kB, limit ${limitBytes / 1024}kB, failcnt 1`,
      },
    ],
    victims: [{ ...oom().victims[0]!, process, anonRssBytes: limitBytes - 4 * MI }],
  });
  return subject({
    container: container({ image, limitBytes, requestBytes: limitBytes, lastState: terminated() }),
    ooms: [kill],
  });
}

describe("runtime-misconfigured from runtime captures", () => {
  it("V8's heap_size_limit 4 GiB in a 1 GiB container is supported with high confidence, citing the line; the advice caps the old space below the limit", async () => {
    const s = killed("node", GI);
    s.runtimeConfigs = await read(nodeHeapStats, "heap.txt", fx("node-heap-stats", "v8-inspect.txt"));
    const ctx = context(s);
    const h = runtime.evaluate(ctx);
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(/heap_size_limit.*4\.0 GiB, 404\.7% of the 1 GiB limit/);
    expect(h.evidence[0]).toMatchObject({ file: "heap.txt", line: 8 });
    const { actions } = advise({
      s,
      event: ctx.event,
      cause: "runtime-misconfigured",
      kills: ctx.kills,
      sizing: null,
      missing: [],
    });
    expect(actions[0]!.command).toMatch(/set env deployment\/api -c app NODE_OPTIONS=--max-old-space-size=768$/);
  });

  it("GOMEMLIMIT above the limit in an env capture: supported, and the advice replaces it with a value under the limit", async () => {
    const s = killed("tiles", 2 * GI);
    s.runtimeConfigs = await read(runtimeEnv, "env.txt", "HOSTNAME=tiles-0\nGOMEMLIMIT=4GiB\nGOGC=off\nHOME=/root\n");
    const ctx = context(s);
    const h = runtime.evaluate(ctx);
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.evidence[0]).toMatchObject({ file: "env.txt", line: 2, text: "GOMEMLIMIT=4GiB" });
    const { actions } = advise({
      s,
      event: ctx.event,
      cause: "runtime-misconfigured",
      kills: ctx.kills,
      sizing: null,
      missing: [],
    });
    expect(actions[0]!.detail).toMatch(/Replaces `GOMEMLIMIT=4GiB`/);
    expect(actions[0]!.command).toMatch(/GOMEMLIMIT=1843MiB$/);
  });

  it("NODE_OPTIONS of an env capture is merged, not replaced: the other options are kept", async () => {
    const s = killed("node", 2 * GI);
    s.runtimeConfigs = await read(runtimeEnv, "env.txt", fx("runtime-env", "printenv-node-api.txt"));
    const ctx = context(s);
    const h = runtime.evaluate(ctx);
    expect(h.status).toBe("supported");
    const { actions } = advise({
      s,
      event: ctx.event,
      cause: "runtime-misconfigured",
      kills: ctx.kills,
      sizing: null,
      missing: [],
    });
    expect(actions[0]!.command).toContain("NODE_OPTIONS='--enable-source-maps --max-old-space-size=1536'");
  });

  it("GOGC=off with no GOMEMLIMIT, or a MemStats NextGC past the limit, is supported at medium", async () => {
    const off = killed("tiles", 2 * GI);
    off.runtimeConfigs = await read(runtimeEnv, "env.txt", "HOSTNAME=tiles-0\nGOGC=off\nHOME=/root\n");
    expect(runtime.evaluate(context(off))).toMatchObject({ status: "supported", confidence: "medium" });
    const next = killed("tiles", 2 * GI);
    next.runtimeConfigs = await read(goMemstats, "vars.json", fx("go-memstats", "debug-vars.json"));
    const h = runtime.evaluate(context(next));
    expect(h).toMatchObject({ status: "supported", confidence: "medium" });
    expect(h.reason).toMatch(/NextGC/);
  });

  it("jcmd's reserved Java Heap of 2 GiB in a 2 GiB container is supported; in a 4 GiB one it is rejected", async () => {
    const tight = killed("java", 2 * GI, "eclipse-temurin:17-jre");
    tight.runtimeConfigs = await read(jcmd, "nmt.txt", fx("jcmd", "nmt-summary.txt"));
    expect(runtime.evaluate(context(tight))).toMatchObject({ status: "supported", confidence: "high" });
    const roomy = killed("java", 4 * GI, "eclipse-temurin:17-jre");
    roomy.runtimeConfigs = tight.runtimeConfigs;
    expect(runtime.evaluate(context(roomy)).status).toBe("rejected");
  });

  it("a capture of another runtime is not read for the subject (no V8 limit for a java process)", async () => {
    const s = killed("java", GI, "eclipse-temurin:17-jre");
    s.runtimeConfigs = await read(nodeHeapStats, "heap.txt", fx("node-heap-stats", "v8-inspect.txt"));
    expect(runtime.evaluate(context(s)).status).not.toBe("supported");
  });
});
