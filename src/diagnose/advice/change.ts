/**
 * Commands that change a workload's pod template and keep what it already has:
 * `kubectl set resources` (requests move with the limit on a Guaranteed pod, so it stays
 * Guaranteed), `kubectl set env` with the variable's full new value, a strategic-merge
 * `kubectl patch` where `set` cannot say it (args, probes, volumes, sidecar annotations:
 * containers and volumes merge by name), `docker update` for a plain Docker container, and
 * save-edit-replace for templates that cannot change in place (a Job, a bare Pod).
 *
 * A new value that holds a secret-looking part (a `-Djavax.net.ssl.trustStorePassword=…` kept
 * from the current value) is never retyped: the report redacts it, and a pasted `[REDACTED]`
 * would replace the real password. Such a change is a `kubectl edit` with the edit in words.
 */
import { holdsSecret } from "../../util/redact.js";
import { toQuantity } from "../sizing.js";
import { formatBytes } from "../../util/format.js";
import { oneLine, shellQuote } from "./shell.js";
import type { AdviceTarget } from "./target.js";
import { templatePath, type Workload } from "./workload.js";

/** A change as printed: the command (one or more lines) and what it keeps, in words. */
export interface Change {
  command: string;
  note: string;
}

/**
 * Sets the container's memory limit and/or request (null: leave it as it is). On a Guaranteed
 * pod the request follows the limit so the pod stays Guaranteed.
 */
export function limitChange(t: AdviceTarget, limitBytes: number | null, requestBytes: number | null = null): Change {
  const request = requestBytes ?? (t.guaranteed ? limitBytes : null);
  const flags = [
    limitBytes !== null ? `--limits=memory=${toQuantity(limitBytes)}` : null,
    request !== null ? `--requests=memory=${toQuantity(request)}` : null,
  ]
    .filter(Boolean)
    .join(" ");
  if (t.platform === "docker") return dockerLimitChange(t, limitBytes, request);
  if (t.sidecar) {
    const annotations: Record<string, string> = {};
    if (limitBytes !== null) annotations[t.sidecar.limitAnnotation] = toQuantity(limitBytes);
    if (request !== null) annotations[t.sidecar.requestAnnotation] = toQuantity(request);
    const note = `${t.container} is injected by ${t.sidecar.injector}, not part of the pod template: its memory comes from the \`${Object.keys(annotations).join("`, `")}\` annotation${Object.keys(annotations).length > 1 ? "s" : ""}, read when new pods are injected.`;
    return {
      command:
        t.workload?.change === "set"
          ? templatePatch(t.ns, t.workload, null, { annotations })
          : recreateScript(t, `metadata.annotations: ${JSON.stringify(annotations)}`),
      note,
    };
  }
  const keepsQos =
    t.guaranteed && requestBytes === null ? " Requests move with the limit so the pod stays Guaranteed." : "";
  if (t.workload?.change === "set" && t.container) {
    return {
      command: `kubectl ${t.ns}set resources ${t.workload.ref} -c ${t.container} ${flags}`,
      note: `Rolls out new pods of ${t.workload.ref}.${keepsQos}`,
    };
  }
  const resources = {
    ...(limitBytes !== null ? { limits: { memory: toQuantity(limitBytes) } } : {}),
    ...(request !== null ? { requests: { memory: toQuantity(request) } } : {}),
  };
  return { command: recreateScript(t, `resources: ${JSON.stringify(resources)}`), note: `${ownerNote(t)}${keepsQos}` };
}

/**
 * Sets env var `name` to `value` (the full value, existing flags kept by the caller). `before` is
 * the current value, from which a value holding a secret gets its edit in words instead.
 */
