/**
 * kubectl-top: `kubectl top pod` (NAME, CPU(cores), MEMORY(bytes); `--containers` adds POD
 * before NAME; `-A` adds NAMESPACE) and `kubectl top node` (NAME, CPU(cores), CPU%,
 * MEMORY(bytes), MEMORY% — `CPU(%)`/`MEMORY(%)` in newer kubectl), as printed by kubectl
 * `pkg/cmd/top` (`metricsutil.TopCmdPrinter`). The memory is the metrics-server working set,
 * printed in Mi (`1937Mi`); CPU in millicores (`210m`). Each row is a `TopReading`; the table
 * has no time (it was taken when saved). A pasted `$ kubectl top pod -n X` gives the namespace.
 *
 * Sample input (kubectl 1.29, `kubectl top pod --containers`):
 * ```text
 * POD                            NAME      CPU(cores)   MEMORY(bytes)
 * billing-7c5f9d8b6-p4k2z        billing   412m         1873Mi
 * ```
 */
import { emptyFacts, type FactSet, type TopReading } from "../model/facts.js";
import { parseQuantity } from "../model/units.js";
import { tableRows, type Column, type TableSpec } from "./shared/kubectl-table.js";
import type { ArtifactSource, Ingester } from "./types.js";

const COLUMNS = [
  "NAMESPACE",
  "POD",
  "NAME",
  "CPU(cores)",
  "CPU%",
  "CPU(%)",
  "MEMORY(bytes)",
  "MEMORY%",
  "MEMORY(%)",
  "SWAP(bytes)",
  "SWAP%",
  "SWAP(%)",
] as const;
const REQUIRED = ["NAME", "CPU(cores)", "MEMORY(bytes)"] as const;

/** Header sniff: `NAME … CPU(cores) … MEMORY(bytes)` (top pod/node), any spacing. */
const SNIFF_HEADER =
  /^[ \t]*(?:NAMESPACE[ \t]+)?(?:POD[ \t]+)?NAME[ \t]+CPU\(cores\)[ \t]+(?:CPU\(?%\)?[ \t]+)?MEMORY\(bytes\)/m;

/** CPU: `210m`, `2` cores, `<unknown>`. */
const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
/** A percentage cell: `61%`, `<unknown>`. */
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

const TABLE: TableSpec = {
  kind: "kubectl-top",
  columns: COLUMNS,
  required: REQUIRED,
  free: null,
  take: {},
  accept: acceptRow,
};

export const kubectlTop: Ingester = {
  kind: "kubectl-top",
  description: "kubectl top pod [--containers] [-A] and kubectl top node: working-set memory at the time saved",

  sniff(head: string): boolean {
    return SNIFF_HEADER.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    for await (const { cells, cols, command, line, text } of tableRows(source, TABLE, facts.diagnostics)) {
      const nodeHint = /^(?:node|nodes|no)$/.test(command?.resource ?? "");
      facts.topReadings.push(
        readingOf(cells, cols, command?.namespace ?? null, nodeHint, source.path, line, text.trim()),
      );
    }
    if (facts.topReadings.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "kubectl-top/no-rows",
        message: "no row read — expected a `NAME CPU(cores) MEMORY(bytes)` header and rows under it — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};

function acceptRow(c: Record<string, string>): boolean {
  const mem = c["MEMORY(bytes)"] ?? "";
  return (
    /^\S+$/.test(c["NAME"] ?? "") &&
    (CPU.test(c["CPU(cores)"] ?? "") || c["CPU(cores)"] === "<unknown>") &&
    (parseQuantity(mem) !== null || mem === "<unknown>")
  );
}

function readingOf(
  c: Record<string, string>,
  cols: Column[],
  namespace: string | null,
  nodeHint: boolean,
  file: string,
  line: number,
  text: string,
): TopReading {
  const has = (name: string) => cols.some((col) => col.name === name);
  // A node table has a MEMORY% column (pod tables never do).
  const scope =
    has("MEMORY%") || has("MEMORY(%)") || (nodeHint && !has("POD")) ? "node" : has("POD") ? "container" : "pod";
  const cpu = CPU.exec(c["CPU(cores)"] ?? "");
  const pct = PERCENT.exec(c["MEMORY%"] ?? c["MEMORY(%)"] ?? "");
  const name = c["NAME"]!;
  return {
    scope,
    namespace: scope === "node" ? null : (c["NAMESPACE"] ?? namespace),
    pod: scope === "container" ? c["POD"]! : scope === "pod" ? name : null,
    container: scope === "container" ? name : null,
    node: scope === "node" ? name : null,
    cpuMillicores: cpu ? Number(cpu[1]) * (cpu[2] === "m" ? 1 : 1000) : null,
    memoryBytes: parseQuantity(c["MEMORY(bytes)"] ?? ""),
    memoryPercent: pct ? Number(pct[1]) : null,
    source: { file, line },
    text,
  };
}
