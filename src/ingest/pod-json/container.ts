/**
 * Containers of a pod as `kubectl get pod -o json|yaml` serialises them (Kubernetes API
 * `core/v1` Container, ContainerStatus, ContainerState, Probe), joined by name into
 * `ContainerFact`s: spec (`image`, `resources`, `command`, `env`, `livenessProbe`) with status
 * (`containerID`, `restartCount`, `state`, `lastState`). A status whose spec is absent (a pasted
 * `containerStatuses:` fragment) still yields a container.
 *
 * Sample input (status side):
 * ```text
 *     lastState:
 *       terminated:
 *         containerID: containerd://9f2c…
 *         exitCode: 137
 *         finishedAt: "2024-03-07T09:14:02Z"
 *         reason: OOMKilled
 * ```
 */
import type { ContainerFact, ContainerState, EnvVar } from "../../model/facts.js";
import { parseQuantity } from "../../model/units.js";
import { parseKubeTime } from "../k8s-time.js";
import type { Ctx, Node } from "./tree.js";
import { child, describeNode, has, items, lineOf, num, refOf, str, strings, warn } from "./tree.js";

/** Runtime scheme of a `containerID`: `docker://`, `containerd://`, `cri-o://` (CRI `<type>://<id>`). */
const RUNTIME_PREFIX = /^[a-z][a-z0-9.+-]*:\/\//i;

/** The one key set in a core/v1 ContainerState, in the order we prefer if several are. */
const STATE_KINDS = ["terminated", "waiting", "running"] as const;

/**
 * Joins `spec.initContainers`/`spec.containers` with `status.initContainerStatuses`/
 * `status.containerStatuses` by name (init containers first, as describe lists them).
 * Either side may be absent. Never throws; oddities become warnings on `ctx`.
 */
export function mapContainers(spec: Node | undefined, status: Node | undefined, ctx: Ctx): ContainerFact[] {
  return [
    ...join(items(child(spec, "initContainers")), items(child(status, "initContainerStatuses")), true, ctx),
    ...join(items(child(spec, "containers")), items(child(status, "containerStatuses")), false, ctx),
  ];
}

/**
 * Bare container id: prefix stripped and lower-cased
 * (`docker://4118BEE6…` → `4118bee6…`); null for absent or empty.
 */
export function bareContainerId(node: Node | undefined): string | null {
  const id = str(node)?.trim().replace(RUNTIME_PREFIX, "").toLowerCase() ?? "";
  return id === "" ? null : id;
}

/** RFC 3339 time → epoch ms; warns `pod-json/bad-time` when a value is present but unreadable. */
export function timeMs(node: Node | undefined, ctx: Ctx, what: string): number | null {
  const text = str(node);
  if (text === null || text === "") return null;
  const ms = parseKubeTime(text);
  if (ms === null)
    warn(
      ctx,
      "bad-time",
      `${what} is not a time — expected RFC 3339 like 2016-04-11T23:52:49Z — received ${JSON.stringify(text.slice(0, 60))}`,
      node!.line,
    );
  return ms;
}

/** A memory quantity in bytes; warns `pod-json/bad-quantity` when present but unreadable. */
export function quantity(node: Node | undefined, ctx: Ctx, what: string): number | null {
  if (node?.type !== "scalar" || node.value === null || typeof node.value === "boolean") return null;
  const bytes = parseQuantity(node.value);
  if (bytes === null)
    warn(
      ctx,
      "bad-quantity",
      `${what} is not a quantity — expected e.g. 512Mi, 1G, 300000000 — received ${JSON.stringify(node.value)}`,
      node.line,
    );
  return bytes;
}

function join(specs: Node[], statuses: Node[], init: boolean, ctx: Ctx): ContainerFact[] {
  const byName = new Map<string, Node>();
  for (const st of statuses) {
    const name = str(child(st, "name"));
    if (name !== null && !byName.has(name)) byName.set(name, st);
  }
  const used = new Set<Node>();
  const out: ContainerFact[] = [];
  specs.forEach((sp, i) => {
    if (sp.type !== "map") return;
    const name = str(child(sp, "name"));
    let st = name === null ? undefined : byName.get(name);
    // A status cut before its `name:` (truncated file): same position, same count → same container.
    const unnamed = statuses[i];
    if (!st && unnamed && specs.length === statuses.length && !has(unnamed, "name") && unnamed.type === "map") {
      st = unnamed;
      warn(
        ctx,
        "container-joined-by-position",
        `status at line ${unnamed.line} has no name — expected \`name:\` — joined to container ${JSON.stringify(name ?? "")} by position`,
        unnamed.line,
      );
    }
    if (st) used.add(st);
    out.push(container(sp, st, init, ctx));
  });
  for (const st of statuses) if (st.type === "map" && !used.has(st)) out.push(container(undefined, st, init, ctx));
  return out;
}

