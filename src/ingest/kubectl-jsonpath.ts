/**
 * kubectl-jsonpath: one field of a pod saved on its own, as `kubectl get pod … -o jsonpath=…`,
 * `… -o json | jq -r '…'` or `yq '…'` print it: a termination's `reason` (`OOMKilled`), its
 * `exitCode` (`137`) or `message`, the pod's `status.reason` (`Evicted`) or `status.message` (the
 * kubelet's eviction message). A bare word says nothing of where it came from, so the file is read
 * only when the command pasted above the value, or the file's name, names the field:
 * `$ kubectl get pod api-7d9 -n shop -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}'`,
 * or a file `lastState.terminated.reason.txt`. The pod and container are those the command names
 * (`get pod X -n Y`, `[?(@.name=="api")]`), else left unnamed. Format: kubectl's JSONPath
 * (kubernetes.io/docs/reference/kubectl/jsonpath/) over core/v1 PodStatus / ContainerStateTerminated.
 *
 * Sample input:
 * ```text
 * $ kubectl get pod api-7d9f8b6c5-x2x9q -n shop -o jsonpath='{.status.containerStatuses[?(@.name=="api")].lastState.terminated.reason}'
 * OOMKilled
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
import { warning } from "../model/source.js";
import { readCommandLine, type CommandHint } from "./shared/command-line.js";
import { parseEvictionMessage } from "./shared/eviction-message.js";
import { withEvictedContainers } from "./shared/event-eviction.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** The field a query or file name names. */
type Field =
  | {
      of: "container";
      state: "lastState" | "state";
      key: "reason" | "exitCode" | "message";
      container: string | null;
      init: boolean;
    }
  | { of: "pod"; key: "reason" | "message" };

// The `status.…` path of a query anywhere in a command (`{.status.…}`, `'.status.…'`, `.items[0].status.…`).
const QUERY = /(?:^|[^\w.])\.?status\.([^\s}|,']+)/;
const CONTAINER_FIELD =
  /^(init)?[cC]ontainerStatuses(?:\[([^\]]*)\])?\.(lastState|state)\.terminated\.(reason|exitCode|message)$/;
const POD_FIELD = /^(reason|message)$/;
// A JSONPath filter naming the container: `[?(@.name=="api")]`, `[?(@.name=='api')]`; jq `select(.name=="api")` is not followed.
const NAME_FILTER = /@\.name\s*==\s*["']([^"']+)["']/;
// A file named for its field: `lastState.terminated.reason.txt`, `api.state.terminated.exitCode`, `status.message.out`.
const FILE_FIELD =
  /(?:^|[^A-Za-z])(?:(lastState|state)\.terminated\.(reason|exitCode|message)|status\.(reason|message))(?:\.(?:txt|out|log))?$/;

const REASON = /^[A-Z][A-Za-z]{1,40}$/;
const EXIT_CODE = /^\d{1,3}$/;
const BLANK = /^\s*$/;
const POD_RESOURCE = /^(?:po|pods?)$/i;
const NEWLINE = /\r?\n/;

/** A message longer than this is not one field. */
const MAX_VALUE_CHARS = 16_384;

/** The `kubectl-jsonpath` ingester (a field of a pod, named by its command or file name). */
export const kubectlJsonpath: Ingester = {
  kind: "kubectl-jsonpath",
  description: "One pod field saved alone (-o jsonpath, jq, yq): reason, exitCode, eviction message",

  /** True when the command above the value, or the file's name, names a field and the value fits it. */
  sniff(head: string, path: string): boolean {
    return read(head, path) !== null;
  },

  /**
   * One pod with the field set: a container's `lastState`/`state` terminated with that reason,
   * exit code or message, or the pod's `reason`/`message` (an eviction message read into its
   * figures). Never throws; a value that does not fit its field is a warning.
   */
  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const text = await source.text();
    const found = read(text, source.path);
    if (!found) {
      facts.diagnostics.push(
        warning(
          "kubectl-jsonpath/not-a-field",
          "no single pod field read — expected a `kubectl get pod … -o jsonpath='{.status…}'` (or jq/yq) line, or a file named for the field, then its value — received something else",
          { file: source.path, line: 1 },
        ),
      );
      return facts;
    }
    facts.pods.push(podOf(found, source.path));
    return facts;
  },
};

