/**
 * Reads an `Events:` or node `Conditions:` table line by line: header, dashes line, rows, and
 * wrapped continuation lines of the last event's message (kubectl prints a message's embedded
 * newlines as-is, and terminal copies wrap long rows at column 0):
 * ```text
 * Events:
 *   Type     Reason       Age   From     Message
 *   ----     ------       ----  ----     -------
 *   Warning  FailedMount  19m   kubelet  MountVolume.SetUp failed for volume "x" : failed to fetch token: serviceaccounts "ingest" is forbidden:
 * User "system:node:worker-3" cannot create resource "serviceaccounts/token"
 * ```
 */
import type { KubeEvent } from "../../model/facts.js";
import type { SourceRef } from "../../model/source.js";
import { DEFAULT_EVENT_LAYOUT, continueMessage, memoryPressureFromCondition, parseEventRow } from "./events.js";
import { isDashLine, parseHeader, refineWithDashes, type TableLayout } from "./table.js";

/** One open table. `feed` returns the event read, true when the line was otherwise used, false when not placeable. */
export class TableReader {
  private layout: TableLayout | null;
  private awaitingHeader: boolean;
  private dashed = false;
  private last: KubeEvent | null = null;
  private blankSeen = false;

  constructor(
    readonly kind: "events" | "conditions",
    layout: TableLayout | null = null,
  ) {
    this.layout = layout;
    this.awaitingHeader = layout === null;
  }

  /** True once the header named `LastHeartbeatTime` (a node's conditions). */
  get isNodeConditions(): boolean {
    return this.layout?.names.includes("LastHeartbeatTime") ?? false;
  }

  /** True when a row was read and no blank line followed it (a continuation is possible). */
  get inRow(): boolean {
    return this.last !== null && !this.blankSeen;
  }

  /** A blank line: ends message continuation. */
  blank(): void {
    this.blankSeen = true;
  }

  /** Reads one line of the table. */
  feed(trimmed: string, text: string, at: SourceRef): KubeEvent | boolean {
    if (this.awaitingHeader) {
      this.awaitingHeader = false;
      this.layout = parseHeader(trimmed);
      if (this.layout) return true;
      if (this.kind === "events") this.layout = DEFAULT_EVENT_LAYOUT;
    }
    if (this.layout && !this.dashed && isDashLine(trimmed)) {
      this.dashed = true;
      this.layout = refineWithDashes(this.layout, text);
      return true;
    }
    if (this.kind === "conditions") return memoryPressureFromCondition(this.layout, text, at) ?? true;
    const ev = parseEventRow(this.layout ?? DEFAULT_EVENT_LAYOUT, text, at);
    if (ev) {
      this.last = ev;
      this.blankSeen = false;
      return ev;
    }
    if (!this.inRow) return false;
    continueMessage(this.last!, trimmed);
    return true;
  }
}
