/** podJson on the real captures of ../shared/realworld (npm run test:shared). */
import { describe, it, expect } from "vitest";
import { podJson } from "../../src/ingest/pod-json.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { realworldText as readRealworld } from "../realworld.js";
import { codes, expectLinesPointAtNodes, lineWhere, ms, only, parseText } from "./pod-json-helpers.js";

describe("pod-json sniff on real captures", () => {
  const REAL_PODS = [
    "20-k8s24122-docker-error137-containerStatuses.pod.yaml",
    "30-flux2-2045-helm-controller-lens-yaml-status-FRAGMENT.pod.yaml",
    "52-troubleshoot-bundle-oomkill-job.pods.json",
  ];
  const REAL_OTHERS = [
    "02-cadvisor-global-3.13-gce-kmsg.dmesg.txt",
    "03-cadvisor-docker-two-ooms-4.8-kmsg.dmesg.txt",
    "09-meituan-4.18-docker-systemd-memsw-shmem-write.dmesg.txt",
    "11-blog-zh-rhel9-k8s-v2-dmesg-Tx-sock-heavy.dmesg.txt",
    "12-lkml-udp-skmem-k8s-v2-file-heavy.memory.stat",
    "13-parseoom-debian-5.10-global-clamd-syslog.dmesg.txt",
    "16-ostep-memory-user-1000MB-pmap-x.pmap.txt",
    "18-starburst-pr1-oomkilled-300Mi-fragment.describe.txt",
    "23-k8s56891-rhel7-3.10-dmesg-T-memcg-swap-FRAGMENT.dmesg.txt",
    "26-terra-salmon-docker-nolimit-v1.memory.stat",
    "34-gatekeeper339-oomkilled-512Mi-events-mangled-fragment.describe.txt",
    "36-harvester-vm-pod-slice-nolimit-v1-clean.memory.stat",
    "50-holmes-memory-eater-crashloop.describe.txt",
    "51-holmes-tail-dev-zero-50Mi.describe.txt",
    "53-npd-legacy-two-line.kmsg.txt",
  ];

  it.each(REAL_PODS)("claims the real capture %s", (name) => {
    expect(podJson.sniff(sourceFromString(name, readRealworld(name)).head, name)).toBe(true);
  });

  it.each(REAL_OTHERS)("leaves the real capture %s to other ingesters", (name) => {
    expect(podJson.sniff(sourceFromString(name, readRealworld(name)).head, name)).toBe(false);
  });
});

describe("pod-json on real captures", () => {
  it("52: reads the PodList of a support bundle, ignoring managedFields", async () => {
    const name = "52-troubleshoot-bundle-oomkill-job.pods.json";
    const text = readRealworld(name);
    const facts = await parseText(name, text);
    expect(facts.diagnostics).toEqual([]);
    const pod = only(facts.pods);
    expect(pod).toMatchObject({
      name: "oom-kill-job3-gbb89",
      namespace: "message-oomkill-pod",
      uid: "cfb0499c-b091-402f-843f-92be406463a5",
      node: "minikube",
      qosClass: "Burstable",
      phase: "Failed",
      owner: { kind: "Job", name: "oom-kill-job3" },
      terminationGracePeriodSeconds: 30,
      startTimeMs: ms("2023-07-11T04:43:19Z"),
    });
    expect(pod.source.line).toBe(lineWhere(text, '"name": "oom-kill-job3-gbb89"'));
    const c = only(pod.containers);
    expect(c).toMatchObject({
      name: "memory-eater",
      init: false,
      containerId: "11b29810a61edf557b82d0735220ae8bc556b106e8c901a3d195f1548a0434c8",
      limitBytes: 100 * 2 ** 20,
      requestBytes: 100 * 2 ** 20,
      restartCount: 0,
      args: ["75Mi", "0", "30Mi", "80", "1"],
      lastState: null,
    });
    expect(c.state).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      finishedAtMs: ms("2023-07-11T04:43:25Z"),
    });
    expect(c.state!.source.line).toBe(lineWhere(text, '"terminated": {'));
    expect(c.limitSource!.line).toBe(lineWhere(text, '"memory": "100Mi"'));
    expect(c.source.line).toBe(lineWhere(text, '"name": "memory-eater"'));
    expectLinesPointAtNodes(text, facts);
  });

  it("20: reads an indented containerStatuses fragment and warns that the name is unknown", async () => {
    const name = "20-k8s24122-docker-error137-containerStatuses.pod.yaml";
    const text = readRealworld(name);
    const facts = await parseText(name, text);
    const pod = only(facts.pods);
    expect(pod.name).toBeNull();
    const c = only(pod.containers);
    expect(c.name).toBe("");
    expect(c.containerId).toBe("4118bee6a08b4bd41bed8d6c2e377d0fa7857dd26d1a51b4be70f3cae4c61098");
    expect(c.image).toBe("busybox");
    expect(c.state).toBeNull();
    expect(c.lastState).toMatchObject({
      kind: "terminated",
      reason: "Error",
      exitCode: 137,
      finishedAtMs: ms("2016-04-11T23:52:49Z"),
    });
    expect(c.lastState!.source.line).toBe(lineWhere(text, "terminated:"));
    expect(codes(facts)).toContain("pod-json/container-name-missing");
    expect(codes(facts)).toContain("pod-json/fragment");
    for (const d of facts.diagnostics) expect(d.at).toMatchObject({ file: name, line: expect.any(Number) });
  });

  it("30: repairs a Lens YAML fragment starting mid-conditions and reads the OOMKilled lastState", async () => {
    const name = "30-flux2-2045-helm-controller-lens-yaml-status-FRAGMENT.pod.yaml";
    const text = readRealworld(name);
    const facts = await parseText(name, text);
    const pod = only(facts.pods);
    expect(pod.qosClass).toBe("Burstable");
    expect(pod.startTimeMs).toBe(ms("2021-11-02T11:08:39Z"));
    const c = only(pod.containers);
    expect(c).toMatchObject({
      name: "manager",
      restartCount: 1,
      image: "ghcr.io/fluxcd/helm-controller:v0.12.1",
      containerId: "239ad9d16635214c74783238b4b988b6a9d8d58c98f80685d44a1f3860b16d9b",
    });
    expect(c.lastState).toMatchObject({
      kind: "terminated",
      reason: "OOMKilled",
      exitCode: 137,
      startedAtMs: ms("2021-11-02T11:08:40Z"),
      finishedAtMs: ms("2021-11-02T17:40:29Z"),
      containerId: "cade40be4eed8b023aac03c38089977167c0bad3567897ae5f4d116e0b381b8c",
    });
    expect(c.state).toMatchObject({ kind: "running", startedAtMs: ms("2021-11-02T17:40:30Z") });
    expect(c.lastState!.source.line).toBe(lineWhere(text, "terminated:"));
    expect(c.state!.source.line).toBe(lineWhere(text, "running:"));
    const fragment = facts.diagnostics.find((d) => d.code === "pod-json/fragment");
    const readFrom = lineWhere(text, "hostIP:");
    expect(fragment?.at.line).toBe(readFrom);
    expect(fragment?.message).toContain(`read from line ${readFrom}`);
    expect(codes(facts)).not.toContain("pod-json/container-name-missing");
    expectLinesPointAtNodes(text, facts);
  });
});
