/**
 * Advice that is right: limits never below what was seen in use, commands that target the
 * workload a user edits and keep what it already has, runtime tooling only for its runtime,
 * and a concrete step for every cause. Subjects are hand-built (builders.ts), one quirk each.
 */
import { describe, expect, it } from "vitest";
import type { SubjectFacts } from "../../src/correlate/index.js";
import { buildKills } from "../../src/correlate/kills.js";
import { advise } from "../../src/diagnose/actions.js";
import { resolveWorkload } from "../../src/diagnose/advice/workload.js";
import { decideEvent } from "../../src/diagnose/event.js";
import { recommendLimit, roundLimit, toQuantity } from "../../src/diagnose/sizing.js";
import type { EnvVar } from "../../src/model/facts.js";
import type { CauseId, Kill, UsageSeries } from "../../src/model/incident.js";
import { at, container, oom, pod, subject, terminated } from "./builders.js";

const MI = 1024 ** 2;
const GI = 1024 ** 3;

function env(name: string, value: string): EnvVar {
  return { name, value, source: at(30) };
}

/** Runs the advice for `cause` on subject `s` the way diagnose does. */
function adviceFor(s: SubjectFacts, cause: CauseId, missing: string[] = []) {
  const kills = buildKills(s);
  const event = decideEvent(s, kills);
  const resizable = cause === "limit-too-low" || cause === "burst-allocation" || cause === "undetermined";
  const sizing = resizable
    ? recommendLimit({
        kills,
        containerLimit: s.container?.limitBytes ?? null,
        killedAtLimit: event === "container-oom-kill",
      })
    : null;
  const out = advise({ s, event, cause, kills, sizing, missing });
  const text = [...out.actions.flatMap((a) => [a.title, a.detail, a.command ?? ""]), out.capture.script].join("\n");
  return { ...out, sizing, text };
}

function killAt(limit: number, anon: number): Kill {
  return {
    time: "2026-06-09T11:02:17Z",
    pid: 1,
    process: "app",
    anonRssBytes: anon,
    limitBytes: limit,
    limitHit: "memory",
    memcg: "/kubepods/x",
    memcgLevel: "container",
    evidence: [{ file: "dmesg.txt", line: 3, text: "memory: usage 1048576kB, limit 1048576kB, failcnt 9" }],
  };
}

function series(p99: number, max: number): UsageSeries {
  return {
    metric: "container_memory_working_set_bytes",
    evidence: { file: "ws.csv", line: 1, text: "Time,ws" },
    limitBytes: null,
    points: [],
    restarts: [],
    kills: [],
    runs: [
      {
        start: null,
        end: null,
        minBytes: 0,
        medianBytes: p99 / 2,
        p99Bytes: p99,
        maxBytes: max,
        slopeBytesPerSec: 0,
        r2: 0,
        timeToLimitSec: null,
      },
    ],
    stepSec: 60,
  };
}

