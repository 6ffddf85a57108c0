/**
 * Field names and value shapes of a `kubectl describe pod` container block (kubectl
 * `pkg/describe/describe.go` `describeContainers` and helpers), shared by the container reader
 * and the fragment detection of the document reader.
 */
import { isNone } from "./text.js";

/** `containerd://<hex>`, `docker://<hex>`, `cri-o://<hex>` (core/v1 `containerID`: `<type>://<id>`). */
const CONTAINER_ID = /^[a-z0-9.-]+:\/\/(.+)$/i;

/**
 * `/path from volume-name (ro)` or `(rw,path="sub")` (`describeContainerVolumes`): with the flags when
 * the line ends in `)` (checked once by the lookahead, so no ` from ` is retried to the end), else without.
 */
const MOUNT_WITH_FLAGS = /^(?=.*\)$)(\S.*?) from (\S+) \(.*\)$/;
const MOUNT = /^(\S.*?) from (\S+)$/;

/**
 * `<set to the key 'k' in secret 's'>` / `<set to the key 'k' of config map 'c'>`, optionally `Optional: false`.
 * Up to the first `' in secret '` only (`(?:(?!X).)*`), so a value repeating it is read once.
 */
const ENV_KEY_REF = /^<set to the key '(?:(?!' (?:in secret|of config map) ').)*' (?:in secret|of config map) '.*'>/;

/** fieldRef suffix, `%s:\t%s (%s:%s)`: `POD_NAME:  web-0 (v1:metadata.name)`; the value is resolved from the pod. */
const ENV_FIELD_REF = /\(v\d[\w.]*:[^()]+\)$/;

/** resourceFieldRef suffix, `%s:\t%s (%s)`: `MEM_LIMIT:  536870912 (limits.memory)`, `node allocatable (limits.memory)`. */
const ENV_RESOURCE_REF = /\((?:limits|requests)\.[\w.-]+\)$/;

/** `Ready:` / `Started:` container fields print `True` / `False` (`printBool`). */
export const BOOLEAN = /^(?:True|False|true|false)$/;

/** Resource names under `Limits:` / `Requests:` (`SortedResourceNames`). */
export const RESOURCE_NAME = /^(?:cpu|memory|ephemeral-storage|hugepages-[\w.]+|[a-z0-9.-]+\/[a-z0-9.-]+)$/;

/** Container fields (LEVEL_2 keys). Only these open a new field when indentation is flattened. */
export const CONTAINER_FIELDS = new Set([
  "Container ID",
  "Image",
  "Image ID",
  "Port",
  "Ports",
  "Host Port",
  "Host Ports",
  "Command",
  "Args",
  "State",
  "Last State",
  "Last Termination State",
  "Ready",
  "Restart Count",
  "Started",
  "Limits",
  "Requests",
  "Liveness",
  "Readiness",
  "Startup",
  "Environment",
  "Environment Variables from",
  "Mounts",
  "Devices",
  "SeccompProfile",
  "Restart Policy",
  "Allocated Resources",
  "Resize Policy",
  "Allocated Resources Status",
  "Volume Mounts",
  "Environment Variables",
]);

/** Keys that can start a container block when a fragment has no `Containers:` header. */
export const FRAGMENT_START_FIELDS = new Set([
  "Container ID",
  "Image",
  "Image ID",
  "Command",
  "Args",
  "State",
  "Last State",
  "Last Termination State",
  "Ready",
  "Restart Count",
  "Limits",
  "Requests",
  "Liveness",
  "Environment",
  "Mounts",
  "Port",
  "Host Port",
]);

/** Pre-1.7 names of fields (`Volume Mounts:`, `Environment Variables:`). */
export const FIELD_ALIASES: Record<string, string> = {
  "Volume Mounts": "Mounts",
  "Environment Variables": "Environment",
};

/** Children of `State:` / `Last State:` (`describeStatus`). */
export const STATE_CHILDREN = new Set(["Reason", "Message", "Exit Code", "Signal", "Started", "Finished"]);

/** Fields whose children are list items (one per line, colons and all). */
export const LIST_FIELDS = new Set(["Command", "Args"]);

/** The bare, lower-case id of `containerd://57f7…` / `docker://…` / `cri-o://…`; null for `<none>` or empty. */
export function bareContainerId(value: string): string | null {
  if (isNone(value)) return null;
  const m = CONTAINER_ID.exec(value);
  return (m ? m[1]! : value).toLowerCase();
}

/** A `Mounts:` line, `/var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-6wf68 (ro)`; null otherwise. */
export function parseMount(text: string): { name: string; mountPath: string } | null {
  const m = MOUNT_WITH_FLAGS.exec(text) ?? MOUNT.exec(text);
  return m ? { name: m[2]!, mountPath: m[1]! } : null;
}

/**
 * An `Environment:` value (`describeContainerEnvVars`): literal text; null for
 * `<set to the key 'k' in secret 's'>` / `… of config map …`; the resolved value printed
 * before `(v1:metadata.name)` (fieldRef) or `(limits.memory)` (resourceFieldRef), null when
 * empty or `node allocatable`.
 */
export function envValue(value: string): string | null {
  if (ENV_KEY_REF.test(value)) return null;
  const ref = ENV_FIELD_REF.exec(value) ?? ENV_RESOURCE_REF.exec(value);
  if (ref) {
    const resolved = value.slice(0, ref.index).trim();
    return resolved === "" || resolved === "node allocatable" ? null : resolved;
  }
  return value;
}
