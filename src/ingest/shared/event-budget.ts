/**
 * The budget of Kubernetes events kept per file. A describe prints a pod's events as the API
 * server aggregated them (a few dozen at most), and `kubectl get events -A -o json` of a busy
 * cluster holds tens of thousands; a file with more is a hostile or broken capture, and every
 * event kept costs memory here and a timeline row later (a 27 MB describe of 150,000 event rows
 * took 760 MiB before this budget).
 *
 * Past {@link ROUTINE_EVENTS_KEPT} events of one file only events that are not `Normal` (a
 * `Warning`, or a type the capture did not print) are kept, so an `Evicted` or `OOMKilling` far
 * into a cluster's EventList still counts; past {@link EVENTS_KEPT} none are. What was not kept
 * is counted and said in one warning naming the file and the first line not kept.
 */
import type { FactSet, KubeEvent } from "../../model/facts.js";
import { warning, type Diagnostic } from "../../model/source.js";
import { podFromEviction } from "./event-eviction.js";
import { oomFromEvent } from "./event-oom.js";

/**
 * Events of one file kept whatever their type.
 * @internal exported for its tests (not the public API)
 */
export const ROUTINE_EVENTS_KEPT = 50_000;
/**
 * Events of one file kept at all.
 * @internal exported for its tests (not the public API)
 */
export const EVENTS_KEPT = 100_000;

/** Counts one file's events against the budget; `keep` says whether to keep each one. */
export class EventBudget {
  private kept = 0;
  private routineDropped = 0;
  private dropped = 0;
  private firstDropped: number | undefined;

  constructor(
    private readonly kind: string,
    private readonly file: string,
  ) {}

  /** True when `e` fits the budget (the caller keeps it); false when it is counted and dropped. */
  keep(e: KubeEvent): boolean {
    const fits = this.kept < ROUTINE_EVENTS_KEPT || (this.kept < EVENTS_KEPT && e.type !== "Normal");
    if (fits) {
      this.kept++;
      return true;
    }
    if (this.kept < EVENTS_KEPT) this.routineDropped++;
    else this.dropped++;
    this.firstDropped ??= e.source.line;
    return false;
  }

  /**
   * Keeps a listed event (events table, Event/EventList JSON) in `facts` when it fits the budget,
   * with what it carries: the kill of node-problem-detector's `OOMKilling` (`event-oom.ts`) and
   * the pod an `Evicted` event names (`event-eviction.ts`).
   */
  add(facts: FactSet, e: KubeEvent): void {
    if (!this.keep(e)) return;
    facts.events.push(e);
    const oom = oomFromEvent(e);
    if (oom) facts.ooms.push(oom);
    const evicted = podFromEviction(e);
    if (evicted) facts.pods.push(evicted);
  }

  /** Adds the warning for what was not kept to `diagnostics`, when something was not. */
  reportTo(diagnostics: Diagnostic[]): void {
    const d = this.diagnostic();
    if (d) diagnostics.push(d);
  }

  /** The warning for what was not kept, or null when everything was. */
  diagnostic(): Diagnostic | null {
    if (this.routineDropped + this.dropped === 0) return null;
    const parts = [
      this.routineDropped > 0 && `${this.routineDropped} Normal events past the first ${ROUTINE_EVENTS_KEPT}`,
      this.dropped > 0 && `${this.dropped} events past the first ${EVENTS_KEPT}`,
    ].filter(Boolean);
    const at = this.firstDropped === undefined ? { file: this.file } : { file: this.file, line: this.firstDropped };
    return warning(
      `${this.kind}/event-budget`,
      `${parts.join(" and ")} not kept (the budget of events per file) — split the capture per pod or namespace to read them`,
      at,
    );
  }
}