export function envChange(t: AdviceTarget, name: string, value: string, before = ""): Change {
  if (holdsSecret(value)) return editInPlace(t, `env ${oneLine(name)}`, describeEdit(before, value));
  const assignment = `${oneLine(name)}=${shellQuote(value)}`;
  if (t.platform === "docker")
    return {
      command: `# docker cannot change a container's env: recreate it with\n#   docker run -e ${assignment} …`,
      note: "A container's environment is fixed at creation.",
    };
  if (t.workload?.change === "set" && t.container && !t.sidecar) {
    return {
      command: `kubectl ${t.ns}set env ${t.workload.ref} -c ${t.container} ${assignment}`,
      note: `Rolls out new pods of ${t.workload.ref}.`,
    };
  }
  return { command: recreateScript(t, `env: ${name}=${JSON.stringify(value)}`), note: ownerNote(t) };
}

/** Replaces the container's `command` or `args` list (strategic merge by container name); `before` as for {@link envChange}. */
export function argvChange(t: AdviceTarget, field: "command" | "args", argv: string[], before: string[]): Change {
  if (argv.some(holdsSecret)) return editInPlace(t, field, describeEdit(before.join(" "), argv.join(" ")));
  if (t.workload?.change === "set" && t.container) {
    return {
      command: templatePatch(t.ns, t.workload, {
        [t.init ? "initContainers" : "containers"]: [{ name: t.container, [field]: argv }],
      }),
      note: `Replaces ${t.container}'s ${field} list as a whole (strategic merge by container name).`,
    };
  }
  return { command: recreateScript(t, `${field}: ${JSON.stringify(argv)}`), note: ownerNote(t) };
}

/** The change from `before` to `after` in words, by whitespace-separated words: `replace -Xmx4g with -Xmx768m`, `add -XX:NativeMemoryTracking=summary`. */
function describeEdit(before: string, after: string): string {
  const was = before.split(/\s+/).filter(Boolean);
  const now = after.split(/\s+/).filter(Boolean);
  const removed = was.filter((w) => !now.includes(w));
  const added = now.filter((w) => !was.includes(w));
  if (added.length === 0) return removed.length === 0 ? "leave it as it is" : `remove ${removed.join(" ")}`;
  return removed.length === 0 ? `add ${added.join(" ")}` : `replace ${removed.join(" ")} with ${added.join(" ")}`;
}

/** A change to a field holding a secret-looking value: edited where it lives, the secret never printed. */
function editInPlace(t: AdviceTarget, field: string, edit: string): Change {
  const why = `The ${field} holds a secret-looking value, so the report does not retype it: ${edit} and keep the rest as it is.`;
  if (t.platform !== "docker" && t.workload?.change === "set" && t.container) {
    return {
      command: `kubectl ${t.ns}edit ${t.workload.ref}\n#   in its pod template, ${containerRef(t)} ${field}: ${oneLine(edit)}`,
      note: `${why} Saving the edit rolls out new pods of ${t.workload.ref}.`,
    };
  }
  return { command: recreateScript(t, `${field}: ${edit}`), note: `${why} ${ownerNote(t)}` };
}

/** A strategic-merge patch of the container's fields (`livenessProbe`, …), merged by container name. */
export function containerPatch(t: AdviceTarget, fields: Record<string, unknown>): Change {
  if (t.workload?.change === "set" && t.container) {
    return {
      command: templatePatch(t.ns, t.workload, {
        [t.init ? "initContainers" : "containers"]: [{ name: t.container, ...fields }],
      }),
      note: "Fields not named in the patch are kept (strategic merge by container name).",
    };
  }
  return {
    command: recreateScript(
      t,
      Object.entries(fields)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(", "),
    ),
    note: ownerNote(t),
  };
}

/** A strategic-merge patch of the pod spec's volumes (merged by volume name). */
export function volumePatch(t: AdviceTarget, volumes: Record<string, unknown>[]): Change {
  if (t.workload?.change === "set")
    return {
      command: templatePatch(t.ns, t.workload, { volumes }),
      note: "Other volumes are kept (strategic merge by volume name).",
    };
  return { command: recreateScript(t, `volumes: ${JSON.stringify(volumes)}`), note: ownerNote(t) };
}

