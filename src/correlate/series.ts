/**
 * Which metric series speak about a subject: those whose `pod`/`container`/`namespace` labels
 * match it; series without such labels belong to every subject.
 */
import type { MetricSeries } from "../model/facts.js";
import type { Subject } from "../model/incident.js";

/** The series of `all` that are about `subject`. */
export function seriesFor(subject: Subject, all: MetricSeries[]): MetricSeries[] {
  return all.filter((s) => {
    const { pod, container, namespace } = s.labels;
    if (pod !== undefined && subject.pod !== null && pod !== subject.pod) return false;
    if (container !== undefined && subject.container !== null && container !== subject.container) return false;
    if (namespace !== undefined && subject.namespace !== null && namespace !== subject.namespace) return false;
    return true;
  });
}
