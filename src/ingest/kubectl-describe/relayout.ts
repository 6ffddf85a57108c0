/**
 * A describe whose layout did not survive the paste, put back by its field names before the
 * reader sees it:
 * - several fields on one line, as chat and ticket systems join them (also the pod's
 *   `Status: Failed Reason: Evicted Message: The node was low on resource: memory. …`):
 *   `Last State: Terminated Reason: OOMKilled Exit Code: 137 Started: … Finished: …`,
 *   `Limits: cpu: 2 memory: 512Mi`, `State: Running Started: Fri, 02 Oct 2026 14:26:40 +0000`;
 * - indentation lost or collapsed to one space (every line at column 0 or 1): once a container
 *   field sits no deeper than its `Containers:` header, each line is indented by what its key is
 *   (container name 2, container field 4, state child and list item 6), as kubectl's
 *   `describeContainers` (`pkg/describe/describe.go`) would have printed it.
 * Lines keep their numbers (a split line gives several lines with the same number).
 */
import { CONTAINER_FIELDS, STATE_CHILDREN } from "./fields.js";
import { TOP_KEYS } from "./object.js";
import { indentOf, splitKeyValue } from "./text.js";

/** Fields whose value may carry the children kubectl printed on the lines below. */
const STATE_FIELDS = new Set(["State", "Last State", "Last Termination State"]);

/** A state child or a container field starting inside a value (` Reason: `, ` Exit Code: `, ` Restart Count: `). */
const INLINE_FIELD =
  / (?=(?:Reason|Message|Exit Code|Signal|Started|Finished|Ready|Restart Count|Last State|Last Termination State|State):\s)/;

/** A resource inside a `Limits:`/`Requests:` value (` memory: `). */
const INLINE_RESOURCE = /(?:^| )(?=(?:cpu|memory|ephemeral-storage|hugepages-[\w.]+|nvidia\.com\/gpu):\s)/;

/** Sections whose children are container blocks. */
const CONTAINER_SECTIONS = new Set(["Containers", "Init Containers", "Ephemeral Containers"]);

/** A container name as Kubernetes allows it (DNS label). */
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** Re-lays out describe lines one at a time; see the file header. */
export class DescribeRelayout {
  private flat = false;
  private section: string | null = null;
  private sectionIndent = 0;
  private field: string | null = null;
  /** Indentation of the first top-level key: the column the flat layout is rebuilt from. */
  private base: number | null = null;
  /** Indentation of the container name and of the field last seen, while the layout looks intact. */
  private nameIndent: number | null = null;
  private fieldIndent: number | null = null;

  /** The lines `text` stands for, in order (usually `[text]`). */
  feed(text: string): string[] {
    const indent = indentOf(text);
    const pieces = split(text.trim());
    const placed = pieces.map((p) => this.place(p.text, Math.max(0, indent + p.shift)));
    return pieces.length === 1 && placed[0] === pad(indent, pieces[0]!.text) ? [text] : placed;
  }

  private place(t: string, indent: number): string {
    if (t === "") return "";
    const kv = splitKeyValue(t);
    const key = kv?.key ?? null;
    const inContainers = this.section !== null && CONTAINER_SECTIONS.has(this.section);
    const stateChild = key !== null && STATE_CHILDREN.has(key) && this.field !== null && STATE_FIELDS.has(this.field);
    if (
      key !== null &&
      TOP_KEYS.has(key) &&
      !stateChild &&
      (indent <= this.sectionIndent || this.flat || this.section === null)
    ) {
      this.base ??= indent;
      this.section = key;
      this.sectionIndent = indent;
      this.field = null;
      this.nameIndent = null;
      this.fieldIndent = null;
      return this.flat ? pad(this.base ?? 0, t) : pad(indent, t);
    }
    if (!inContainers) return this.flat ? pad((this.base ?? 0) + 2, t) : pad(indent, t);
    const field = key !== null && CONTAINER_FIELDS.has(key);
    const name = kv !== null && kv.value === "" && !field && DNS_LABEL.test(kv.key);
    if (!this.flat && (field || stateChild || name) && indent <= this.sectionIndent) this.flat = true;
    if (!this.flat && (field || stateChild) && this.nameIndent !== null && indent <= this.nameIndent) this.flat = true;
    if (!this.flat && stateChild && this.fieldIndent !== null && indent <= this.fieldIndent) this.flat = true;
    if (!this.flat) {
      if (field) {
        this.field = key;
        this.fieldIndent = indent;
      } else if (name) this.nameIndent = indent;
      return pad(indent, t);
    }
    if (stateChild) return pad((this.base ?? 0) + 6, t);
    if (field) {
      this.field = key;
      return pad((this.base ?? 0) + 4, t);
    }
    if (name && (this.field === null || !["Environment", "Mounts", "Limits", "Requests"].includes(this.field))) {
      this.field = null;
      return pad((this.base ?? 0) + 2, t);
    }
    return pad((this.base ?? 0) + 6, t);
  }
}

// `Last State: Terminated Reason: OOMKilled Exit Code: 137` → one piece per field, a state child
// 2 deeper than its state and a container field (`Restart Count:`) at the state's level; a
// `Message:` value is kept whole (free text); `Limits: cpu: 2 memory: 512Mi` → `Limits:`, `cpu: 2`, `memory: 512Mi`.
function split(t: string): { text: string; shift: number }[] {
  const kv = splitKeyValue(t);
  if (!kv || kv.value === "") return [{ text: t, shift: 0 }];
  if (kv.key === "Limits" || kv.key === "Requests") {
    const resources = kv.value
      .split(INLINE_RESOURCE)
      .map((s) => s.trim())
      .filter(Boolean);
    return resources.length > 0 && resources.every((r) => splitKeyValue(r) !== null)
      ? [{ text: `${kv.key}:`, shift: 0 }, ...resources.map((r) => ({ text: r, shift: 2 }))]
      : [{ text: t, shift: 0 }];
  }
  const podStatus = kv.key === "Status";
  if (!STATE_FIELDS.has(kv.key) && !STATE_CHILDREN.has(kv.key) && !podStatus) return [{ text: t, shift: 0 }];
  const fieldLevel = STATE_FIELDS.has(kv.key) || podStatus ? 0 : -2;
  const out: { text: string; shift: number }[] = [];
  let rest = t;
  for (;;) {
    const head = splitKeyValue(rest);
    if (!head || head.key === "Message") break;
    const from = head.key.length + 1;
    const m = INLINE_FIELD.exec(rest.slice(from));
    if (!m) break;
    out.push({ text: rest.slice(0, from + m.index).trim(), shift: 0 });
    rest = rest.slice(from + m.index + 1);
  }
  out.push({ text: rest.trim(), shift: 0 });
  if (podStatus) return out; // `Status: Failed Reason: Evicted Message: …`: the pod's own keys, all top level
  return out.map((p, i) =>
    i === 0 ? p : { ...p, shift: STATE_CHILDREN.has(splitKeyValue(p.text)?.key ?? "") ? fieldLevel + 2 : fieldLevel },
  );
}

function pad(indent: number, t: string): string {
  return " ".repeat(indent) + t;
}