describe("sizing", () => {
  it("states its basis in one line with the numbers used", () => {
    expect(recommendLimit({ kills: [killAt(GI, 900 * MI)], containerLimit: GI })!.basis).toBe(
      "no series: usage at the kill 1 GiB × 2.0 = 2 GiB → 2Gi",
    );
    const s = recommendLimit({
      kills: [killAt(2 * GI, 1.9 * GI)],
      containerLimit: 2 * GI,
      usage: series(1.953 * GI, 2 * GI),
    })!;
    expect(s.basis).toBe("p99 working set 1.95 GiB × 1.5 = 2.93 GiB → 3Gi");
    expect(s.quantity).toBe("3Gi");
  });

  it("sizes nothing from a victim's RSS alone when the current limit is unknown (bitnami/charts#30302: one of many httpd workers)", () => {
    // `Killed process 3085741 (httpd) … anon-rss:9032kB` with no memory: usage/limit line and no pod spec:
    // 2 × 13 MiB would be 64Mi, below the limit a WordPress pod of many workers has.
    const victimOnly: Kill = {
      ...killAt(GI, 9032 * 1024),
      limitBytes: null,
      limitHit: null,
      memcg: null,
      memcgLevel: null,
    };
    expect(recommendLimit({ kills: [victimOnly], containerLimit: null, killedAtLimit: true })).toBeNull();
    // With the limit known, or the memcg at its limit in the report, it sizes as before.
    expect(recommendLimit({ kills: [victimOnly], containerLimit: 512 * MI, killedAtLimit: true })!.quantity).toBe(
      "1Gi",
    );
    expect(recommendLimit({ kills: [killAt(GI, 900 * MI)], containerLimit: null })!.quantity).toBe("2Gi");
  });

  it("never recommends less than the usage at the kill (or the series max) plus headroom, nor the limit it was killed at", () => {
    for (const limitMi of [128, 256, 512, 768, 1000, 1024, 1536, 2048, 3000, 4096, 10_000]) {
      for (const p99Share of [0.05, 0.3, 0.6, 0.9, 1.0]) {
        const limit = limitMi * MI;
        const s = recommendLimit({
          kills: [killAt(limit, limit * 0.97)],
          containerLimit: limit,
          usage: series(limit * p99Share, limit * Math.max(p99Share, 0.99)),
        })!;
        expect(s.recommendedLimitBytes).toBeGreaterThan(limit);
        expect(s.recommendedLimitBytes).toBeGreaterThanOrEqual(limit * 1.15);
        expect(s.recommendedLimitBytes).toBeGreaterThanOrEqual(s.floorBytes!);
      }
    }
  });

  it("says when the p99 basis falls below the floor, and compares with KRR and a VPA", () => {
    const s = recommendLimit({
      kills: [killAt(GI, GI)],
      containerLimit: GI,
      usage: series(358 * MI, 500 * MI),
      vpa: { targetBytes: 1.4 * GI, upperBoundBytes: 2.1 * GI },
    })!;
    expect(s.basis).toMatch(
      /^p99 working set 358 MiB × 1\.5 = 537 MiB, below (?:usage at the kill 1 GiB|the VPA target 1\.4 GiB).* → 1536Mi$/,
    );
    expect(s.comparisons!.join(" ")).toMatch(/KRR \(max \+ 15%\) would set 640Mi \(series max 500 MiB\)/);
    expect(s.comparisons!.join(" ")).toMatch(/VPA recommends target 1\.4 GiB, upper bound 2\.1 GiB/);
  });

  it("never goes under a VPA target", () => {
    const s = recommendLimit({
      kills: [killAt(GI, 900 * MI)],
      containerLimit: GI,
      vpa: { targetBytes: 3 * GI, upperBoundBytes: null },
    })!;
    expect(s.recommendedLimitBytes).toBeGreaterThanOrEqual(3 * GI);
  });

  it("rounds to quantities people write", () => {
    expect([300 * MI, 700 * MI, 1.1 * GI, 2.93 * GI, 5.2 * GI, 20 * GI].map((b) => toQuantity(roundLimit(b)))).toEqual([
      "320Mi",
      "768Mi",
      "1536Mi",
      "3Gi",
      "6Gi",
      "20Gi",
    ]);
  });
});

describe("the workload a fix targets", () => {
  const named = (owner: { kind: string; name: string } | null, name = "web-7d9c8f6b5-x2x4q") =>
    resolveWorkload(pod(container(), { name, owner }));

  it("strips the pod-template-hash of a Deployment's ReplicaSet", () => {
    expect(named({ kind: "ReplicaSet", name: "settlement-worker-7b9d6c8f4" })!.ref).toBe(
      "deployment/settlement-worker",
    );
  });

  it("finds the CronJob of a Job named <cronjob>-<schedule time>, and recreates a plain Job", () => {
    expect(named({ kind: "Job", name: "thumbs-backfill-28847000" })).toMatchObject({
      ref: "cronjob/thumbs-backfill",
      change: "set",
    });
    expect(named({ kind: "Job", name: "one-off-import" })).toMatchObject({
      ref: "job/one-off-import",
      change: "recreate",
    });
  });

  it("keeps StatefulSets and DaemonSets, edits custom controllers, and says a bare pod must be recreated", () => {
    expect(named({ kind: "StatefulSet", name: "db" })!.ref).toBe("statefulset/db");
    expect(named({ kind: "DaemonSet", name: "agent" })!.ref).toBe("daemonset/agent");
    expect(named({ kind: "Rollout", name: "web" })).toMatchObject({ change: "edit" });
    expect(named(null, "debug-shell")).toMatchObject({ ref: "pod/debug-shell", change: "recreate" });
    expect(named({ kind: "Node", name: "node-1" })).toMatchObject({ change: "static" });
  });
});