/** `kubectl patch <workload> -p '<strategic merge patch of the pod template>'`. */
function templatePatch(
  ns: string,
  workload: Workload,
  spec: Record<string, unknown> | null,
  metadata: Record<string, unknown> | null = null,
): string {
  const template: Record<string, unknown> = {};
  if (metadata) template.metadata = metadata;
  if (spec) template.spec = spec;
  const patch = templatePath(workload).reduceRight<Record<string, unknown>>(
    (inner, key) => ({ [key]: inner }),
    template,
  );
  return `kubectl ${ns}patch ${workload.ref} -p ${shellQuote(JSON.stringify(patch))}`;
}

/** Who applies a change the target cannot take in place: its owner, or, for Docker, a new container. */
function ownerNote(t: AdviceTarget): string {
  if (t.platform === "docker")
    return "A Docker container's command, arguments and options are fixed when it is created.";
  return t.workload?.how ?? "The pod's owner is not in the bundle.";
}

/** Save, edit and replace an object whose pod template cannot change in place (Docker: recreate the container). */
function recreateScript(t: AdviceTarget, edit: string): string {
  if (t.platform === "docker")
    return `# docker cannot change this on ${t.dockerContainer ?? "the container"}: recreate it (docker run with the same image, options and volumes) with
#   ${edit}`;
  const where = containerWords(t);
  if (t.workload?.change === "static")
    return `# ${t.node ? `on node ${t.node}` : `on the pod's node (${t.pod ? `kubectl ${t.ns}get pod ${t.pod} -o wide shows it` : "the bundle does not say which"})`}: edit the static pod's manifest in /etc/kubernetes/manifests\n#   ${where}: ${edit}`;
  if (t.workload?.change === "edit")
    return `kubectl ${t.ns}edit ${t.workload.ref}\n#   in its pod template, ${where}: ${edit}`;
  const ref = t.workload?.ref ?? (t.pod ? `pod/${t.pod}` : null);
  if (!ref) return findThePod(t, where, edit);
  const file = `${ref.replace("/", "-")}.yaml`;
  return [
    `kubectl ${t.ns}get ${ref} -o yaml > ${file}`,
    `# edit ${file}: ${where}: ${edit}; drop status and metadata.resourceVersion/uid`,
    `kubectl ${t.ns}replace --force -f ${file}`,
  ].join("\n");
}

/** `kubectl get pods -A` columns that name a pod, its owner and its containers. */
const POD_COLUMNS =
  "NS:.metadata.namespace,POD:.metadata.name,OWNER:.metadata.ownerReferences[0].kind,NAME:.metadata.ownerReferences[0].name,CONTAINERS:.spec.containers[*].name";

/** `custom-columns=<POD_COLUMNS>,<more>` as one quoted shell word (`[*]` is a glob to zsh and bash's failglob). */
function columns(more: string): string {
  return shellQuote(`custom-columns=${POD_COLUMNS},${more}`);
}

/**
 * For a subject the bundle names no pod of: what is missing in words, and the command that finds
 * the pod with what the bundle does have (its UID, the killed container's ID, the node), or, with
 * none of them, no command (an empty string).
 */