interface Found {
  field: Field;
  value: string;
  /** Line of the value (1-based). */
  line: number;
  hint: CommandHint | null;
}

// The field and its value: from the first line's command, else from the file name.
function read(text: string, path: string): Found | null {
  const lines = text.split(NEWLINE);
  const first = lines.findIndex((l) => !BLANK.test(l));
  if (first < 0) return null;
  const hint = readCommandLine(lines[first]!);
  const query = hint ? QUERY.exec(hint.command) : null;
  if (hint && query) return valueOf(fieldOf(query[1]!, hint), lines, first + 1, hint);
  const byName = FILE_FIELD.exec(path.split("/").pop() ?? "");
  if (!byName || hint) return null;
  const field: Field = byName[1]
    ? {
        of: "container",
        state: byName[1] as "lastState" | "state",
        key: byName[2] as "reason" | "exitCode" | "message",
        container: null,
        init: false,
      }
    : { of: "pod", key: byName[3] as "reason" | "message" };
  return valueOf(field, lines, first, null);
}

// What `status.<path>` names, or null for any other field.
function fieldOf(path: string, hint: CommandHint): Field | null {
  let p = path;
  while (p.endsWith('"') || p.endsWith("'")) p = p.slice(0, -1); // the quote closing a jq/yq filter
  const c = CONTAINER_FIELD.exec(p);
  if (c)
    return {
      of: "container",
      state: c[3] as "lastState" | "state",
      key: c[4] as "reason" | "exitCode" | "message",
      container: NAME_FILTER.exec(c[2] ?? "")?.[1] ?? hint.container,
      init: c[1] !== undefined,
    };
  const pod = POD_FIELD.exec(p);
  return pod ? { of: "pod", key: pod[1] as "reason" | "message" } : null;
}

// The value after line index `from`: one word for a reason or exit code, the text for a message.
function valueOf(field: Field | null, lines: string[], from: number, hint: CommandHint | null): Found | null {
  if (!field) return null;
  const at = lines.findIndex((l, i) => i >= from && !BLANK.test(l));
  if (at < 0) return null;
  const rest = lines.slice(at).join("\n").trim();
  if (rest.length > MAX_VALUE_CHARS) return null;
  const fits =
    field.key === "reason"
      ? REASON.test(rest)
      : field.key === "exitCode"
        ? EXIT_CODE.test(rest)
        : field.of === "container" || parseEvictionMessage(rest, { file: "" }) !== null;
  return fits ? { field, value: rest, line: at + 1, hint } : null;
}

function podOf(found: Found, file: string): PodFact {
  const source = { file, line: found.line };
  const { field, value, hint } = found;
  const named = hint?.resource != null && POD_RESOURCE.test(hint.resource);
  const pod = blankPod(source, { name: named ? hint!.name : null, namespace: hint?.namespace ?? null });
  if (field.of === "pod") {
    if (field.key === "reason")
      return withEvictedContainers({ ...pod, reason: value, phase: value === "Evicted" ? "Failed" : null });
    return withEvictedContainers({ ...pod, message: value, eviction: parseEvictionMessage(value, source) });
  }
  const state: ContainerState = {
    kind: "terminated",
    reason: field.key === "reason" ? value : null,
    exitCode: field.key === "exitCode" ? Number(value) : null,
    signal: null,
    message: field.key === "message" ? value : null,
    startedAtMs: null,
    finishedAtMs: null,
    source,
  };
  pod.containers.push(
    blankContainer(field.container ?? "", source, {
      init: field.init,
      state: field.state === "state" ? state : null,
      lastState: field.state === "lastState" ? state : null,
    }),
  );
  return pod;
}