describe("commands that work as pasted", () => {
  it("raise the limit on the Deployment, with requests on a Guaranteed pod", () => {
    const c = container({ limitBytes: GI, requestBytes: GI });
    const a = adviceFor(
      subject({
        container: c,
        pod: pod(c, { qosClass: "Guaranteed" }),
        ooms: [
          oom({
            counters: [
              {
                name: "memory",
                usageBytes: GI,
                limitBytes: GI,
                failcnt: 1,
                source: at(101, "dmesg.txt"),
                text: "memory: usage 1048576kB, limit 1048576kB",
              },
            ],
          }),
        ],
      }),
      "limit-too-low",
    );
    expect(a.text).toContain(
      "kubectl -n shop set resources deployment/api -c app --limits=memory=2Gi --requests=memory=2Gi",
    );
  });

  it("edit a Job through its CronJob and never set resources on the Job", () => {
    const c = container({ restartCount: 0, state: terminated({ exitCode: 0 }) });
    const a = adviceFor(
      subject({
        container: c,
        pod: pod(c, { owner: { kind: "Job", name: "thumbs-backfill-28847000" } }),
        ooms: [oom()],
      }),
      "limit-too-low",
    );
    expect(a.text).toMatch(/set resources cronjob\/thumbs-backfill /);
    expect(a.text).not.toMatch(/set resources job\//);
  });

  it("say a bare pod must be recreated instead of `set resources pod/…`", () => {
    const c = container();
    const a = adviceFor(
      subject({ container: c, pod: pod(c, { name: "scratch", owner: null }), ooms: [oom()] }),
      "limit-too-low",
    );
    expect(a.text).toMatch(/kubectl -n shop replace --force -f pod-scratch\.yaml/);
    expect(a.text).not.toMatch(/set resources pod\//);
  });

  it("use --previous only when the container restarted", () => {
    const restarted = container({ restartCount: 2, lastState: terminated() });
    const fresh = container({ restartCount: 0, lastState: null, state: terminated({ exitCode: 0 }) });
    expect(adviceFor(subject({ container: restarted, ooms: [oom()] }), "burst-allocation").text).toContain(
      "--previous",
    );
    expect(adviceFor(subject({ container: fresh, ooms: [oom()] }), "burst-allocation").text).not.toContain(
      "--previous",
    );
  });

  it("size an injected sidecar through its injector's annotation, not set resources -c", () => {
    const proxy = container({
      name: "istio-proxy",
      image: "docker.io/istio/proxyv2:1.22.3",
      limitBytes: 256 * MI,
      requestBytes: 128 * MI,
    });
    const a = adviceFor(
      subject({
        container: proxy,
        pod: pod(proxy, { owner: { kind: "ReplicaSet", name: "checkout-5c6d7e8f9a" } }),
        ooms: [
          oom({
            victims: [{ ...oom().victims[0]!, process: "envoy", anonRssBytes: 250 * MI }],
            counters: [
              {
                name: "memory",
                usageBytes: 256 * MI,
                limitBytes: 256 * MI,
                failcnt: 1,
                source: at(101, "dmesg.txt"),
                text: "memory: usage 262144kB, limit 262144kB",
              },
            ],
          }),
        ],
      }),
      "limit-too-low",
    );
    expect(a.text).toContain(
      `kubectl -n shop patch deployment/checkout -p '{"spec":{"template":{"metadata":{"annotations":{"sidecar.istio.io/proxyMemoryLimit":"512Mi"}}}}}'`,
    );
    expect(a.text).not.toMatch(/set resources[^\n]*-c istio-proxy/);
  });

  it("merge a heap fix into the env var that holds the flag, keeping its other flags and a valid -Xms", () => {
    const c = container({
      limitBytes: GI,
      env: [
        env("JAVA_OPTS", "-Xms2g -Xmx1536m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"),
        env("SPRING_PROFILES_ACTIVE", "prod"),
      ],
    });
    const a = adviceFor(
      subject({ container: c, ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "java" }] })] }),
      "runtime-misconfigured",
    );
    expect(a.actions[0]!.command).toBe(
      "kubectl -n shop set env deployment/api -c app JAVA_OPTS='-Xms768m -Xmx768m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError'",
    );
    expect(a.text).not.toMatch(/JAVA_TOOL_OPTIONS/);
  });

  it("patch the args list when the flag is on the command line", () => {
    const c = container({ limitBytes: GI, command: ["node"], args: ["--max-old-space-size=4096", "server.js"] });
    const a = adviceFor(
      subject({ container: c, ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "node" }] })] }),
      "runtime-misconfigured",
    );
    expect(a.actions[0]!.command).toBe(
      `kubectl -n shop patch deployment/api -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","args":["--max-old-space-size=768","server.js"]}]}}}}'`,
    );
  });

  it("never retype a secret kept beside the flag: the command is an edit in place, with the edit in words", () => {
    const password = "-Djavax.net.ssl.trustStorePassword=Hunter2SuperSecret";
    const c = container({ limitBytes: GI, env: [env("JAVA_TOOL_OPTIONS", `-Xms2g -Xmx4g ${password} -XX:+UseG1GC`)] });
    const a = adviceFor(
      subject({ container: c, ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "java" }] })] }),
      "runtime-misconfigured",
    );
    expect(a.actions[0]!.command).toBe(
      "kubectl -n shop edit deployment/api\n#   in its pod template, containers[name=app] env JAVA_TOOL_OPTIONS: replace -Xms2g -Xmx4g with -Xms768m -Xmx768m",
    );
    expect(a.actions.map((x) => x.command ?? "").join("\n")).not.toContain("Hunter2");

    const args = container({
      limitBytes: GI,
      command: ["node"],
      args: ["--max-old-space-size=4096", "--db-password=Hunter2SuperSecret", "server.js"],
    });
    const b = adviceFor(
      subject({ container: args, ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "node" }] })] }),
      "runtime-misconfigured",
    );
    expect(b.actions[0]!.command).toBe(
      "kubectl -n shop edit deployment/api\n#   in its pod template, containers[name=app] args: replace --max-old-space-size=4096 with --max-old-space-size=768",
    );
    expect(b.actions.map((x) => x.command ?? "").join("\n")).not.toContain("Hunter2");
  });

  it("add GOMEMLIMIT below the limit for Go, merged NODE_OPTIONS for Node", () => {
    const go = container({ limitBytes: 2 * GI, env: [env("GOGC", "off")] });
    expect(
      adviceFor(
        subject({
          container: go,
          ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "tiles" }] })],
        }),
        "runtime-misconfigured",
      ).text,
    ).toMatch(/GOMEMLIMIT=1843MiB/);
    const node = container({
      limitBytes: GI,
      command: ["node", "server.js"],
      env: [env("NODE_OPTIONS", "--enable-source-maps")],
    });
    expect(
      adviceFor(
        subject({
          container: node,
          ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "node" }] })],
        }),
        "runtime-misconfigured",
      ).text,
    ).toContain("NODE_OPTIONS='--enable-source-maps --max-old-space-size=768'");
  });

  it("keep an earlier step's flag when a later step sets the same env var (pasting every step keeps every flag)", () => {
    const node = container({
      limitBytes: GI,
      command: ["node", "server.js"],
      env: [env("NODE_OPTIONS", "--enable-source-maps")],
    });
    const a = adviceFor(
      subject({ container: node, ooms: [oom({ counters: [], victims: [{ ...oom().victims[0]!, process: "node" }] })] }),
      "memory-leak",
    );
    const sets = a.actions.flatMap((x) => (x.command ?? "").split("\n")).filter((c) => c.includes("set env"));
    expect(sets).toEqual([
      "kubectl -n shop set env deployment/api -c app NODE_OPTIONS='--enable-source-maps --heapsnapshot-signal=SIGUSR2'",
      "kubectl -n shop set env deployment/api -c app NODE_OPTIONS='--enable-source-maps --heapsnapshot-signal=SIGUSR2 --max-old-space-size=768'",
    ]);
  });

  it("name the memory-backed volume and its mount path for tmpfs", () => {
    const c = container({ limitBytes: 2 * GI, volumeMounts: [{ name: "tile-cache", mountPath: "/var/cache/render" }] });
    const p = pod(c, { volumes: [{ name: "tile-cache", memoryBacked: true, sizeLimitBytes: null, source: at(50) }] });
    const a = adviceFor(subject({ container: c, pod: p, ooms: [oom()] }), "shared-memory");
    expect(a.text).toContain("df -h /var/cache/render");
    expect(a.text).not.toContain("/dev/shm");
  });
});

