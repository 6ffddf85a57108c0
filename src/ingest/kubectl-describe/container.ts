/**
 * One container block of `kubectl describe pod` (kubectl `pkg/describe/describe.go`
 * `describeContainers`, `describeContainerState`, `describeStatus`, `describeContainerResource`,
 * `describeContainerEnvVars`, `describeContainerVolumes`), read line by line:
 * ```text
 *   memory-eater:
 *     Container ID:  containerd://57f7d9fa4a26c2c888c48ae01a57aadd7b489f5b86911a4a0c12508b83bb423c
 *     Args:
 *       80Mi
 *     State:          Waiting
 *       Reason:       CrashLoopBackOff
 *     Last State:     Terminated
 *       Reason:       OOMKilled
 *       Exit Code:    137
 *       Started:      Thu, 27 Feb 2025 07:36:21 +0100
 *       Finished:     Thu, 27 Feb 2025 07:36:22 +0100
 *     Restart Count:  6
 *     Limits:
 *       memory:  100Mi
 *     Environment:
 *       DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false
 *     Mounts:
 *       /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-6wf68 (ro)
 * ```
 * Fields sit at one indent, their children deeper. Captures whose indentation was flattened are
 * still read by key: a state child (`Exit Code:`) or a resource (`memory:`) at field level
 * is taken as a child of the open field.
 */
import { blankContainer, type ContainerFact, type ContainerState, type EnvVar } from "../../model/facts.js";
import { type Diagnostic, type SourceRef, warning } from "../../model/source.js";
import { parseQuantity } from "../../model/units.js";
import { parseKubeTime } from "../k8s-time.js";
import {
  BOOLEAN,
  bareContainerId,
  CONTAINER_FIELDS,
  envValue,
  FIELD_ALIASES,
  LIST_FIELDS,
  parseMount,
  RESOURCE_NAME,
  STATE_CHILDREN,
} from "./fields.js";
import { excerpt, isNone, type KeyValue } from "./text.js";

/** `describeStatus`: `%s:\tRunning|Waiting|Terminated`. */
const STATE_KIND = /^(Running|Waiting|Terminated)\b/i;

/** Go zero time, printed for an unset start/finish (`Mon, 01 Jan 0001 00:00:00 +0000`). */
const ZERO_TIME = /\b0001\b/;

/** A whole number (exit code, signal, restart count). */
const INTEGER = /^-?\d+$/;

/** A container being read. `fact` is the result; the rest is reading state. */
export class ContainerReader {
  readonly fact: ContainerFact;
  /** Column of this container's fields (set by the first field line). */
  fieldIndent: number | null = null;
  private field: { key: string; indent: number } | null = null;
  private state: ContainerState | null = null;
  private lastChild: "message" | "env" | null = null;
  private readonly seen = new Set<string>();

  constructor(
    name: string,
    init: boolean,
    source: SourceRef,
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.fact = blankContainer(name, source, { init });
  }

  /** True when `key` was already read as a field (a repeated `State:` starts another snapshot). */
  hasField(key: string): boolean {
    return this.seen.has(key);
  }

  /**
   * True when a line that is not `Key:` continues the open value: a multi-line terminated
   * `Message:` or environment value (kubectl prints embedded newlines as-is).
   */
  wantsContinuation(): boolean {
    return this.lastChild !== null;
  }

  /**
   * A blank line ends a multi-line environment value. A terminated `Message:` stays open: with
   * `terminationMessagePolicy: FallbackToLogsOnError` it holds a log tail, blank lines included.
   */
  endContinuation(): void {
    if (this.lastChild === "env") this.lastChild = null;
  }

  /** Appends a continuation line to the open message or environment value. */
  continueValue(text: string): void {
    const t = text.trim();
    if (this.lastChild === "message" && this.state)
      this.state.message = this.state.message ? `${this.state.message}\n${t}` : t;
    else if (this.lastChild === "env") {
      const env = this.fact.env[this.fact.env.length - 1];
      if (env && env.value !== null) env.value = `${env.value}\n${t}`;
    }
  }

  /** Reads one line of the block; returns false when it cannot place it (the caller warns). */
  feed(line: number, indent: number, trimmed: string, kv: KeyValue | null): boolean {
    if (this.fieldIndent === null) this.fieldIndent = indent;
    const atFieldLevel = indent <= this.fieldIndent;
    const flattenedChild = atFieldLevel && kv !== null && this.acceptsFlatChild(kv);
    if (atFieldLevel && !flattenedChild) {
      if (this.lastChild === "message" && !(kv && CONTAINER_FIELDS.has(kv.key))) {
        this.continueValue(trimmed); // a message line printed at the fields' column
        return true;
      }
      this.lastChild = null;
      if (!kv) return false;
      this.openField(kv, line);
      return true;
    }
    return this.child(line, trimmed, kv);
  }

