/**
 * The object whose pod template a fix must change, as `kubectl` names it. A pod's controller
 * (`Controlled By:` in `kubectl describe pod`, `metadata.ownerReferences[controller]` in the
 * pod JSON) is often not what a user edits: a Deployment's ReplicaSet is named
 * `<deployment>-<pod-template-hash>` and is replaced on every rollout; a CronJob's Job is
 * named `<cronjob>-<scheduled time in minutes since the epoch>` (8+ digits, kube-controller-manager
 * `cronjob_controllerv2.go` getJobName) and its pod template is immutable.
 *
 * Sample: owner `ReplicaSet/settlement-worker-7b9d6c8f4` → `deployment/settlement-worker`;
 * `Job/thumbs-backfill-28847000` → `cronjob/thumbs-backfill`.
 */
import type { PodFact } from "../../model/facts.js";

/** How the template of a workload can be changed. */
type ChangeMode =
  /** `kubectl set resources|env` and `kubectl patch` on `ref` roll out new pods. */
  | "set"
  /** The pod template is immutable (a Job, a bare Pod): save, edit, `kubectl replace --force`. */
  | "recreate"
  /** A static pod: edit its manifest on the node (`/etc/kubernetes/manifests`). */
  | "static"
  /** A custom controller (Argo Rollout, CloneSet, …): edit its own resource. */
  | "edit";

/** The workload to change. */
export interface Workload {
  /** kubectl's `type/name`: `deployment/api`, `cronjob/backup`, `job/import-1`, `pod/debug`. */
  ref: string;
  kind: string;
  name: string;
  change: ChangeMode;
  /** How it was resolved, in words, when it is not the pod's own controller. */
  how: string | null;
}

/** A ReplicaSet name's pod-template-hash suffix (rand.SafeEncodeString of a 32-bit hash: up to 10 chars). */
const TEMPLATE_HASH = /^(.+)-[a-z0-9]{4,10}$/;
/** A CronJob's Job: `<cronjob>-<scheduled minutes since the epoch>` (8 digits since 1990). */
const CRONJOB_JOB = /^(.+)-(\d{8,})$/;
/** A Deployment pod with no owner shown: `<deployment>-<hash>-<5 random chars>`. */
const DEPLOYMENT_POD = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/;

/** Workload kinds `kubectl set` / strategic-merge `kubectl patch` change through their pod template. */
const SETTABLE = new Set(["deployment", "statefulset", "daemonset", "replicaset", "replicationcontroller", "cronjob"]);

/** Resolves the workload of `pod`; null without a pod name. */
export function resolveWorkload(pod: PodFact | null): Workload | null {
  if (!pod?.name) return null;
  const owner = pod.owner;
  if (!owner) {
    const m = DEPLOYMENT_POD.exec(pod.name);
    if (m)
      return {
        ref: `deployment/${m[1]}`,
        kind: "Deployment",
        name: m[1]!,
        change: "set",
        how: `the bundle does not show the pod's owner; the pod name ${pod.name} has a Deployment's shape`,
      };
    return {
      ref: `pod/${pod.name}`,
      kind: "Pod",
      name: pod.name,
      change: "recreate",
      how: `${pod.name} is a bare Pod (no controller): its resources cannot be changed in place, the pod must be recreated`,
    };
  }
  const kind = owner.kind.toLowerCase();
  if (kind === "replicaset") {
    const m = TEMPLATE_HASH.exec(owner.name);
    return m
      ? {
          ref: `deployment/${m[1]}`,
          kind: "Deployment",
          name: m[1]!,
          change: "set",
          how: `ReplicaSet ${owner.name} belongs to Deployment ${m[1]} (pod-template-hash suffix)`,
        }
      : { ref: `replicaset/${owner.name}`, kind: "ReplicaSet", name: owner.name, change: "set", how: null };
  }
  if (kind === "job") {
    const m = CRONJOB_JOB.exec(owner.name);
    return m
      ? {
          ref: `cronjob/${m[1]}`,
          kind: "CronJob",
          name: m[1]!,
          change: "set",
          how: `Job ${owner.name} was created by CronJob ${m[1]} (schedule-time suffix ${m[2]}); the next runs take the change`,
        }
      : {
          ref: `job/${owner.name}`,
          kind: "Job",
          name: owner.name,
          change: "recreate",
          how: `a Job's pod template is immutable: Job ${owner.name} must be recreated`,
        };
  }
  if (kind === "node")
    return {
      ref: `pod/${pod.name}`,
      kind: "Pod",
      name: pod.name,
      change: "static",
      how: `${pod.name} is a static pod of node ${owner.name}: edit its manifest in /etc/kubernetes/manifests on that node`,
    };
  if (SETTABLE.has(kind))
    return { ref: `${kind}/${owner.name}`, kind: owner.kind, name: owner.name, change: "set", how: null };
  return {
    ref: `${kind}/${owner.name}`,
    kind: owner.kind,
    name: owner.name,
    change: "edit",
    how: `the pod is managed by ${owner.kind} ${owner.name}: change the pod template in that resource`,
  };
}

/**
 * The JSON path of the pod template's `spec`/`metadata` parent inside the workload, for
 * `kubectl patch`: `spec.template` for Deployments and the like, `spec.jobTemplate.spec.template`
 * for a CronJob, the object itself for a Pod.
 */
export function templatePath(w: Workload): string[] {
  const kind = w.kind.toLowerCase();
  if (kind === "cronjob") return ["spec", "jobTemplate", "spec", "template"];
  if (kind === "pod") return [];
  return ["spec", "template"];
}