describe("names from the bundle in commands", () => {
  it("fold a line break and quote anything that is not a plain name, so no command line can be forged", () => {
    const c = container({ name: "app\nrm -rf /" });
    const a = adviceFor(
      subject({ container: c, pod: pod(c, { name: "web-1`id`" }), ooms: [oom()] }),
      "burst-allocation",
    );
    for (const action of a.actions) {
      for (const line of (action.command ?? "").split("\n")) expect(line).not.toMatch(/^rm -rf/);
    }
    expect(a.text).toContain("logs 'web-1`id`' -c 'app rm -rf /'");
  });
});

describe("runtime advice for the runtime that ran", () => {
  const jvmImage = container({ image: "eclipse-temurin:17-jre", limitBytes: GI });
  it.each(["python3", "node", "convert", "envoy"])("never gives JVM tooling for a process named %s", (process) => {
    const s = subject({ container: jvmImage, ooms: [oom({ victims: [{ ...oom().victims[0]!, process }] })] });
    for (const cause of [
      "native-memory",
      "memory-leak",
      "runtime-misconfigured",
      "limit-too-low",
      "undetermined",
    ] as CauseId[]) {
      expect(adviceFor(s, cause).text).not.toMatch(/\bjcmd\b|NativeMemoryTracking|PrintFlagsFinal/);
    }
  });

  it("gives NMT to a JVM with native growth", () => {
    const s = subject({ container: jvmImage, ooms: [oom({ victims: [{ ...oom().victims[0]!, process: "java" }] })] });
    expect(adviceFor(s, "native-memory").text).toMatch(/jcmd 1 VM\.native_memory/);
  });
});

