/**
 * Rows of the describe `Events:` table and node `Conditions:` table → `KubeEvent`s.
 *
 * Events (kubectl `pkg/describe/describe.go` `DescribeEvents`; age from apimachinery
 * `HumanDuration`, `(x%d over %s)` when the event repeated, `<unknown>` for a zero time):
 * ```text
 *   Type     Reason     Age                   From     Message
 *   ----     ------     ----                  ----     -------
 *   Warning  BackOff    87s (x23 over 6m33s)  kubelet  Back-off restarting failed container memory-eater in pod analytics-exporter-fast-d8511059e-qzptv_default(d106602d-22f0-423d-8b4f-b8be31549d21)
 * ```
 * Before ~1.9 the table was `FirstSeen LastSeen Count From SubObjectPath Type Reason Message`
 * (1.0–1.2: no `Type`; FirstSeen/LastSeen as RFC1123Z times before ~1.1, ages after).
 * Node conditions (`describeNode`): `Type Status LastHeartbeatTime LastTransitionTime Reason Message`,
 * times in RFC1123Z: `MemoryPressure   True   Mon, 13 Dec 2021 18:02:32 -0800   Mon, 13 Dec 2021 17:40:01 -0800   KubeletHasInsufficientMemory   kubelet has insufficient memory available`.
 */
import type { KubeEvent } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";
import { parseKubeDuration, parseKubeTime } from "../k8s-time.js";
import { splitRow, type TableLayout } from "./table.js";

/** Event types the API server accepts (core/v1 `EventTypeNormal`, `EventTypeWarning`). */
const EVENT_TYPE = /^(?:Normal|Warning)$/;

/** Node condition status (core/v1 `ConditionStatus`). */
const CONDITION_STATUS = /^(?:True|False|Unknown)$/;

/** A reason is one CamelCase word (`BackOff`, `OOMKilling`); a count a whole number. */
const ONE_WORD = /^\S+$/;
const WHOLE_NUMBER = /^\d+$/;

/** `87s (x23 over 6m33s)` / `6m40s` / `<unknown>` (DescribeEvents interval). */
const AGE_CELL = /^(<unknown>|<invalid>|\d[0-9a-z.]*)(?:\s*\(x(\d+)\s+over\s[^)]*\))?$/;

/**
 * A current-format row whose padding collapsed to single spaces; `From` is one word,
 * `kubelet, node-1` (1.x) or `{kubelet node-1}` (≤1.5). Cells are split at spaces and tabs
 * (`[ \t]`, not `\s`, which let a line break into the row and backtracking with it).
 */
const COLLAPSED_ROW =
  /^(Normal|Warning)[ \t]+(\S+)[ \t]+((?:<unknown>|<invalid>|\d[0-9a-z.]*)(?:[ \t]*\(x\d+[ \t]+over[ \t][^)]*\))?)[ \t]+(\{[^}]*\}|[^\s,]+(?:,[ \t]*[^\s,]+)?)[ \t]+((?:\S.*)?)$/;

/** The aggregator's prefix (client-go `tools/record/events_cache.go`). */
const COMBINED_PREFIX = /^\(combined from similar events\):\s*/;

/**
 * `<pod>_<namespace>(<uid>)`, the kubelet's `format.Pod` in messages such as
 * `Back-off restarting failed container x in pod name_ns(d106602d-22f0-423d-8b4f-b8be31549d21)`.
 * Matched from a word boundary so a long run of name characters is scanned once.
 */
const POD_WITH_UID =
  /(?<![a-z0-9.-])([a-z0-9][a-z0-9.-]*)_[a-z0-9][a-z0-9-]*\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)/;

/** RFC1123Z as describe prints it: `Mon, 13 Dec 2021 18:02:32 -0800`. */
const TIME_TEXT = String.raw`[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}`;

/** A node condition row with collapsed padding (times contain single spaces). */
const CONDITION_ROW = new RegExp(
  String.raw`^(\S+)\s+(True|False|Unknown)\s+(${TIME_TEXT})\s+(${TIME_TEXT})\s+(\S+)(?:\s+(\S.*))?$`,
);

/** Default layout when the header line is missing or mangled: the current column order. */
export const DEFAULT_EVENT_LAYOUT: TableLayout = { names: ["Type", "Reason", "Age", "From", "Message"], starts: [] };

/**
 * Reads one events-table row. Returns null when the line is not a row (the caller then treats
 * it as a wrapped continuation of the previous message, or warns). `involved` is filled later.
 */
