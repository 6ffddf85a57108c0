/**
 * The ingester registry: an explicit, ordered array (most specific first). Discover tries the
 * ingester hinted at by the file name first (the first here whose `nameHint` matches), then every
 * `sniff` in this order. A new artifact kind is its ingester file plus one line here (and its name
 * in `model/artifact.ts`'s `ArtifactKind`).
 */
import type { Ingester } from "./types.js";
import { dockerInspect } from "./docker-inspect.js";
import { goMemstats } from "./go-memstats.js";
import { jcmd } from "./jcmd.js";
import { kernelLog } from "./kernel-log.js";
import { kubectlDescribe } from "./kubectl-describe.js";
import { kubectlGetEvents } from "./kubectl-get-events.js";
import { kubectlGetPods } from "./kubectl-get-pods.js";
import { kubectlJsonpath } from "./kubectl-jsonpath.js";
import { kubectlTop } from "./kubectl-top.js";
import { memleak } from "./memleak.js";
import { memoryStat } from "./memory-stat.js";
import { metricsCsv } from "./metrics-csv.js";
import { cleanPaste } from "./paste/clean.js";
import { nodeHeapStats } from "./node-heap-stats.js";
import { pmap } from "./pmap.js";
import { podJson } from "./pod-json.js";
import { procStatus } from "./proc-status.js";
import { prometheus } from "./prometheus.js";
import { runtimeConfig } from "./runtime-config.js";
import { runtimeEnv } from "./runtime-env.js";
import { sysstat } from "./sysstat.js";
import { vpa } from "./vpa.js";

export const ingesters: readonly Ingester[] = [
  vpa,
  dockerInspect,
  kubectlJsonpath,
  podJson,
  kubectlGetPods,
  kubectlGetEvents,
  kubectlTop,
  kubectlDescribe,
  procStatus,
  memleak,
  jcmd,
  nodeHeapStats,
  goMemstats,
  pmap,
  sysstat,
  prometheus,
  metricsCsv,
  memoryStat,
  runtimeConfig,
  runtimeEnv,
  kernelLog,
];

/**
 * Picks the ingester for a file from its content, trying the name's hint first; null if none. A
 * head that sniffs as nothing is tried again as a paste reads it (prompt lines, fences, quote
 * markers and cuts removed; `paste/clean.ts`): `[root@master ~]$ kubectl describe pod …` above a describe.
 */
export function detectIngester(head: string, path: string): Ingester | null {
  const hinted = ingesters.find((ing) => ing.nameHint?.test(path));
  const ordered = hinted ? [hinted, ...ingesters.filter((ing) => ing !== hinted)] : ingesters;
  const pick = (text: string) => ordered.find((ing) => safeSniff(ing, text, path)) ?? null;
  return pick(head) ?? pick(cleanPaste(head).texts.join("\n"));
}

function safeSniff(ing: Ingester, head: string, path: string): boolean {
  try {
    return ing.sniff(head, path);
  } catch {
    return false;
  }
}