describe("every cause", () => {
  it.each([
    "limit-too-low",
    "memory-leak",
    "burst-allocation",
    "runtime-misconfigured",
    "native-memory",
    "shared-memory",
    "kernel-memory",
    "node-overcommit",
    "not-oom",
    "undetermined",
  ] as CauseId[])("%s has at least one concrete step and a capture script with this pod's names", (cause) => {
    const a = adviceFor(subject({ ooms: [oom()] }), cause, ["the node's kernel log"]);
    expect(a.actions.length).toBeGreaterThan(0);
    expect(a.capture.script).toContain("NS=shop POD=api-7d9c-x1 CTR=app NODE=node-1");
    expect(a.text).not.toMatch(/<(?:pod|container|namespace|node|workload)>/);
  });
});

describe("Docker", () => {
  it("gives docker commands and no kubectl when there is no pod", () => {
    const dockerOom = oom({ oomMemcg: `/docker/${"d".repeat(64)}` });
    const s: SubjectFacts = {
      ...subject({ container: null, pod: null, ooms: [dockerOom] }),
      subject: { namespace: null, pod: null, podUid: null, container: null, containerId: "d".repeat(64), node: null },
    };
    for (const cause of ["limit-too-low", "memory-leak", "native-memory", "undetermined"] as CauseId[]) {
      const a = adviceFor(s, cause);
      expect(a.text).not.toMatch(/\bkubectl\b/);
      expect(a.text).toMatch(/docker /);
    }
    expect(adviceFor(s, "limit-too-low").text).toContain("docker update --memory=1g --memory-swap=1g dddddddddddd");
    expect(adviceFor(s, "limit-too-low").text).toMatch(
      /does not show dddddddddddd's swap allowance .*HostConfig\.MemorySwap/,
    );
  });

  it("a capture script that must find the container says so when Docker marked none OOMKilled", () => {
    // docker inspect of a container whose name and ID did not survive, killed in a memcg that names no container
    const s = subject({ container: null, ooms: [oom({ oomMemcg: "/system.slice" })] });
    const inspected = {
      ...s,
      pod: { ...pod(container()), containers: [], platform: "docker" as const, name: null, namespace: null, uid: null },
      subject: { ...s.subject, pod: null, namespace: null, podUid: null },
    };
    const script = adviceFor(inspected, "limit-too-low").capture.script;
    const lines = script.split("\n");
    const pick = lines.findIndex((l) => l.startsWith("C=$(docker ps"));
    expect(pick).toBeGreaterThan(0);
    expect(lines[pick + 1]).toMatch(/^\[ -n "\$C" \] \|\| echo '[^']*set C=<container name or ID>[^']*' >&2$/);
    expect(lines.findIndex((l) => l.startsWith("docker inspect"))).toBeGreaterThan(pick + 1);
  });

  const dockerSubject = (over: Partial<ReturnType<typeof container>>, counters = oom().counters): SubjectFacts => {
    const c = container({
      name: "etl",
      containerId: "e".repeat(64),
      limitBytes: 512 * MI,
      requestBytes: null,
      ...over,
    });
    const s = subject({ container: c, ooms: [oom({ oomMemcg: `/docker/${"e".repeat(64)}`, counters })] });
    return {
      ...s,
      pod: { ...s.pod!, platform: "docker", name: null, namespace: null },
      subject: { namespace: null, pod: null, podUid: null, container: "etl", containerId: "e".repeat(64), node: null },
    };
  };

  it("keeps the swap a container had: docker inspect's MemorySwap, -1, or the kernel's memory+swap limit", () => {
    const twice = adviceFor(
      dockerSubject({ memorySwap: { bytes: 1024 * MI, source: at(31, "inspect.json") } }),
      "limit-too-low",
    );
    expect(twice.text).toContain("docker update --memory=1g --memory-swap=1536m etl");
    expect(twice.text).toMatch(
      /512 MiB of swap it had \(HostConfig\.MemorySwap 1 GiB − Memory 512 MiB, inspect\.json:31\)/,
    );
    expect(
      adviceFor(dockerSubject({ memorySwap: { bytes: -1, source: at(31, "inspect.json") } }), "limit-too-low").text,
    ).toContain("docker update --memory=1g --memory-swap=-1 etl");
    const off = adviceFor(
      dockerSubject({ memorySwap: { bytes: 512 * MI, source: at(31, "inspect.json") } }),
      "limit-too-low",
    ).text;
    expect(off).toContain("docker update --memory=1g --memory-swap=1g etl");
    expect(off).toMatch(/keeps swap off, as it was/);
    const memsw = {
      name: "memory+swap" as const,
      usageBytes: 600 * MI,
      limitBytes: 812 * MI,
      failcnt: 0,
      source: at(102, "dmesg.txt"),
      text: "memory+swap: usage 614400kB, limit 831488kB, failcnt 0",
    };
    const fromKernel = adviceFor(dockerSubject({}, [...oom().counters, memsw]), "limit-too-low");
    expect(fromKernel.text).toContain("docker update --memory=1g --memory-swap=1324m etl");
    expect(fromKernel.text).toMatch(/memory\+swap limit 812 MiB − memory limit 512 MiB, dmesg\.txt:102/);
  });
});

