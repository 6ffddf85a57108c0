/**
 * Who the advice is for: the platform (a Kubernetes pod, a plain Docker container, a host),
 * the workload whose template a fix changes, the container, its QoS, whether it restarted, and
 * whether it is an injected sidecar. Every command of the report is built from this, so a
 * name the bundle shows is never replaced by a `<placeholder>`.
 */
import type { SubjectFacts } from "../../correlate/index.js";
import type { Kill } from "../../model/incident.js";
import { shellQuote } from "./shell.js";
import { injectedSidecar, type Sidecar } from "./sidecar.js";
import { resolveWorkload, type Workload } from "./workload.js";
import { isUnlimited } from "../../model/units.js";
import { formatBytes } from "../../util/format.js";

/**
 * Names are shell words: artifact text folded to one line and quoted when it is not a plain
 * Kubernetes name (see `shellQuote`), so they can be pasted into commands as they are.
 */
export interface AdviceTarget {
  platform: "kubernetes" | "docker" | "host";
  /** `-n shop ` (with the trailing space) or "" when the namespace is unknown. */
  ns: string;
  namespace: string | null;
  pod: string | null;
  podUid: string | null;
  container: string | null;
  /** True for an init container (its `kubectl patch` list is `initContainers`). */
  init: boolean;
  node: string | null;
  workload: Workload | null;
  /** Guaranteed QoS (or requests = limits): memory requests must move with the limit. */
  guaranteed: boolean;
  /** True when the container restarted, so `kubectl logs --previous` has something to show. */
  restarted: boolean;
  sidecar: Sidecar | null;
  /** For Docker: the container's name or short ID. */
  dockerContainer: string | null;
  /** The killed process's name (latest kill), for finding a container the bundle does not name. */
  process: string | null;
  /** The killed container's ID (hex, runtime prefix dropped), or null. */
  containerId: string | null;
  /** For Docker: the swap the container may use on top of its memory limit, when the bundle shows it. */
  dockerSwap: DockerSwap | null;
}

/** A Docker container's swap allowance: bytes on top of `--memory` (0: swap off), or null for unlimited; `from` says where it was read. */
interface DockerSwap {
  allowanceBytes: number | null;
  from: string;
}

/** `/docker/<id>`, `docker-<id>.scope` (cgroupfs and systemd drivers of dockerd). */
const DOCKER_MEMCG = /(?:^|\/)docker[/-]([0-9a-f]{12,64})(?:\.scope)?(?:\/|$)/;
/** `/kubepods…` memcg paths (cgroupfs and systemd drivers). */
const KUBEPODS_MEMCG = /kubepods/;

/** Builds the advice target of a subject. */
export function adviceTarget(s: SubjectFacts, kills: Kill[]): AdviceTarget {
  const c = s.container;
  const memcgs = [...kills.map((k) => k.memcg), ...s.kernelKills.map((k) => k.taskMemcg)].filter((m): m is string =>
    Boolean(m),
  );
  const inspected = s.pod?.platform === "docker";
  const docker = s.pod === null || inspected ? memcgs.map((m) => DOCKER_MEMCG.exec(m)).find(Boolean) : null;
  const kube =
    !inspected && (s.pod !== null || s.subject.podUid !== null || memcgs.some((m) => KUBEPODS_MEMCG.test(m)));
  const platform = kube ? "kubernetes" : inspected || docker || s.subject.containerId ? "docker" : "host";
  const restarts = c?.restartCount ?? 0;
  const terminatedBefore = c?.lastState?.kind === "terminated";
  const word = (x: string | null): string | null => (x === null ? null : shellQuote(x));
  const workload = resolveWorkload(s.pod);
  return {
    platform,
    ns: s.subject.namespace ? `-n ${shellQuote(s.subject.namespace)} ` : "",
    namespace: word(s.subject.namespace),
    pod: word(s.subject.pod),
    podUid: word(s.subject.podUid),
    container: word(s.subject.container),
    init: c?.init ?? false,
    node: word(s.subject.node),
    workload: workload && { ...workload, ref: shellQuote(workload.ref) },
    guaranteed:
      s.pod?.qosClass === "Guaranteed" || (c !== null && c.limitBytes !== null && c.requestBytes === c.limitBytes),
    restarted: restarts > 0 || terminatedBefore,
    sidecar: injectedSidecar(c),
    // `docker inspect` names the container (its Name); else the short ID from the memcg path.
    process: word(
      [...kills]
        .reverse()
        .map((k) => k.process)
        .find((p) => p) ?? null,
    ),
    containerId: word(s.subject.containerId?.replace(/^[\w-]+:\/\//, "") ?? null),
    dockerSwap: platform === "docker" ? dockerSwap(s) : null,
    dockerContainer:
      platform === "docker"
        ? word(
            inspected && s.subject.container
              ? s.subject.container
              : ((s.subject.containerId ?? docker?.[1] ?? null)?.slice(0, 12) ?? null),
          )
        : null,
  };
}

/**
 * The swap allowance of a Docker container: `docker inspect` `HostConfig.MemorySwap` minus
 * `Memory` (-1: unlimited), else the latest kernel report's counters (cgroup v1 `memory+swap:`
 * limit minus the `memory:` limit; v2 `swap:` limit). Null when the bundle shows neither.
 */
function dockerSwap(s: SubjectFacts): DockerSwap | null {
  const c = s.container;
  const at = (ref: { file: string; line?: number }) => `${ref.file}:${ref.line ?? "?"}`;
  if (c?.memorySwap) {
    const { bytes, source } = c.memorySwap;
    if (bytes === -1) return { allowanceBytes: null, from: `HostConfig.MemorySwap -1, ${at(source)}` };
    if (c.limitBytes !== null)
      return {
        allowanceBytes: Math.max(0, bytes - c.limitBytes),
        from: `HostConfig.MemorySwap ${formatBytes(bytes)} − Memory ${formatBytes(c.limitBytes)}, ${at(source)}`,
      };
  }
  const counters = [...s.kernelKills]
    .reverse()
    .map((k) => k.oom.counters)
    .find((cs) => cs.some((x) => x.name === "memory+swap" || x.name === "swap"));
  const memory = counters?.find((x) => x.name === "memory");
  const memsw = counters?.find((x) => x.name === "memory+swap");
  const swap = counters?.find((x) => x.name === "swap");
  if (memsw && memory) {
    if (isUnlimited(memsw.limitBytes))
      return { allowanceBytes: null, from: `the kernel's unlimited memory+swap limit, ${at(memsw.source)}` };
    return {
      allowanceBytes: Math.max(0, memsw.limitBytes - memory.limitBytes),
      from: `the kernel's memory+swap limit ${formatBytes(memsw.limitBytes)} − memory limit ${formatBytes(memory.limitBytes)}, ${at(memsw.source)}`,
    };
  }
  if (swap)
    return {
      allowanceBytes: isUnlimited(swap.limitBytes) ? null : swap.limitBytes,
      from: `the kernel's swap limit, ${at(swap.source)}`,
    };
  return null;
}
