/**
 * prometheus: Prometheus data saved by hand — HTTP API responses (`curl …/api/v1/query_range`,
 * `…/api/v1/query`: matrix, vector, scalar; see `prometheus/api-json.ts`) and text exposition
 * pages (a kube-state-metrics or cAdvisor `/metrics` scrape; see `prometheus/exposition.ts`).
 * Timestamped samples become `MetricSeries` (container_memory_working_set_bytes, restarts,
 * limits: what the usage rules read); kube-state-metrics and cAdvisor spec/status metrics
 * also become pods and containers (`shared/ksm.ts`: last termination reason `OOMKilled`,
 * restarts, limit), so a kill is found from metrics alone; an untimed working-set sample is a
 * reading like `kubectl top`.
 *
 * Sample input (Prometheus 2.53, `curl -s 'http://prom:9090/api/v1/query_range?query=container_memory_working_set_bytes{pod="x"}&start=…&end=…&step=60'`):
 * ```text
 * {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"container_memory_working_set_bytes","container":"mailer","namespace":"notify","pod":"mailer-6b5c4d3e2f-nn8mm"},"values":[[1764633630,"127401984"],[1764633690,"130547712"]]}]}}
 * ```
 */
import { emptyFacts, type FactSet } from "../model/facts.js";
import { pushAll } from "../util/arrays.js";
import type { Ctx } from "./pod-json/tree.js";
import { isApiResponse, readApiResponses } from "./prometheus/api-json.js";
import { COMMENT_LINE, readExposition, SAMPLE_LINE } from "./prometheus/exposition.js";
import { readDocuments } from "./shared/documents.js";
import { podsFromMetrics } from "./shared/ksm.js";
import { looksBinary } from "./source.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** An API response: `"resultType":` with `"result":` near it. */
const API_JSON = /"resultType"\s*:\s*"(?:matrix|vector|scalar|string)"/;

/** The first non-blank character of a JSON document. */
const JSON_START = /^\s*[{[]/;

export const prometheus: Ingester = {
  kind: "prometheus",
  description:
    "Prometheus API JSON (query_range, query) saved with curl; /metrics pages of kube-state-metrics, cAdvisor",

  sniff(head: string): boolean {
    if (looksBinary(head)) return false;
    if (API_JSON.test(head)) return true;
    const lines = head
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
    const comments = lines.filter((l) => COMMENT_LINE.test(l)).length;
    const labelled = lines.filter((l) => l.includes("{") && SAMPLE_LINE.test(l)).length;
    return labelled >= 2 || (comments >= 2 && lines.some((l) => SAMPLE_LINE.test(l)));
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    if (JSON_START.test(source.head)) {
      const ctx: Ctx = { file: source.path, diagnostics: facts.diagnostics, kind: "prometheus" };
      const docs = await readDocuments(source, ctx, isApiResponse);
      const read = readApiResponses(docs.map((d) => d.root).filter(isApiResponse), source.path);
      pushAll(facts.series, read.series);
      pushAll(facts.diagnostics, read.diagnostics);
      pushAll(facts.pods, podsFromMetrics(read.series, source.path));
    } else {
      const read = await readExposition(source.lines(), source.path);
      pushAll(facts.series, read.series);
      pushAll(facts.topReadings, read.readings);
      pushAll(facts.diagnostics, read.diagnostics);
      pushAll(facts.pods, podsFromMetrics([...read.series, ...read.untimed], source.path));
    }
    if (facts.series.length === 0 && facts.pods.length === 0 && facts.topReadings.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "prometheus/no-data",
        message:
          "no sample read — expected a Prometheus API response with a result, or `metric{labels} value` lines — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};
