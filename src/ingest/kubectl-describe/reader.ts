/**
 * The line-by-line reader behind the `kubectl-describe` ingester: splits a capture into objects
 * (a new object at each top-level `Name:`), routes each line to the section it belongs to
 * (pod fields, `Containers:` / `Init Containers:`, `Volumes:`, `Conditions:`, `Events:`) and
 * turns the objects into facts. Layout from kubectl `pkg/describe/describe.go` `describePod`
 * and `describeNode`: top-level keys at column 0 (`LEVEL_0`), section entries at 2, their fields
 * at 4, children at 6.
 *
 * Fragments are read too. Without any top-level key, a container field (`State:`,
 * `Restart Count:`, `Limits:` …) opens an unnamed container, and every such container (a repeated
 * `State:` included) becomes its own pod fact with null name and namespace: a fragment is a
 * snapshot, and two snapshots of one container (before and after a limit change, realworld 18)
 * are not two containers of one pod.
 */
import { emptyFacts, type FactSet } from "../../model/facts.js";
import { type Diagnostic, warning } from "../../model/source.js";
import { parseKubeTime } from "../k8s-time.js";
import { ContainerReader } from "./container.js";
import { CONTAINER_FIELDS, FRAGMENT_START_FIELDS } from "./fields.js";
import { NODE_MEMORY_SECTIONS, nodeMemoryLine } from "./node.js";
import { annotationLine, applyTopKey, emitDraft, newDraft, type ObjectDraft, TOP_KEYS, volumeLine } from "./object.js";
import { parseHeader } from "./table.js";
import { TableReader } from "./table-reader.js";
import { excerpt, indentOf, type KeyValue, splitKeyValue } from "./text.js";
import { pushAll } from "../../util/arrays.js";
import { EventBudget } from "../shared/event-budget.js";

/** Sections that list containers. */
const CONTAINER_SECTIONS = new Set(["Containers", "Init Containers", "Ephemeral Containers"]);

/** Fields whose repetition in a fragment means a second snapshot of a container. */
const SNAPSHOT_KEYS = new Set(["State", "Container ID", "Restart Count", "Image"]);

/** Most "cannot place this line" warnings per file; the rest are counted in one summary. */
const MAX_UNPLACED_WARNINGS = 50;

