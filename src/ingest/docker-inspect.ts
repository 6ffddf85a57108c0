/**
 * docker-inspect: `docker inspect <container>` (also `podman inspect`, `nerdctl inspect`), a JSON
 * array of container objects, or one object alone (`docker inspect -f '{{json .}}'`), or just its
 * `State` (`docker inspect -f '{{json .State}}'`). A plain Docker container is not a pod: it
 * becomes a `PodFact` with `platform: "docker"`, no name or namespace, and one container named as
 * Docker names it (`/nightly-etl` → `nightly-etl`), so the report names the container and its
 * advice is `docker update`/`docker run --memory`, never kubectl.
 * Read: `Id`, `Name`, `State.{Status, OOMKilled, ExitCode, StartedAt, FinishedAt}`,
 * `HostConfig.{Memory, MemoryReservation}` (bytes; 0 = no limit), `HostConfig.MemorySwap` (memory +
 * swap, bytes; -1 unlimited, 0 unset), `RestartCount`,
 * `Config.{Image, Env, Entrypoint, Cmd}`, `Path`/`Args`.
 * Format: Docker Engine API `ContainerInspectResponse` (moby `api/types/container`), as printed by
 * `docker inspect` (docker CLI 20–27).
 *
 * Sample input:
 * ```json
 * [{"Id": "32f2692ba6ca2c95…", "Name": "/nightly-etl",
 *   "State": {"Status": "exited", "OOMKilled": true, "ExitCode": 137,
 *             "StartedAt": "2025-11-28T22:10:01.901223114Z", "FinishedAt": "2025-11-29T03:33:03.440012911Z"},
 *   "HostConfig": {"Memory": 536870912, "MemoryReservation": 0},
 *   "Config": {"Image": "acme/etl:2025.11", "Env": ["PYTHONUNBUFFERED=1"], "Cmd": ["etl.py", "--full"]}}]
 * ```
 */
import {
  blankPod,
  emptyFacts,
  type ContainerFact,
  type ContainerState,
  type FactSet,
  type PodFact,
} from "../model/facts.js";
import { bareContainerId, timeMs } from "./pod-json/container.js";
import { child, has, items, num, refOf, str, strings, type Ctx, type Node } from "./pod-json/tree.js";
import { readDocuments } from "./shared/documents.js";
import { looksBinary } from "./source.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** Keys only a container inspect record has: `"OOMKilled":` in `State`, `"HostConfig":`, `"GraphDriver":`. */
const INSPECT_KEY = /"(?:OOMKilled|HostConfig|GraphDriver|MountLabel|ResolvConfPath)"\s*:/;

