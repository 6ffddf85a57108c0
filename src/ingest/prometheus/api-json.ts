/**
 * Prometheus HTTP API responses as saved with curl (`/api/v1/query_range` → `resultType: matrix`,
 * `/api/v1/query` → `vector` or `scalar`), documented at prometheus.io/docs/prometheus/latest/querying/api/:
 * `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"…",…},"values":[[<unix s>,"<value>"],…]}]}}`.
 * Also the bare `data` object and a `status: error` response (its error becomes a warning).
 */
import type { MetricSeries } from "../../model/facts.js";
import { warning, type Diagnostic } from "../../model/source.js";
import { SeriesCollector } from "../metrics-csv/collector.js";
import { child, items, num, str, type Node } from "../pod-json/tree.js";

/** What one response gives: the series, and the warnings. */
interface ApiRead {
  series: MetricSeries[];
  diagnostics: Diagnostic[];
}

/** True for a root that is an API response (or its `data`). */
export function isApiResponse(root: Node): boolean {
  return child(root, "data", "resultType") !== undefined || child(root, "resultType") !== undefined;
}

/** Reads the series of every response root into one collector (several responses may be concatenated). */
export function readApiResponses(roots: Node[], file: string): ApiRead {
  const diagnostics: Diagnostic[] = [];
  const out = new SeriesCollector(file, null);
  let n = 0;
  for (const root of roots) {
    if (str(child(root, "status")) === "error") {
      diagnostics.push(
        warning(
          "prometheus/query-error",
          `the saved response is an error — expected status success — received ${str(child(root, "errorType")) ?? "error"}: ${str(child(root, "error")) ?? "(no message)"}`,
          { file, line: root.line },
        ),
      );
      continue;
    }
    const data = child(root, "data") ?? root;
    const type = str(child(data, "resultType"));
    const result = child(data, "result");
    if (type === "scalar") {
      addPoint(out, `${n++}:scalar`, "scalar", {}, result, file, diagnostics);
      continue;
    }
    for (const entry of items(result)) {
      const key = `${n++}`;
      const labels = labelsOf(child(entry, "metric"));
      const metric = labels["__name__"] ?? null;
      delete labels["__name__"];
      const name = `${metric ?? ""}{${Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(", ")}}`;
      out.declare(key, name, entry.line, { metric, labels });
      if (type === "matrix")
        for (const pair of items(child(entry, "values"))) addPoint(out, key, name, labels, pair, file, diagnostics);
      else addPoint(out, key, name, labels, child(entry, "value"), file, diagnostics);
    }
  }
  return { series: out.finish(), diagnostics };
}

// `[1764633630, "127401984"]` → one point; NaN/Inf samples and malformed pairs are skipped (with a warning).
function addPoint(
  out: SeriesCollector,
  key: string,
  name: string,
  labels: Record<string, string>,
  pair: Node | undefined,
  file: string,
  diagnostics: Diagnostic[],
): void {
  if (!pair) return;
  out.declare(key, name, pair.line, { metric: null, labels });
  const [t, v] = items(pair);
  const sec = num(t);
  const value = num(v);
  if (sec === null || value === null || sec <= 0) {
    if (diagnostics.length < 50 && !(v?.type === "scalar" && /^[+-]?(?:Inf|NaN)$/.test(String(v.value)))) {
      diagnostics.push(
        warning(
          "prometheus/bad-sample",
          `sample of ${name} is unreadable — expected [<unix seconds>, "<value>"] — received a ${pair.type}`,
          { file, line: pair.line },
        ),
      );
    }
    return;
  }
  out.add(key, Math.round(sec * 1000), value, pair.line, false);
}

function labelsOf(node: Node | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (node?.type !== "map") return labels;
  for (const [k, v] of node.entries) {
    const s = str(v);
    if (s !== null) labels[k] = s;
  }
  return labels;
}
