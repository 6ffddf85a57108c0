/**
 * The Prometheus text exposition format (prometheus.io/docs/instrumenting/exposition_formats/,
 * and OpenMetrics 1.0): `# HELP`/`# TYPE` comments and `metric{label="value",…} <value> [<timestamp>]`
 * lines, as a saved `/metrics` page of kube-state-metrics or cAdvisor
 * (`kubectl get --raw /api/v1/nodes/NODE/proxy/metrics/cadvisor`) holds them. Timestamps are
 * milliseconds (OpenMetrics: seconds, with a fraction; after `# EOF`-style pages); samples
 * without one were taken when the page was saved.
 */
import type { MetricSeries, TopReading } from "../../model/facts.js";
import { warning, type Diagnostic } from "../../model/source.js";
import { SeriesCollector } from "../metrics-csv/collector.js";
import { parseSeriesName } from "../metrics-csv/values.js";
import type { MetricSamples } from "../shared/ksm.js";
import type { Line } from "../types.js";

/** A sample line: name, optional label block (quoted values may hold `}`), value, optional timestamp. */
export const SAMPLE_LINE =
  /^([A-Z_:][\w:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?[ \t]+(\S+)(?:[ \t]+(-?\d+(?:\.\d+)?))?[ \t]*$/i;

/** `# HELP name …`, `# TYPE name gauge`, `# UNIT`, `# EOF`. */
export const COMMENT_LINE = /^#(?:[ \t]+(?:HELP|TYPE|UNIT)[ \t]+[A-Za-z_:][\w:]*\b|[ \t]*EOF[ \t]*$)/;

/** The working set gauge a scrape of cAdvisor carries per container. */
const WORKING_SET = "container_memory_working_set_bytes";

/** Values the format allows besides numbers. */
const SPECIAL: Record<string, number> = { NaN: NaN, "+Inf": Infinity, Inf: Infinity, "-Inf": -Infinity };

/** Lines longer than this are not samples (label blocks of real exporters stay far below). */
const MAX_LINE = 16 * 1024;

/** What a page gives: series (timestamped samples), untimed samples, working-set readings, warnings. */
interface ExpositionRead {
  series: MetricSeries[];
  untimed: MetricSamples[];
  readings: TopReading[];
  diagnostics: Diagnostic[];
}

/** Reads exposition lines (any prompt or blank line skipped). */
export async function readExposition(lines: AsyncIterable<Line>, file: string): Promise<ExpositionRead> {
  const out = new SeriesCollector(file, null);
  const untimed: MetricSamples[] = [];
  const readings: TopReading[] = [];
  const diagnostics: Diagnostic[] = [];
  for await (const { text, line } of lines) {
    const t = text.trim();
    if (t === "" || t.length > MAX_LINE || COMMENT_LINE.test(t) || t.startsWith("#")) continue;
    const m = SAMPLE_LINE.exec(t);
    if (!m) {
      if (diagnostics.length < 50 && /^[A-Z_:][\w:]*[{ ]/i.test(t))
        diagnostics.push(
          warning(
            "prometheus/bad-line",
            `line is not a sample — expected \`metric{label="value"} <value> [<timestamp>]\` — received \`${t.slice(0, 100)}\``,
            { file, line },
          ),
        );
      continue;
    }
    const [, metric, block, rawValue, ts] = m as unknown as [
      string,
      string,
      string | undefined,
      string,
      string | undefined,
    ];
    const value = rawValue in SPECIAL ? SPECIAL[rawValue]! : Number(rawValue);
    if (!Number.isFinite(value)) continue;
    const labels = block ? parseSeriesName(`${metric}${block}`).labels : {};
    const key = `${metric}${block ?? ""}`;
    if (ts !== undefined) {
      const n = Number(ts);
      const ms = Math.round(ts.includes(".") || n < 1e11 ? n * 1000 : n);
      out.declare(key, key, line, { metric, labels });
      out.add(key, ms, value, line, false);
      continue;
    }
    untimed.push({ metric, labels, source: { file, line }, points: { ms: [null], value: [value], line: [line] } });
    if (metric === WORKING_SET && labels["pod"] && labels["container"] && labels["container"] !== "POD" && value >= 0) {
      readings.push({
        scope: "container",
        namespace: labels["namespace"] ?? null,
        pod: labels["pod"],
        container: labels["container"],
        node: null,
        cpuMillicores: null,
        memoryBytes: value,
        memoryPercent: null,
        source: { file, line },
        text: t,
        origin: "cAdvisor scrape",
      });
    }
  }
  return { series: out.finish(), untimed, readings, diagnostics };
}