export function parseEventRow(layout: TableLayout, text: string, at: SourceRef): KubeEvent | null {
  const cells = layout.starts.length > 0 ? splitRow(layout, text, plausibleEvent) : null;
  if (cells) return fromCells(cells, at);
  const m = COLLAPSED_ROW.exec(text.trim());
  if (!m) return null;
  return fromCells({ Type: m[1]!, Reason: m[2]!, Age: m[3]!, From: m[4]!, Message: m[5]! }, at);
}

/** Appends a wrapped continuation line to an event's message. */
export function continueMessage(event: KubeEvent, text: string): void {
  const t = text.trim();
  if (t) event.message = event.message ? `${event.message} ${t}` : t;
}

/**
 * The pod UID carried by a kubelet message in `name_namespace(uid)` form, when `name` (if
 * known) matches; lower-case dashed form.
 */
export function podUidFromMessage(message: string, name: string | null): string | null {
  const m = POD_WITH_UID.exec(message);
  if (!m || (name !== null && m[1] !== name)) return null;
  return m[2]!.toLowerCase();
}

/**
 * A node `Conditions:` row; returns a KubeEvent for `MemoryPressure  True` (reason
 * `MemoryPressure`, message `<condition reason>: <condition message>`, firstMs =
 * LastTransitionTime, lastMs = LastHeartbeatTime), null for any other row.
 */
export function memoryPressureFromCondition(layout: TableLayout | null, text: string, at: SourceRef): KubeEvent | null {
  let cells: Record<string, string> | null = null;
  if (layout && layout.starts.length > 0) cells = splitRow(layout, text, (c) => CONDITION_STATUS.test(c.Status ?? ""));
  if (!cells) {
    const m = CONDITION_ROW.exec(text.trim());
    if (m)
      cells = {
        Type: m[1]!,
        Status: m[2]!,
        LastHeartbeatTime: m[3]!,
        LastTransitionTime: m[4]!,
        Reason: m[5]!,
        Message: m[6] ?? "",
      };
  }
  if (!cells || cells.Type !== "MemoryPressure" || cells.Status !== "True") return null;
  const reason = cells.Reason ?? "";
  const message = cells.Message ?? "";
  return {
    type: null,
    reason: "MemoryPressure",
    message: reason && message ? `${reason}: ${message}` : reason || message || "MemoryPressure=True",
    involved: null,
    count: 1,
    firstMs: parseKubeTime(cells.LastTransitionTime ?? ""),
    lastMs: parseKubeTime(cells.LastHeartbeatTime ?? ""),
    ageText: null,
    source: at,
  };
}

// Row acceptance: a Type column must hold Normal/Warning, an age column an age.
function plausibleEvent(cells: Record<string, string>): boolean {
  if (cells.Type !== undefined && !EVENT_TYPE.test(cells.Type)) return false;
  if (cells.Reason !== undefined && !ONE_WORD.test(cells.Reason)) return false;
  if (cells.Age !== undefined && !AGE_CELL.test(cells.Age)) return false;
  if (cells.Count !== undefined && !WHOLE_NUMBER.test(cells.Count)) return false;
  return cells.Reason !== undefined && cells.Reason !== "";
}

// Cells → KubeEvent (current and old layouts).
function fromCells(cells: Record<string, string>, at: SourceRef): KubeEvent {
  let count = 1;
  let ageText: string | null = null;
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  const age = AGE_CELL.exec(cells.Age ?? "");
  if (age) {
    ageText = age[1]!.startsWith("<") ? null : age[1]!;
    if (age[2]) count = Number(age[2]);
  }
  if (cells.Count !== undefined && WHOLE_NUMBER.test(cells.Count)) count = Number(cells.Count);
  if (cells.LastSeen !== undefined) {
    lastMs = parseKubeTime(cells.LastSeen);
    if (lastMs === null && parseKubeDuration(cells.LastSeen) !== null) ageText = cells.LastSeen;
  }
  if (cells.FirstSeen !== undefined) firstMs = parseKubeTime(cells.FirstSeen);
  return {
    type: cells.Type && EVENT_TYPE.test(cells.Type) ? cells.Type : null,
    reason: cells.Reason ?? "",
    message: (cells.Message ?? "").replace(COMBINED_PREFIX, ""),
    involved: null,
    count: count > 0 ? count : 1,
    firstMs,
    lastMs,
    ageText,
    source: at,
  };
}
