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
}

/** `/docker/<id>`, `docker-<id>.scope` (cgroupfs and systemd drivers of dockerd). */
const DOCKER_MEMCG = /(?:^|\/)docker[/-]([0-9a-f]{12,64})(?:\.scope)?(?:\/|$)/;
/** `/kubepods…` memcg paths (cgroupfs and systemd drivers). */
const KUBEPODS_MEMCG = /kubepods/;

/** Builds the advice target of a subject. */
export function adviceTarget(s: SubjectFacts, kills: Kill[]): AdviceTarget {
  const c = s.container;
  const memcgs = [...kills.map((k) => k.memcg), ...s.kernelKills.map((k) => k.taskMemcg)].filter((m): m is string => Boolean(m));
  const inspected = s.pod?.platform === "docker";
  const docker = s.pod === null || inspected ? memcgs.map((m) => DOCKER_MEMCG.exec(m)).find(Boolean) : null;
  const kube = !inspected && (s.pod !== null || s.subject.podUid !== null || memcgs.some((m) => KUBEPODS_MEMCG.test(m)));
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
    guaranteed: s.pod?.qosClass === "Guaranteed" || (c !== null && c.limitBytes !== null && c.requestBytes === c.limitBytes),
    restarted: restarts > 0 || terminatedBefore,
    sidecar: injectedSidecar(c),
    // `docker inspect` names the container (its Name); else the short ID from the memcg path.
    dockerContainer: platform === "docker" ? word(inspected && s.subject.container ? s.subject.container : ((s.subject.containerId ?? docker?.[1] ?? null)?.slice(0, 12) ?? null)) : null,
  };
}