  // A field line: `Restart Count:  6`, `State:  Terminated`, `Limits:`.
  private openField(kv: KeyValue, line: number): void {
    const key = FIELD_ALIASES[kv.key] ?? kv.key;
    const value = kv.value;
    this.seen.add(key);
    this.field = { key, indent: this.fieldIndent ?? 0 };
    this.state = null;
    const at = this.at(line);
    switch (key) {
      case "Container ID":
        this.fact.containerId = bareContainerId(value);
        break;
      case "Image":
        this.fact.image = isNone(value) ? null : value;
        break;
      case "Restart Count":
        this.fact.restartCount = this.integer(value, line, "Restart Count");
        break;
      case "Liveness":
        this.fact.livenessProbe = isNone(value) ? null : value;
        break;
      case "State":
      case "Last State":
      case "Last Termination State": {
        const m = STATE_KIND.exec(value);
        if (!m) {
          this.warn(
            "bad-state",
            `container state not understood — expected Running, Waiting or Terminated — received \`${excerpt(value)}\``,
            line,
          );
          break;
        }
        this.state = {
          kind: m[1]!.toLowerCase() as ContainerState["kind"],
          reason: null,
          exitCode: null,
          signal: null,
          message: null,
          startedAtMs: null,
          finishedAtMs: null,
          source: at,
        };
        if (key === "State") this.fact.state = this.state;
        else this.fact.lastState = this.state;
        break;
      }
      case "Command":
      case "Args":
        if (!isNone(value)) (key === "Command" ? this.fact.command : this.fact.args).push(value);
        break;
    }
  }

  // A line under the open field.
  private child(line: number, trimmed: string, kv: KeyValue | null): boolean {
    const key = this.field?.key ?? "";
    if (LIST_FIELDS.has(key)) {
      (key === "Command" ? this.fact.command : this.fact.args).push(trimmed);
      return true;
    }
    if (key === "State" || key === "Last State" || key === "Last Termination State")
      return this.stateChild(line, trimmed, kv);
    if (key === "Limits" || key === "Requests") return this.resource(key, line, kv);
    if (key === "Environment") return this.envChild(line, trimmed, kv);
    if (key === "Mounts") {
      const mount = parseMount(trimmed);
      if (mount) this.fact.volumeMounts.push(mount);
      return mount !== null;
    }
    return true; // children of fields we do not read (Ports, Environment Variables from, …)
  }

  private stateChild(line: number, trimmed: string, kv: KeyValue | null): boolean {
    const s = this.state;
    if (!kv || !STATE_CHILDREN.has(kv.key)) {
      if (this.lastChild === "message") {
        this.continueValue(trimmed);
        return true;
      }
      return s === null; // children of an unreadable state were already warned about
    }
    this.lastChild = kv.key === "Message" ? "message" : null;
    if (!s) return true;
    const v = kv.value;
    switch (kv.key) {
      case "Reason":
        s.reason = isNone(v) ? null : v;
        break;
      case "Message":
        s.message = isNone(v) ? null : v;
        break;
      case "Exit Code":
        s.exitCode = this.integer(v, line, "Exit Code");
        break;
      case "Signal":
        s.signal = this.integer(v, line, "Signal");
        break;
      case "Started":
        s.startedAtMs = this.time(v, line, "Started");
        break;
      case "Finished":
        s.finishedAtMs = this.time(v, line, "Finished");
        break;
    }
    return true;
  }

  private resource(key: "Limits" | "Requests", line: number, kv: KeyValue | null): boolean {
    if (!kv) return false;
    if (kv.key !== "memory") return true;
    const bytes = parseQuantity(kv.value);
    if (bytes === null) {
      this.warn(
        "bad-quantity",
        `memory ${key === "Limits" ? "limit" : "request"} not understood — expected a quantity such as 512Mi — received \`${excerpt(kv.value)}\``,
        line,
      );
      return true;
    }
    if (key === "Limits") {
      this.fact.limitBytes = bytes;
      this.fact.limitSource = this.at(line);
    } else this.fact.requestBytes = bytes;
    return true;
  }

  private envChild(line: number, trimmed: string, kv: KeyValue | null): boolean {
    if (!kv) {
      if (this.lastChild !== "env") return false;
      this.continueValue(trimmed);
      return true;
    }
    this.lastChild = "env";
    this.fact.env.push({ name: kv.key, value: envValue(kv.value), source: this.at(line) } satisfies EnvVar);
    return true;
  }

  // With flattened indentation, a state child or resource line at field level belongs to the
  // open field. `Started:` is both a state child (a time) and a container field (True/False).
  private acceptsFlatChild(kv: KeyValue): boolean {
    const open = this.field?.key;
    if (open === "State" || open === "Last State" || open === "Last Termination State") {
      return STATE_CHILDREN.has(kv.key) && !(kv.key === "Started" && BOOLEAN.test(kv.value));
    }
    if (open === "Limits" || open === "Requests") return RESOURCE_NAME.test(kv.key);
    return false;
  }

  private integer(value: string, line: number, what: string): number | null {
    if (INTEGER.test(value)) return Number(value);
    this.warn("bad-number", `${what} not understood — expected a whole number — received \`${excerpt(value)}\``, line);
    return null;
  }

  private time(value: string, line: number, what: string): number | null {
    if (isNone(value)) return null;
    const ms = parseKubeTime(value);
    if (ms === null && !ZERO_TIME.test(value)) {
      this.warn(
        "bad-time",
        `${what} time not understood — expected RFC1123Z such as \`Mon, 13 Dec 2021 18:02:32 -0800\` — received \`${excerpt(value)}\``,
        line,
      );
    }
    return ms;
  }

  private at(line: number): SourceRef {
    return { file: this.file, line };
  }

  private warn(code: string, message: string, line: number): void {
    this.diagnostics.push(warning(`kubectl-describe/${code}`, message, this.at(line)));
  }
}
