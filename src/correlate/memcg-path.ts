/**
 * memcg paths → Kubernetes identity. The kernel's OOM report names memcgs by cgroup path
 * (`oom_memcg=`, `task_memcg=`, `Task in … limit of …`, `Memory cgroup stats for …`); the
 * kubelet lays those out by cgroup driver and QoS class (kubelet `pkg/kubelet/cm`
 * `qos_container_manager_linux.go`, `pod_container_manager_linux.go`; systemd escapes the
 * pod UID's dashes as underscores), and the runtime names the container's leaf.
 *
 * Sample input:
 * ```text
 * /kubepods/burstable/pod13e681d2-41d1-46c9-8568-f3c213e63593/171f8986ba4db5307ff78b57d32b1a598221409701f52b81284e1cebeea3e8df
 * /kubepods.slice/kubepods-pod8aa7129e_3609_4b57_86b2_f59358fbf3b9.slice/cri-containerd-427b767040b6fcfb0eeb063d61a9fe0385d743003eb4ec07d591c6806f8fe4d2.scope
 * ```
 */

/** What one memcg path says about where it sits. Unknown parts are null. */
export interface MemcgPathInfo {
  /** Canonical dashed pod UID (lower case), also when the path spells it with underscores. */
  podUid: string | null;
  /** Bare container id (lower-case hex, as the runtime printed it: 64 hex or shorter). */
  containerId: string | null;
  qosClass: "Guaranteed" | "Burstable" | "BestEffort" | null;
  /** `container` leaf, `pod` slice, `allocatable` (`/kubepods(.slice)` and its QoS tiers), else `other`. */
  level: "container" | "pod" | "allocatable" | "other";
  /** From the leaf's name: `docker-…scope`, `cri-containerd-…scope`, `crio-…scope`, `/docker/<id>`. */
  runtime: "docker" | "containerd" | "cri-o" | null;
}

// The kubelet's root: `kubepods` (cgroupfs), `kubepods.slice` (systemd), with a custom
// --cgroup-root also `kubelet-kubepods.slice`.
const KUBEPODS_ROOT = /^(?:[\w-]+-)?kubepods(?:\.slice)?$/;

// QoS tier: `burstable`, `besteffort` (cgroupfs), `kubepods-burstable.slice` (systemd).
// A systemd slice under the root, for paths given without it: `kubepods-burstable.slice`, that is
// `kubepods-` (after an optional `<root>-` prefix) then a non-empty `….slice` (see isKubepodsChild).
const KUBEPODS_CHILD_HEAD = /^(?:[\w-]+?-)??kubepods-/;
const SLICE_TAIL = /^\S+\.slice$/;

const QOS_TIER = /^(?:(?:[\w-]+-)?kubepods-)?(burstable|besteffort)(?:\.slice)?$/;

