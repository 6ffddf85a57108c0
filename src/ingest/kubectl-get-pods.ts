/**
 * kubectl-get-pods: the `kubectl get pods` table, default and `-o wide`, with or without
 * `-A` (a NAMESPACE column first). kubectl's pod printer (`pkg/printers/internalversion/printers.go`
 * `printPod`) prints NAME, READY, STATUS, RESTARTS, AGE and, wide, IP, NODE, NOMINATED NODE,
 * READINESS GATES. STATUS is the pod's `status.reason` (`Evicted`) or the last container's
 * waiting/terminated reason (`OOMKilled`, `CrashLoopBackOff`, `Error`, `ContainerStatusUnknown`),
 * prefixed `Init:` for an init container; RESTARTS since 1.22 adds the last restart's age
 * (`3 (21s ago)`). Each row becomes a `PodFact` with one container whose name kubectl does not
 * print (empty name, as pod-json fragments have): a terminated reason is its `state`, a waiting
 * reason its `state` too, and the restart count is kept. Nothing else is invented: no exit code,
 * no times. A pasted `$ kubectl get pods -n X` line gives the namespace when the table has none.
 *
 * Sample input (kubectl 1.29, `kubectl get pods -o wide`):
 * ```text
 * NAME                          READY   STATUS      RESTARTS      AGE   IP            NODE                          NOMINATED NODE   READINESS GATES
 * checkout-6c9d8f7b5-m2x8q      0/1     OOMKilled   4 (38s ago)   25m   10.42.3.17    ip-10-0-7-21.ec2.internal     <none>           <none>
 * ```
 */
import {
  blankContainer,
  blankPod,
  emptyFacts,
  type ContainerState,
  type FactSet,
  type PodFact,
} from "../model/facts.js";
import { isNone } from "./kubectl-describe/text.js";
import { ONE, tableRows, type TableSpec, type TakeTokens } from "./shared/kubectl-table.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** Column names of the pod table (kubectl `podColumnDefinitions`), NAMESPACE added by `-A`. */
const COLUMNS = [
  "NAMESPACE",
  "NAME",
  "READY",
  "STATUS",
  "RESTARTS",
  "AGE",
  "IP",
  "NODE",
  "NOMINATED NODE",
  "READINESS GATES",
] as const;
const REQUIRED = ["NAME", "READY", "STATUS", "RESTARTS"] as const;

/** READY: `0/1`. */
const READY = /^\d+\/\d+$/;
/** RESTARTS: `3`, `3 (21s ago)`, `12 (5m3s ago)`. */
const RESTARTS = /^(\d+)(?:\s+\(\S+ ago\))?$/;
/** AGE: a HumanDuration (`25m`, `3d4h`) or `<unknown>`/`<invalid>`. */
const AGE = /^(?:\d+[smhdy])+$|^<(?:unknown|invalid)>$/;
/** A pod name (RFC 1123 subdomain). */
const POD_NAME = /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/;

/** Terminated reasons kubectl shows in STATUS (kubelet and runtime reasons). */
const TERMINATED = new Set([
  "OOMKilled",
  "Error",
  "Completed",
  "ContainerStatusUnknown",
  "ContainerCannotRun",
  "DeadlineExceeded",
  "StartError",
  "Evicted",
]);
/** Waiting reasons. */
const WAITING = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "ContainerCreating",
  "PodInitializing",
]);

/** The header line sniff looks for (any spacing). */
const SNIFF_HEADER = /^[ \t]*(?:NAMESPACE[ \t]+)?NAME[ \t]+READY[ \t]+STATUS[ \t]+RESTARTS[ \t]+AGE\b/m;

/** `RESTARTS` cells take one token, or three with `(21s ago)`. */
const TAKE: Record<string, TakeTokens> = {
  RESTARTS: (t, i) => (i < t.length ? (t[i + 1]?.startsWith("(") && t[i + 2]?.endsWith("ago)") ? 3 : 1) : 0),
  "NOMINATED NODE": ONE,
  "READINESS GATES": ONE,
};

const TABLE: TableSpec = {
  kind: "kubectl-get-pods",
  columns: COLUMNS,
  required: REQUIRED,
  free: null,
  take: TAKE,
  accept: acceptRow,
};

export const kubectlGetPods: Ingester = {
  kind: "kubectl-get-pods",
  description:
    "kubectl get pods [-A] [-o wide]: STATUS (OOMKilled, CrashLoopBackOff, Init:OOMKilled, Evicted), RESTARTS, NODE",

  sniff(head: string): boolean {
    return SNIFF_HEADER.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    for await (const { cells, command, line, text } of tableRows(source, TABLE, facts.diagnostics))
      facts.pods.push(podOf(cells, command?.namespace ?? null, source.path, line, text));
    if (facts.pods.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "kubectl-get-pods/no-rows",
        message:
          "no pod row read — expected a `NAME READY STATUS RESTARTS AGE` header and rows under it — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

function acceptRow(c: Record<string, string>): boolean {
  return (
    POD_NAME.test(c["NAME"] ?? "") &&
    READY.test(c["READY"] ?? "") &&
    RESTARTS.test(c["RESTARTS"] ?? "") &&
    (c["AGE"] === undefined || AGE.test(c["AGE"]))
  );
}

function podOf(c: Record<string, string>, namespace: string | null, file: string, line: number, text: string): PodFact {
  const source = { file, line };
  const status = c["STATUS"] ?? "";
  const init = status.startsWith("Init:");
  const reason = init ? status.slice(5) : status;
  const restarts = RESTARTS.exec(c["RESTARTS"] ?? "");
  const evicted = status === "Evicted";
  const state: ContainerState | null = evicted ? null : stateOf(reason, source);
  const container = blankContainer("", source, { init, restartCount: restarts ? Number(restarts[1]) : null, state });

  const node = c["NODE"];
  return blankPod(source, {
    name: c["NAME"]!,
    namespace: c["NAMESPACE"] ?? namespace,
    node: node !== undefined && !isNone(node) ? node : null,
    phase: evicted ? "Failed" : null,
    reason: evicted ? "Evicted" : null,
    message: evicted ? `kubectl get pods: ${text.trim()}` : null,
    containers: state || (container.restartCount ?? 0) > 0 ? [container] : [],
  });
}

// A STATUS reason as the container state kubectl derived it from.
function stateOf(reason: string, source: { file: string; line: number }): ContainerState | null {
  const kind =
    TERMINATED.has(reason) || reason.startsWith("Signal:") || reason.startsWith("ExitCode:")
      ? "terminated"
      : WAITING.has(reason)
        ? "waiting"
        : null;
  if (!kind) return null;
  const exit = /^ExitCode:(\d+)$/.exec(reason);
  const signal = /^Signal:(\d+)$/.exec(reason);
  return {
    kind,
    reason: exit || signal ? null : reason,
    exitCode: exit ? Number(exit[1]) : null,
    signal: signal ? Number(signal[1]) : null,
    message: null,
    startedAtMs: null,
    finishedAtMs: null,
    source,
  };
}
