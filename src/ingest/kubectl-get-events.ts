/**
 * kubectl-get-events: the `kubectl get events` table (and `kubectl events`, 1.26+), default,
 * `-A` (NAMESPACE first) and `-o wide`. kubectl's event printer (`pkg/printers/internalversion/printers.go`
 * `printEvent`, `eventColumnDefinitions`) prints LAST SEEN, TYPE, REASON, OBJECT, MESSAGE and,
 * wide, SUBOBJECT and SOURCE before MESSAGE, FIRST SEEN, COUNT and NAME after it. OBJECT is
 * `<lower-case kind>/<name>`; LAST SEEN is an age, with `(x<count> over <age>)` for a repeated
 * event; SOURCE is `<component>, <host>`. The pre-1.14 layout (LAST SEEN, FIRST SEEN, COUNT,
 * NAME, KIND, SUBOBJECT, TYPE, REASON, SOURCE, MESSAGE) is read too. Each row is a `KubeEvent`;
 * ages stay text (`ageText`), since the table does not say when it was printed. Two rows say
 * more: node-problem-detector's `OOMKilling` carries the kernel's `Killed process` line (a kill,
 * `shared/event-oom.ts`), and `Evicted` makes its pod known as evicted (`shared/event-eviction.ts`).
 *
 * Sample input (kubectl 1.30, `kubectl get events -A`):
 * ```text
 * NAMESPACE   LAST SEEN   TYPE      REASON      OBJECT                            MESSAGE
 * shop        4m12s       Warning   Evicted     pod/cart-7d9fb8c6d5-kq2lm         The node was low on resource: memory. Threshold quantity: 100Mi, available: 64412Ki. Container cart was using 2210044Ki, request is 256Mi, has larger consumption of memory.
 * ```
 */
import { emptyFacts, type FactSet, type KubeEvent } from "../model/facts.js";
import { isNone } from "./kubectl-describe/text.js";
import { parseEvictionMessage } from "./shared/eviction-message.js";
import { tableRows, type TableSpec, type TakeTokens } from "./shared/kubectl-table.js";
import type { ArtifactSource, Ingester } from "./types.js";
import { EventBudget } from "./shared/event-budget.js";

/** Column names of the current and the pre-1.14 event tables. */
const COLUMNS = [
  "NAMESPACE",
  "LAST SEEN",
  "FIRST SEEN",
  "COUNT",
  "NAME",
  "KIND",
  "SUBOBJECT",
  "TYPE",
  "REASON",
  "OBJECT",
  "SOURCE",
  "MESSAGE",
] as const;
const REQUIRED = ["LAST SEEN", "TYPE", "REASON", "MESSAGE"] as const;

/** The header sniff looks for (any spacing): `LAST SEEN … TYPE … REASON`. */
const SNIFF_HEADER = /^[ \t]*(?:NAMESPACE[ \t]+)?LAST SEEN[ \t]+(?:TYPE[ \t]+REASON|FIRST SEEN[ \t]+COUNT)\b/m;

/** `5m (x12 over 50m)`: the count of a repeated event; found at its `)` looking back, so each `(x2 over` is read once. */
const REPEATED = /\)(?<=\(x(\d+) over [^)]+\))/;
/** An age, or `<unknown>`, optionally with the repeat count. */
const LAST_SEEN = /^(?:(?:\d+[smhdy])+|<unknown>|<invalid>|\d{4}-\d\d-\d\dT[\d:]+Z)(?: \(x\d+ over [^)]+\))?$/;
/** Event types. */
const TYPE = /^(?:Normal|Warning)$/;
/** OBJECT: `pod/name`, `node/name`, `replicaset.apps/name`. */
const OBJECT = /^([a-z][\w.-]*)\/(\S+)$/;

/** API kinds by the lower-case name kubectl prints in OBJECT. */
const KINDS: Record<string, string> = {
  pod: "Pod",
  node: "Node",
  replicaset: "ReplicaSet",
  deployment: "Deployment",
  statefulset: "StatefulSet",
  daemonset: "DaemonSet",
  job: "Job",
  cronjob: "CronJob",
  horizontalpodautoscaler: "HorizontalPodAutoscaler",
  persistentvolumeclaim: "PersistentVolumeClaim",
  service: "Service",
  endpoints: "Endpoints",
  namespace: "Namespace",
  verticalpodautoscaler: "VerticalPodAutoscaler",
};

const TAKE: Record<string, TakeTokens> = {
  "LAST SEEN": (t, i) => (i >= t.length ? 0 : t[i + 1]?.startsWith("(x") && t[i + 3]?.endsWith(")") ? 4 : 1),
  "FIRST SEEN": (t, i) => (i < t.length ? 1 : 0),
  SOURCE: (t, i) => (i >= t.length ? 0 : t[i]!.endsWith(",") && i + 1 < t.length ? 2 : 1),
};

const TABLE: TableSpec = {
  kind: "kubectl-get-events",
  columns: COLUMNS,
  required: REQUIRED,
  free: "MESSAGE",
  take: TAKE,
  accept: acceptRow,
};

export const kubectlGetEvents: Ingester = {
  kind: "kubectl-get-events",
  description:
    "kubectl get events [-A] [-o wide] and kubectl events: the table text (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE)",

  sniff(head: string): boolean {
    return SNIFF_HEADER.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const budget = new EventBudget("kubectl-get-events", source.path);
    for await (const { cells, command, line } of tableRows(source, TABLE, facts.diagnostics)) {
      budget.add(facts, eventOf(cells, command?.namespace ?? null, source.path, line));
    }
    budget.reportTo(facts.diagnostics);
    if (facts.events.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "kubectl-get-events/no-rows",
        message:
          "no event row read — expected a `LAST SEEN TYPE REASON OBJECT MESSAGE` header and rows under it — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

function acceptRow(c: Record<string, string>): boolean {
  const object = c["OBJECT"];
  return (
    LAST_SEEN.test(c["LAST SEEN"] ?? "") &&
    TYPE.test(c["TYPE"] ?? "") &&
    /^\w+$/.test(c["REASON"] ?? "") &&
    (object === undefined || OBJECT.test(object))
  );
}

function eventOf(c: Record<string, string>, namespace: string | null, file: string, line: number): KubeEvent {
  const object = OBJECT.exec(c["OBJECT"] ?? "");
  const lower = object ? object[1]!.split(".")[0]! : null;
  const kind = lower ? (KINDS[lower] ?? lower[0]!.toUpperCase() + lower.slice(1)) : (c["KIND"] ?? null);
  const name = object ? object[2]! : c["NAME"] && c["KIND"] ? c["NAME"] : null;
  const ns = c["NAMESPACE"] ?? namespace;
  const lastSeen = c["LAST SEEN"]!;
  const repeated = REPEATED.exec(lastSeen);
  const count =
    c["COUNT"] !== undefined && /^\d+$/.test(c["COUNT"]) ? Number(c["COUNT"]) : repeated ? Number(repeated[1]) : 1;
  return {
    type: c["TYPE"]!,
    reason: c["REASON"]!,
    message: c["MESSAGE"] ?? "",
    involved: { kind, name, namespace: kind === "Node" || ns === undefined || isNone(ns ?? "") ? null : ns },
    count,
    firstMs: null,
    lastMs: null,
    ageText: lastSeen,
    source: { file, line },
    eviction: parseEvictionMessage(c["MESSAGE"], { file, line }),
  };
}