// Pod: `pod<uid>` (cgroupfs), `kubepods-pod<uid_underscored>.slice`, `kubepods-burstable-pod<uid>.slice`;
// the UID dashed or underscored, or 32 hex (static pods: a hash with no dashes).
const POD_SEGMENT =
  /^(?:(?:[\w-]+-)?kubepods-(?:(burstable|besteffort)-)?)?pod([0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{12}|[0-9a-fA-F]{32})(?:\.slice)?$/;

// Container leaf: `<id>` (cgroupfs), `docker-<id>.scope`, `cri-containerd-<id>.scope`, `crio-<id>.scope`,
// and the `<pod>.slice:cri-containerd:<id>` spelling some systemd setups show.
const CONTAINER_SEGMENT = /^(?:(docker|cri-containerd|crio)-)?([0-9a-fA-F]{12,64})(?:\.scope)?$/;
const COLON_CONTAINER = /^[^:]+\.slice:(docker|cri-containerd|crio):([0-9a-fA-F]{12,64})$/;

// CRI-O's monitor process (`crio-conmon-<id>.scope`) sits in the pod, outside any container.
const CRIO_CONMON = /^crio-conmon-[0-9a-fA-F]{12,64}(?:\.scope)?$/;

// Plain docker (no Kubernetes): `/docker/<id>`; with the systemd driver `/system.slice/docker-<id>.scope`.
const BARE_ID = /^[0-9a-f]{12,64}$/i;
const UNDERSCORE = /_/g;

const RUNTIMES: Record<string, MemcgPathInfo["runtime"]> = {
  docker: "docker",
  "cri-containerd": "containerd",
  crio: "cri-o",
};
const QOS: Record<string, MemcgPathInfo["qosClass"]> = { burstable: "Burstable", besteffort: "BestEffort" };

/**
 * Reads a memcg path. Never throws: unknown shapes give `level: "other"` and nulls.
 * `/kubepods/burstable/pod<uid>/<cid>` → {podUid, containerId, qosClass: "Burstable", level: "container", runtime: null};
 * `/kubepods.slice/kubepods-pod<uid_>.slice` → {podUid, qosClass: "Guaranteed", level: "pod"};
 * `/kubepods` → {level: "allocatable"}; `/docker/<cid>` → {containerId, level: "container", runtime: "docker"};
 * `/system.slice/sshd.service`, `/user.slice`, `/` → {level: "other"}.
 */
export function parseMemcgPath(path: string): MemcgPathInfo {
  const segments = path
    .trim()
    .split("/")
    .filter((s) => s.length > 0);
  const info: MemcgPathInfo = { podUid: null, containerId: null, qosClass: null, level: "other", runtime: null };
  let start = segments.findIndex((s) => KUBEPODS_ROOT.test(s)) + 1;
  if (start === 0) start = segments.findIndex(isKubepodsChild);
  if (start < 0) return outsideKubepods(segments, info);

  info.level = "allocatable";
  for (const seg of segments.slice(start)) {
    if (info.podUid === null) {
      const tier = QOS_TIER.exec(seg);
      if (tier && info.qosClass === null) {
        info.qosClass = QOS[tier[1]!.toLowerCase()]!;
        continue;
      }
      const pod = POD_SEGMENT.exec(seg);
      if (!pod) return { ...info, level: "other" };
      info.podUid = pod[2]!.replace(UNDERSCORE, "-").toLowerCase();
      info.qosClass = pod[1] ? QOS[pod[1]]! : (info.qosClass ?? "Guaranteed");
      info.level = "pod";
      continue;
    }
    if (CRIO_CONMON.test(seg)) return { ...info, runtime: "cri-o" };
    const leaf = containerLeaf(seg);
    if (leaf) return { ...info, ...leaf, level: "container" };
    return info;
  }
  return info;
}

// Plain docker or a runtime scope outside /kubepods: a container with no pod; anything else is "other".
function outsideKubepods(segments: string[], info: MemcgPathInfo): MemcgPathInfo {
  const last = segments[segments.length - 1];
  if (last === undefined) return info;
  if (segments.length >= 2 && segments[segments.length - 2] === "docker" && BARE_ID.test(last)) {
    return { ...info, containerId: last.toLowerCase(), runtime: "docker", level: "container" };
  }
  const leaf = containerLeaf(last);
  if (leaf && leaf.runtime !== null) return { ...info, ...leaf, level: "container" };
  return info;
}

function containerLeaf(seg: string): { containerId: string; runtime: MemcgPathInfo["runtime"] } | null {
  const m = CONTAINER_SEGMENT.exec(seg) ?? COLON_CONTAINER.exec(seg);
  if (!m) return null;
  return { containerId: m[2]!.toLowerCase(), runtime: m[1] ? RUNTIMES[m[1]]! : null };
}

/**
 * A systemd slice under the kubelet's root, `kubepods-burstable.slice` or `kubelet-kubepods-x.slice`:
 * the earliest `kubepods-` after an optional `[\w-]+-` prefix, then a tail `\S+.slice`. Two anchored
 * patterns in sequence, so a segment repeating `-kubepods-` costs linear time (one pattern with both
 * parts retried the tail at every `kubepods-`); the earliest head leaves the longest tail, so no match is lost.
 */
function isKubepodsChild(segment: string): boolean {
  const head = KUBEPODS_CHILD_HEAD.exec(segment);
  return head !== null && SLICE_TAIL.test(segment.slice(head[0].length));
}