describe("advice for a subject the bundle names no pod or container of", () => {
  const nameless = (ids: {
    podUid?: string | null;
    containerId?: string | null;
    node?: string | null;
  }): SubjectFacts => ({
    ...subject({ container: null, pod: null, ooms: [oom()] }),
    subject: {
      namespace: null,
      pod: null,
      podUid: ids.podUid ?? null,
      container: null,
      containerId: ids.containerId ?? null,
      node: ids.node ?? null,
    },
  });
  /** Command lines with a glob character (`[`, `*`, `?`) outside single quotes: zsh and bash's failglob stop on them. */
  const globsOutsideQuotes = (text: string): string[] =>
    text.split("\n").filter((l) => l.startsWith("kubectl") && /[[*?]/.test(l.replace(/'[^']*'/g, "")));
  const PLACEHOLDER = /\[name=\?\]|\bUID \?|<(?:pod|container|namespace|node|workload)>|grep(?: -F)? \.$/m;

  it("finds the pod by its UID, then says which container in words", () => {
    const a = adviceFor(nameless({ podUid: "0f0e0d0c-0b0a-4000-8000-000000000001" }), "limit-too-low");
    expect(a.text).not.toMatch(PLACEHOLDER);
    expect(a.text).toMatch(/the bundle names no pod, only its UID 0f0e0d0c-0b0a-4000-8000-000000000001/);
    expect(a.text).toMatch(
      /^kubectl get pods -A -o 'custom-columns=[^']*CONTAINERS:\.spec\.containers\[\*\]\.name[^']*' \| grep -F 0f0e0d0c-0b0a-4000-8000-000000000001$/m,
    );
    expect(globsOutsideQuotes(a.text)).toEqual([]);
    expect(a.text).toMatch(/set on the container that ran process \S+ \(the bundle does not name it\)/);
  });

  it("without a UID: by the killed container's ID, else by the node; with none of them no command", () => {
    const byId = adviceFor(nameless({ containerId: "c".repeat(64) }), "limit-too-low");
    expect(byId.text).not.toMatch(PLACEHOLDER);
    expect(byId.text).toMatch(/lastState\.terminated\.containerID' \| grep -F cccccccccccc$/m);
    expect(globsOutsideQuotes(byId.text)).toEqual([]);
    const byNode = adviceFor(nameless({ node: "node-9" }), "limit-too-low");
    expect(byNode.text).toMatch(/^kubectl get pods -A -o wide --field-selector spec\.nodeName=node-9$/m);
    const none = adviceFor(nameless({}), "limit-too-low");
    expect(none.text).not.toMatch(PLACEHOLDER);
    const raise = none.actions.find((x) => /Raise/.test(x.title));
    if (raise) expect(raise.command ?? "").not.toMatch(/kubectl|containers\[/);
  });
});
