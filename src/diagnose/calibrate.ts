/**
 * Confidence calibration: a rule says how strongly its evidence supports its cause; this caps
 * that by how much evidence there is. `high` needs two independent artifacts agreeing (evidence
 * from two files) or one decisive artifact (the rule marks it `decisive`: a kernel memcg
 * breakdown at the kill, a series over several runs, the kernel saying `global_oom`, a userspace
 * OOM daemon's kill line). A hypothesis resting on one reading (one cited line) is `low`.
 */
import type { Confidence, Hypothesis } from "../model/incident.js";

/** Returns the hypothesis with its confidence capped (and `calibration` saying why), or as it was. */
export function calibrate(h: Hypothesis): Hypothesis {
  if (h.status !== "supported" || h.decisive) return h;
  const from: Confidence = h.confidence ?? "low";
  const readings = new Set(h.evidence.map((e) => `${e.file}:${e.line ?? e.text}`)).size;
  const files = new Set(h.evidence.map((e) => e.file)).size;
  if (readings <= 1 && from !== "low")
    return {
      ...h,
      confidence: "low",
      calibration: `lowered from ${from}: it rests on one reading (${readings === 0 ? "no cited line" : "one cited line"})`,
    };
  if (files < 2 && from === "high")
    return {
      ...h,
      confidence: "medium",
      calibration: "lowered from high: one artifact, and not a decisive one; high needs a second artifact agreeing",
    };
  return h;
}
