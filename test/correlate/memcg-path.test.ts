import { describe, it, expect } from "vitest";
import { parseMemcgPath, type MemcgPathInfo } from "../../src/correlate/memcg-path.js";

const UID = "13e681d2-41d1-46c9-8568-f3c213e63593";
const UID_ = UID.replace(/-/g, "_");
const CID = "171f8986ba4db5307ff78b57d32b1a598221409701f52b81284e1cebeea3e8df";

const none: MemcgPathInfo = { podUid: null, containerId: null, qosClass: null, level: "other", runtime: null };

const cases: [string, string, Partial<MemcgPathInfo>][] = [
  [
    "cgroupfs burstable container",
    `/kubepods/burstable/pod${UID}/${CID}`,
    { podUid: UID, containerId: CID, qosClass: "Burstable", level: "container", runtime: null },
  ],
  [
    "cgroupfs guaranteed container (no QoS level)",
    `/kubepods/pod${UID}/${CID}`,
    { podUid: UID, containerId: CID, qosClass: "Guaranteed", level: "container" },
  ],
  [
    "cgroupfs besteffort pod",
    `/kubepods/besteffort/pod${UID}`,
    { podUid: UID, containerId: null, qosClass: "BestEffort", level: "pod" },
  ],
  [
    "cgroupfs CRI-O leaf",
    `/kubepods/burstable/pod${UID}/crio-${CID}`,
    { containerId: CID, runtime: "cri-o", level: "container" },
  ],
  [
    "systemd burstable containerd",
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${CID}.scope`,
    { podUid: UID, containerId: CID, qosClass: "Burstable", level: "container", runtime: "containerd" },
  ],
  [
    "systemd guaranteed pod slice",
    `/kubepods.slice/kubepods-pod${UID_}.slice`,
    { podUid: UID, qosClass: "Guaranteed", level: "pod", containerId: null },
  ],
  [
    "systemd besteffort docker",
    `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/docker-${CID}.scope`,
    { podUid: UID, qosClass: "BestEffort", runtime: "docker", containerId: CID, level: "container" },
  ],
  [
    "systemd CRI-O",
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/crio-${CID}.scope`,
    { runtime: "cri-o", containerId: CID, level: "container" },
  ],
  [
    "systemd CRI-O conmon sits in the pod",
    `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/crio-conmon-${CID}.scope`,
    { podUid: UID, runtime: "cri-o", containerId: null, level: "pod" },
  ],
  [
    "a sub-cgroup inside a container scope",
    `/kubepods.slice/kubepods-pod${UID_}.slice/cri-containerd-${CID}.scope/init.scope`,
    { containerId: CID, level: "container" },
  ],
  [
    "custom cgroup root (kind)",
    `/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod${UID_}.slice/cri-containerd-${CID}.scope`,
    { podUid: UID, qosClass: "Burstable", containerId: CID, level: "container" },
  ],
  [
    "static pod (hash UID without dashes)",
    "/kubepods/burstable/pod6b3a3f6c1c9e0d7c9b3f2a1e0d9c8b7a/abcdef0123456789",
    { podUid: "6b3a3f6c1c9e0d7c9b3f2a1e0d9c8b7a", containerId: "abcdef0123456789", level: "container" },
  ],
  [
    "upper-case hex is normalised",
    `/kubepods/pod${UID.toUpperCase()}/${CID.toUpperCase()}`,
    { podUid: UID, containerId: CID },
  ],
  [
    "plain docker",
    `/docker/${CID}`,
    { containerId: CID, runtime: "docker", level: "container", podUid: null, qosClass: null },
  ],
  [
    "plain docker, systemd driver",
    `/system.slice/docker-${CID}.scope`,
    { containerId: CID, runtime: "docker", level: "container", podUid: null },
  ],
  ["/kubepods alone", "/kubepods", { level: "allocatable", qosClass: null, podUid: null }],
  ["/kubepods.slice alone", "/kubepods.slice", { level: "allocatable" }],
  ["/kubepods/burstable", "/kubepods/burstable", { level: "allocatable", qosClass: "Burstable" }],
  [
    "kubepods-burstable.slice",
    "/kubepods.slice/kubepods-burstable.slice",
    { level: "allocatable", qosClass: "Burstable" },
  ],
  [
    "kubepods-besteffort.slice given without its root",
    "kubepods-besteffort.slice",
    { level: "allocatable", qosClass: "BestEffort" },
  ],
  ["a system service", "/system.slice/clamav-daemon.service", none],
  ["the user slice", "/user.slice", none],
  ["the root", "/", none],
  ["an empty path", "", none],
  ["an unknown segment under kubepods", "/kubepods/not-a-pod", { level: "other", podUid: null }],
];

describe("parseMemcgPath", () => {
  it.each(cases)("%s", (_name, path, expected) => {
    expect(parseMemcgPath(path)).toMatchObject(expected);
  });

  it("always returns the dashed pod UID, lower case", () => {
    for (const [, path] of cases) {
      const uid = parseMemcgPath(path).podUid;
      if (uid !== null && uid.length !== 32)
        expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