function container(spec: Node | undefined, status: Node | undefined, init: boolean, ctx: Ctx): ContainerFact {
  const anchor = (spec ?? status)!;
  const name = str(child(spec, "name")) ?? str(child(status, "name"));
  if (name === null) {
    const what = spec ? "container" : `${init ? "initContainerStatuses" : "containerStatuses"} item`;
    warn(
      ctx,
      "container-name-missing",
      `${what} at line ${anchor.line} has no name — expected \`name:\` — received ${describeNode(anchor)}; reported with the empty name ""`,
      anchor.line,
    );
  }
  // Spec first; `status.resources` (in-place resize, 1.27+) holds the applied values and is
  // the only source when a fragment has no spec.
  const limit = child(spec, "resources", "limits", "memory") ?? child(status, "resources", "limits", "memory");
  const request = child(spec, "resources", "requests", "memory") ?? child(status, "resources", "requests", "memory");
  return {
    name: name ?? "",
    init,
    containerId: bareContainerId(child(status, "containerID")),
    image: str(child(spec, "image")) ?? str(child(status, "image")),
    limitBytes: quantity(limit, ctx, "resources.limits.memory"),
    requestBytes: quantity(request, ctx, "resources.requests.memory"),
    limitSource: limit && limit.type === "scalar" && limit.value !== null ? { file: ctx.file, line: limit.line } : null,
    restartCount: num(child(status, "restartCount")),
    state: containerState(child(status, "state"), ctx),
    lastState: containerState(child(status, "lastState"), ctx),
    command: strings(child(spec, "command")),
    args: strings(child(spec, "args")),
    env: items(child(spec, "env")).flatMap((item) => envVar(item, ctx)),
    livenessProbe: describeProbe(child(spec, "livenessProbe")),
    volumeMounts: items(child(spec, "volumeMounts")).flatMap((m) => {
      const mName = str(child(m, "name"));
      const mountPath = str(child(m, "mountPath"));
      return mName !== null && mountPath !== null ? [{ name: mName, mountPath }] : [];
    }),
    source: refOf(ctx, anchor, lineOf(anchor, "name")),
  };
}

/** `{terminated: {...}}` → ContainerState; `{}` / absent → null. Source: the line of `terminated:`. */
function containerState(node: Node | undefined, ctx: Ctx): ContainerState | null {
  if (node?.type !== "map") return null;
  for (const kind of STATE_KINDS) {
    const s = child(node, kind);
    if (s === undefined || s.type === "seq" || (s.type === "scalar" && s.value !== null)) continue;
    const state: ContainerState = {
      kind,
      reason: str(child(s, "reason")),
      exitCode: num(child(s, "exitCode")),
      signal: num(child(s, "signal")),
      message: str(child(s, "message")),
      startedAtMs: timeMs(child(s, "startedAt"), ctx, `${kind}.startedAt`),
      finishedAtMs: timeMs(child(s, "finishedAt"), ctx, `${kind}.finishedAt`),
      source: refOf(ctx, s),
    };
    const id = bareContainerId(child(s, "containerID"));
    if (id !== null) state.containerId = id;
    return state;
  }
  return null;
}

/** `env[]` item → EnvVar: literal `value` ("" when absent), null for `valueFrom` references. */
function envVar(item: Node, ctx: Ctx): EnvVar[] {
  const name = str(child(item, "name"));
  if (name === null) return [];
  const value = has(item, "value") ? (str(child(item, "value")) ?? "") : has(item, "valueFrom") ? null : "";
  return [{ name, value, source: { file: ctx.file, line: lineOf(item, "name") } }];
}

/**
 * A probe in the words `kubectl describe` uses (kubectl `pkg/describe/describe.go` DescribeProbe),
 * so both ingesters agree: `http-get http://:8085/health-check delay=0s timeout=1s period=10s
 * #success=1 #failure=3`, `exec [cat /tmp/healthy] …`, `tcp-socket :5432 …`, `grpc <pod>:9090 …`.
 * Missing numbers take the API defaults (0, 1, 10, 1, 3).
 */
function describeProbe(probe: Node | undefined): string | null {
  if (probe?.type !== "map") return null;
  const n = (key: string, dflt: number) => num(child(probe, key)) ?? dflt;
  const attrs = `delay=${n("initialDelaySeconds", 0)}s timeout=${n("timeoutSeconds", 1)}s period=${n("periodSeconds", 10)}s #success=${n("successThreshold", 1)} #failure=${n("failureThreshold", 3)}`;
  const http = child(probe, "httpGet");
  if (http) {
    const host = str(child(http, "host")) ?? "";
    const port = str(child(http, "port")) ?? "";
    const path = str(child(http, "path")) ?? "";
    const hostPort = port === "" ? host : `${host.includes(":") ? `[${host}]` : host}:${port}`;
    const scheme = (str(child(http, "scheme")) ?? "HTTP").toLowerCase();
    return `http-get ${scheme}://${hostPort}${path !== "" && !path.startsWith("/") ? "/" : ""}${path} ${attrs}`;
  }
  const exec = child(probe, "exec");
  if (exec) return `exec [${strings(child(exec, "command")).join(" ")}] ${attrs}`;
  const tcp = child(probe, "tcpSocket");
  if (tcp) return `tcp-socket ${str(child(tcp, "host")) ?? ""}:${str(child(tcp, "port")) ?? ""} ${attrs}`;
  const grpc = child(probe, "grpc");
  if (grpc) return `grpc <pod>:${str(child(grpc, "port")) ?? ""} ${str(child(grpc, "service")) ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}