/** Reads one describe capture; `feed` every line, then `finish`. Never throws on content. */
export class DescribeReader {
  private readonly drafts: ObjectDraft[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private cur: ObjectDraft | null = null;
  private topIndent: number | null = null;
  private section: string | null = null;
  private container: ContainerReader | null = null;
  private nameIndent = -1;
  private table: TableReader | null = null;
  private pendingName: { name: string; indent: number; line: number; text: string } | null = null;
  private topMessage = false;
  private unplacedRun: { start: number; end: number; text: string } | null = null;
  private unplacedCount = 0;
  private lastLine = 0;

  private readonly eventBudget: EventBudget;

  constructor(private readonly file: string) {
    this.eventBudget = new EventBudget("kubectl-describe", file);
  }

  /** Reads one line (1-based number, text without terminator). */
  feed(line: number, text: string): void {
    this.lastLine = line;
    const t = text.trim();
    if (t === "") {
      this.topMessage = false;
      this.container?.endContinuation();
      this.table?.blank();
      return;
    }
    this.dispatch(line, t, text);
    if (this.cur && this.unplacedRun?.end !== line) this.cur.endLine = line;
  }

  /** Ends the capture and returns the facts read (with diagnostics). */
  finish(): FactSet {
    this.flushPending();
    this.finishObject();
    this.flushUnplaced();
    if (this.unplacedCount > MAX_UNPLACED_WARNINGS) {
      this.diagnostics.push(
        warning(
          "kubectl-describe/unplaced-line",
          `${this.unplacedCount - MAX_UNPLACED_WARNINGS} more groups of lines not placed — expected kubectl describe output — not listed`,
          { file: this.file },
        ),
      );
    }
    this.eventBudget.reportTo(this.diagnostics);
    const facts = emptyFacts();
    pushAll(facts.diagnostics, this.diagnostics);
    for (const d of this.drafts) emitDraft(d, this.file, facts);
    if (facts.pods.length === 0 && facts.events.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "kubectl-describe/nothing-found",
        message: `no pod, container or event found — expected kubectl describe pod/node output — received ${this.lastLine} line(s) without one`,
        at: { file: this.file, line: 1 },
      });
    }
    return facts;
  }

  private dispatch(line: number, t: string, text: string): void {
    const indent = indentOf(text);
    const kv = splitKeyValue(t);
    const isTop = this.isTopLevel(indent, kv);
    const knownTop = isTop && kv !== null && TOP_KEYS.has(kv.key);
    if (isTop && kv?.key === "Name") {
      this.startObject(line);
      return this.topKey(kv, line);
    }
    // Events come last in describe output: everything up to the next object is rows or wrapped text.
    if (this.section === "Events" && this.table && !(knownTop && !this.table.inRow))
      return this.tableLine(line, t, text);
    if (this.topMessage && !kv && this.cur) {
      this.cur.message = this.cur.message ? `${this.cur.message} ${t}` : t;
      return;
    }
    const c = this.container;
    if (c && c.wantsContinuation() && indent < (c.fieldIndent ?? 0) && !knownTop) return c.continueValue(t);
    this.topMessage = false;
    if (isTop && kv && !TOP_KEYS.has(kv.key) && this.section !== null && CONTAINER_SECTIONS.has(this.section)) {
      return this.unplaced(line, t); // kubectl prints no unknown top-level key inside a container list
    }
    if (isTop && kv) return this.topKey(kv, line);
    if (isTop) return this.unplaced(line, t);
    switch (this.section) {
      case "Containers":
      case "Init Containers":
      case "Ephemeral Containers":
        return this.containerLine(line, indent, t, kv, this.section === "Init Containers");
      case "Volumes": {
        const ok = volumeLine(this.cur!, indent, kv, { file: this.file, line });
        if (ok === "bad-size")
          this.warn(
            "bad-quantity",
            `emptyDir SizeLimit not understood — expected a quantity such as 1Gi — received \`${excerpt(kv!.value)}\``,
            line,
          );
        else if (!ok) this.unplaced(line, t);
        return;
      }
      case "Conditions":
        return this.tableLine(line, t, text);
      case "Annotations":
        return annotationLine(this.cur!, t, line);
      case null:
        return this.fragmentLine(line, indent, t, kv);
      default:
        if (this.cur?.kind === "node" && NODE_MEMORY_SECTIONS.has(this.section ?? ""))
          nodeMemoryLine(this.cur.nodeMemory, this.section!, t, kv, line);
        return; // children of sections we do not read (Labels, Tolerations, CPU capacity, …)
    }
  }

  // Top level: relative to the first top-level key seen (column 0 in kubectl output).
  private isTopLevel(indent: number, kv: KeyValue | null): boolean {
    if (this.topIndent !== null) return indent <= this.topIndent;
    if (!kv || !TOP_KEYS.has(kv.key) || indent > 8) return false;
    if (this.container && indent >= (this.container.fieldIndent ?? 0)) return false;
    this.topIndent = indent;
    return true;
  }

  private topKey(kv: KeyValue, line: number): void {
    const d = this.cur ?? this.startObject(line);
    this.flushPending();
    this.section = kv.key;
    this.container = null;
    this.table = null;
    applyTopKey(d, kv, line);
    this.topMessage = kv.key === "Message" && d.message !== null;
    if (kv.key === "Start Time") d.startTimeMs = this.time(kv.value, line, "Start Time");
    if (kv.key === "Events") this.table = new TableReader("events");
    if (kv.key === "Conditions") this.table = new TableReader("conditions");
  }

  private tableLine(line: number, t: string, text: string): void {
    const tb = this.table!;
    const r = tb.feed(t, text, { file: this.file, line });
    if (tb.isNodeConditions && this.cur!.kind === null) this.cur!.kind = "node";
    if (typeof r === "object") {
      if (this.eventBudget.keep(r)) this.cur!.events.push(r);
    } else if (!r) this.unplaced(line, t);
  }

  private containerLine(line: number, indent: number, t: string, kv: KeyValue | null, init: boolean): void {
    const c = this.container;
    const isName = kv !== null && kv.value === "" && !CONTAINER_FIELDS.has(kv.key);
    if (isName && (c === null || indent <= this.nameIndent)) {
      this.openContainer(kv.key, init, line, indent);
      return;
    }
    const flattenedField = kv !== null && CONTAINER_FIELDS.has(kv.key);
    if (c && (indent > this.nameIndent || flattenedField)) {
      if (!c.feed(line, indent, t, kv)) this.unplaced(line, t);
      return;
    }
    this.unplaced(line, t);
  }

  // No section yet: a fragment. Container fields open an unnamed container (one pod each).
  private fragmentLine(line: number, indent: number, t: string, kv: KeyValue | null): void {
    const c = this.container;
    if (c && indent >= (c.fieldIndent ?? 0)) {
      const again = kv !== null && indent <= (c.fieldIndent ?? 0) && SNAPSHOT_KEYS.has(kv.key) && c.hasField(kv.key);
      if (!again) {
        if (!c.feed(line, indent, t, kv)) this.unplaced(line, t);
        return;
      }
    } else if (c) this.container = null;
    if (kv && FRAGMENT_START_FIELDS.has(kv.key)) {
      const pending = this.pendingName && this.pendingName.indent < indent ? this.pendingName : null;
      this.pendingName = null;
      if (!this.cur || this.cur.containers.length > 0) this.startObject(pending?.line ?? line);
      this.openContainer(pending?.name ?? "", false, pending?.line ?? line, indent - 1);
      this.container!.feed(line, indent, t, kv);
      return;
    }
    const header = parseHeader(t);
    if (header && header.names.includes("Reason") && header.names.includes("Message")) {
      if (!this.cur) this.startObject(line);
      this.section = "Events";
      this.table = new TableReader("events", header);
      return;
    }
    this.flushPending();
    if (kv && kv.value === "" && !CONTAINER_FIELDS.has(kv.key)) {
      this.pendingName = { name: kv.key, indent, line, text: t };
      return;
    }
    this.unplaced(line, t);
  }

  private openContainer(name: string, init: boolean, line: number, nameIndent: number): void {
    this.container = new ContainerReader(name, init, { file: this.file, line }, this.file, this.diagnostics);
    this.nameIndent = nameIndent;
    this.cur!.containers.push(this.container);
  }

  private startObject(line: number): ObjectDraft {
    this.finishObject();
    this.cur = newDraft(line);
    this.section = null;
    this.container = null;
    this.table = null;
    this.topMessage = false;
    return this.cur;
  }

  private finishObject(): void {
    if (this.cur) this.drafts.push(this.cur);
    this.cur = null;
  }

  private time(value: string, line: number, what: string): number | null {
    if (value === "" || value === "<none>") return null;
    const ms = parseKubeTime(value);
    if (ms === null)
      this.warn(
        "bad-time",
        `${what} not understood — expected RFC1123Z such as \`Thu, 27 Feb 2025 07:30:28 +0100\` — received \`${excerpt(value)}\``,
        line,
      );
    return ms;
  }

  private flushPending(): void {
    const p = this.pendingName;
    this.pendingName = null;
    if (p) this.unplaced(p.line, p.text);
  }

  // Consecutive lines that cannot be placed become one warning (line … endLine).
  private unplaced(line: number, text: string): void {
    const run = this.unplacedRun;
    if (run && run.end === line - 1) {
      run.end = line;
      return;
    }
    this.flushUnplaced();
    this.unplacedRun = { start: line, end: line, text };
  }

  private flushUnplaced(): void {
    const run = this.unplacedRun;
    this.unplacedRun = null;
    if (!run) return;
    this.unplacedCount++;
    if (this.unplacedCount > MAX_UNPLACED_WARNINGS) return;
    const n = run.end - run.start + 1;
    const at = n > 1 ? { file: this.file, line: run.start, endLine: run.end } : { file: this.file, line: run.start };
    this.diagnostics.push(
      warning(
        "kubectl-describe/unplaced-line",
        `${n > 1 ? `${n} lines` : "line"} not placed — expected a \`Key:  value\` field of kubectl describe pod/node, a container block or an events row — received \`${excerpt(run.text)}\``,
        at,
      ),
    );
  }

  private warn(code: string, message: string, line: number): void {
    this.diagnostics.push(warning(`kubectl-describe/${code}`, message, { file: this.file, line }));
  }
}