function findThePod(t: AdviceTarget, where: string, edit: string): string {
  const then = `# then, in the pod template of its owner (or of the pod itself when it has none), set on ${where}: ${edit}`;
  if (t.podUid)
    return [
      `# the bundle names no pod, only its UID ${t.podUid}: this prints its namespace, name, owner and containers`,
      `kubectl get pods -A -o ${columns("UID:.metadata.uid")} | grep -F ${shellQuote(t.podUid)}`,
      then,
    ].join("\n");
  if (t.containerId) {
    const id = t.containerId.slice(0, 12);
    return [
      `# the bundle names no pod, only the killed container's ID ${id}: this prints the pod whose container (current or last terminated) has it`,
      `kubectl get pods -A -o ${columns("IDS:.status.containerStatuses[*].containerID,LAST:.status.containerStatuses[*].lastState.terminated.containerID")} | grep -F ${shellQuote(id)}`,
      then,
    ].join("\n");
  }
  if (t.node)
    return [
      `# the bundle names no pod and no container ID; the kill was on node ${t.node}${t.process ? ` (process ${t.process})` : ""}: this lists the pods of that node`,
      `kubectl get pods -A -o wide --field-selector ${shellQuote(`spec.nodeName=${t.node}`)}`,
      then,
    ].join("\n");
  return "";
}

/** `containers[name=api]` (`initContainers[…]` for an init container), or the container in words when the bundle does not name it. */
function containerWords(t: AdviceTarget): string {
  if (t.container) return containerRef(t);
  return `the container that ran ${t.process ? `process ${t.process}` : "the killed process"} (the bundle does not name it)`;
}

/** `containers[name=api]` (`initContainers[…]` for an init container); callers check the name is known. */
function containerRef(t: AdviceTarget): string {
  return `${t.init ? "initContainers" : "containers"}[name=${t.container}]`;
}

/**
 * `docker update` of a plain Docker container's memory. `--memory-swap` is memory plus swap, and
 * docker refuses a memory limit above the old `--memory-swap` unless both change, so it is set
 * too: to the new limit plus the swap the container had (`dockerSwap`), `-1` when its swap was
 * unlimited. When the bundle does not show the swap allowance, the note says so and how to read it.
 * Without the container's name or ID: no command, the missing name in words.
 */
function dockerLimitChange(t: AdviceTarget, limitBytes: number | null, request: number | null): Change {
  const name = t.dockerContainer;
  if (!name)
    return {
      command: "",
      note: "The bundle names no Docker container (no docker inspect record, no container ID in the memcg path): `docker ps -a --filter status=exited` lists the stopped ones; then `docker update --memory=… --memory-swap=…` on it.",
    };
  if (limitBytes === null)
    return {
      command: `docker update --memory-reservation=${dockerSize(request ?? 0)} ${name}`,
      note: "A soft limit docker reclaims toward under memory pressure.",
    };
  const size = dockerSize(limitBytes);
  const swap = t.dockerSwap;
  if (!swap) {
    return {
      command: `docker update --memory=${size} --memory-swap=${size} ${name}`,
      note: `The bundle does not show ${name}'s swap allowance (docker inspect's HostConfig.MemorySwap): \`--memory-swap\` equal to \`--memory\` turns swap off. If \`docker inspect -f '{{.HostConfig.MemorySwap}}' ${name}\` prints more than its old memory limit, add the difference to \`--memory-swap\` (-1 if it prints -1) to keep its swap.`,
    };
  }
  if (swap.allowanceBytes === null)
    return {
      command: `docker update --memory=${size} --memory-swap=-1 ${name}`,
      note: `\`--memory-swap=-1\` keeps the unlimited swap it had (${swap.from}).`,
    };
  if (swap.allowanceBytes === 0)
    return {
      command: `docker update --memory=${size} --memory-swap=${size} ${name}`,
      note: `\`--memory-swap\` equal to \`--memory\` keeps swap off, as it was (${swap.from}).`,
    };
  return {
    command: `docker update --memory=${size} --memory-swap=${dockerSize(limitBytes + swap.allowanceBytes)} ${name}`,
    note: `\`--memory-swap\` is memory plus swap: the new limit plus the ${formatBytes(swap.allowanceBytes)} of swap it had (${swap.from}), so its swap is kept.`,
  };
}

/** Docker's size syntax: `512m`, `3g`. */
function dockerSize(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3}g` : `${Math.ceil(bytes / 1024 ** 2)}m`;
}