/** JSON (an inspect record is never YAML). */
const JSON_START = /^\s*[[{]/;

/** Docker's zero time: a container that never finished. */
const ZERO_TIME = /^0001-01-01T/;

/** Lists are followed this deep. */
const MAX_DEPTH = 3;

export const dockerInspect: Ingester = {
  kind: "docker-inspect",
  description:
    "docker inspect <container> (also podman/nerdctl): OOMKilled, exit code, memory limit of a plain Docker container",

  sniff(head: string): boolean {
    return !looksBinary(head) && JSON_START.test(head) && INSPECT_KEY.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const ctx: Ctx = { file: source.path, diagnostics: facts.diagnostics, kind: "docker-inspect" };
    for (const doc of await readDocuments(source, ctx, (root) => records(root, 0).length > 0)) {
      for (const node of records(doc.root, 0)) facts.pods.push(readRecord(node, ctx));
    }
    if (facts.pods.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "docker-inspect/no-container",
        message: "no container read — expected docker inspect output with `State` and `HostConfig` — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

/** Container records in a document: objects with `State` (or a bare State with `OOMKilled`). */
function records(node: Node, depth: number): Node[] {
  if (depth > MAX_DEPTH) return [];
  if (node.type === "seq") return node.items.flatMap((i) => records(i, depth + 1));
  if (node.type !== "map") return [];
  return has(node, "State") || has(node, "OOMKilled") ? [node] : [];
}

function readRecord(node: Node, ctx: Ctx): PodFact {
  const state = has(node, "State") ? child(node, "State") : node;
  const host = child(node, "HostConfig");
  const config = child(node, "Config");
  const memory = positive(child(host, "Memory"));
  const reservation = positive(child(host, "MemoryReservation"));
  const name = str(child(node, "Name"))?.replace(/^\//, "") ?? null;
  const env = items(child(config, "Env")).flatMap((e) => {
    const text = str(e);
    const eq = text?.indexOf("=") ?? -1;
    return text !== null && eq > 0
      ? [{ name: text.slice(0, eq), value: text.slice(eq + 1), source: { file: ctx.file, line: e.line } }]
      : [];
  });
  const entry = strings(child(config, "Entrypoint"));
  const container: ContainerFact = {
    name: name ?? bareContainerId(child(node, "Id"))?.slice(0, 12) ?? "",
    init: false,
    containerId: bareContainerId(child(node, "Id")),
    image: str(child(config, "Image")),
    limitBytes: memory?.bytes ?? null,
    requestBytes: reservation?.bytes ?? null,
    limitSource: memory ? { file: ctx.file, line: memory.line } : null,
    restartCount: num(child(node, "RestartCount")),
    state: dockerState(state, ctx),
    lastState: null,
    command: entry.length > 0 ? entry : [str(child(node, "Path"))].filter((p): p is string => p !== null),
    args: has(node, "Args") ? strings(child(node, "Args")) : strings(child(config, "Cmd")),
    env,
    livenessProbe: null,
    volumeMounts: [],
    source: refOf(ctx, node, child(node, "Name")?.line ?? node.line),
    memorySwap: memorySwap(child(host, "MemorySwap"), ctx),
  };
  return blankPod(refOf(ctx, node), { platform: "docker", containers: [container] });
}

/**
 * `State` → the container's state: `exited`/`dead` are terminated (reason `OOMKilled` when Docker
 * set `OOMKilled`, else `Error` for a non-zero exit and `Completed` for 0, as the kubelet words
 * them); `running`/`restarting`/`paused` running; `created` waiting. Null without a status.
 */
function dockerState(state: Node | undefined, ctx: Ctx): ContainerState | null {
  const status = str(child(state, "Status"));
  if (state === undefined || status === null) return null;
  const exitCode = num(child(state, "ExitCode"));
  const oom = str(child(state, "OOMKilled")) === "true";
  const finished = str(child(state, "FinishedAt"));
  const terminated = status === "exited" || status === "dead";
  return {
    kind: terminated ? "terminated" : status === "created" ? "waiting" : "running",
    reason: terminated ? (oom ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error") : null,
    exitCode: terminated ? exitCode : null,
    signal: null,
    message: str(child(state, "Error")) || null,
    startedAtMs: timeMs(child(state, "StartedAt"), ctx, "State.StartedAt"),
    finishedAtMs:
      terminated && finished !== null && !ZERO_TIME.test(finished)
        ? timeMs(child(state, "FinishedAt"), ctx, "State.FinishedAt")
        : null,
    source: refOf(ctx, state, child(state, "Status")?.line ?? state.line),
  };
}

/** A byte count above 0 with its line (Docker writes 0 for "no limit"). */
function positive(node: Node | undefined): { bytes: number; line: number } | null {
  const n = num(node);
  return n !== null && n > 0 && node ? { bytes: n, line: node.line } : null;
}

/** `HostConfig.MemorySwap`: bytes of memory + swap, -1 for unlimited swap; null when 0 (unset) or absent. */
function memorySwap(node: Node | undefined, ctx: Ctx): ContainerFact["memorySwap"] {
  const n = num(node);
  return node && n !== null && (n > 0 || n === -1) ? { bytes: n, source: { file: ctx.file, line: node.line } } : null;
}
