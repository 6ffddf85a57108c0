/**
 * Right-sizing a memory limit after an OOM kill, with its basis in one line of numbers.
 *
 * - With a usage series (metrics CSV): the highest per-run p99 × 1.5
 *   (`p99 working set 1.95 GiB × 1.5 = 2.93 GiB → 3Gi`).
 * - Without one: the usage at the kill × 2.0, since one point says nothing about the spread
 *   (`no series: usage at the kill 1 GiB × 2.0 = 2 GiB → 2Gi`).
 * - Never below the floor: the most the bundle saw in use (usage at the kill, series max,
 *   memory.peak, a VPA target) + 15 % headroom, and never at or below the current limit after
 *   the container was killed at it ("Raise" means raise).
 * - Nothing when the current limit is unknown and the only usage is the victim's RSS: the memcg
 *   held more than the victim, so a limit from it could be below the one the container has.
 * - Rounded up to a quantity people write (`768Mi`, `1536Mi`, `3Gi`).
 * - Compared with KRR's simple strategy (max + 15 %) and a VPA recommendation when they differ.
 */
import type { Incident, Kill, UsageSeries } from "../model/incident.js";
import type { SubjectFacts } from "../correlate/index.js";
import { evidence, type Evidence } from "../model/source.js";
import { formatBytesPrecise as formatBytes } from "../util/format.js";
import { maxOf } from "../util/arrays.js";

const MI = 1024 ** 2;
const GI = 1024 ** 3;

/** Headroom over the largest usage seen: KRR's simple strategy (max + 15 %). */
const HEADROOM = 1.15;
/** p99 × 1.5 with a series; × 2.0 from a single point (the usage at the kill). */
const SERIES_FACTOR = 1.5;
const POINT_FACTOR = 2.0;

/** A usage figure the bundle shows, with what it is in words (`usage at the kill`, `memory.peak`). */
interface Observed {
  bytes: number;
  label: string;
  evidence?: Evidence;
}

/** A VerticalPodAutoscaler recommendation for the container (bytes), when the bundle has one. */
interface VpaRecommendation {
  targetBytes: number | null;
  upperBoundBytes: number | null;
  evidence?: Evidence;
}

/** What sizing reads besides the kills. */
interface SizingInput {
  kills: Kill[];
  /** The container's limit as correlate resolved it (`SubjectFacts.limit`), in bytes, or null. */
  containerLimit: number | null;
  usage?: UsageSeries | null;
  /** Other usage figures (memory.current/peak of a snapshot, `kubectl top`), each a floor. */
  observed?: Observed[];
  vpa?: VpaRecommendation | null;
  /**
   * True when the container's own memcg was at its limit at the kill (a container OOM kill, or
   * the kubelet's OOMKilled record), so the usage at the kill was the limit even when no kernel
   * report says so.
   */
  killedAtLimit?: boolean;
}

/** The sizing of an incident (`Incident.sizing`, with the added fields of this module). */
type Sizing = NonNullable<Incident["sizing"]>;

/**
 * A recommended limit with its basis, or null when the bundle gives nothing to size from.
 * `recommendedLimitBytes` is always a round quantity (see {@link roundLimit}), at least the
 * floor, and above the current limit when a kill happened at it.
 */
export function recommendLimit(input: SizingInput): Sizing | null {
  const current = input.containerLimit;
  const atKill = usageAtKill(input.kills, input.killedAtLimit ? current : null);
  const seen = [...(atKill ? [atKill] : []), ...seriesMax(input.usage), ...(input.observed ?? [])].filter(
    (o) => o.bytes > 0,
  );
  const base = seriesBase(input.usage) ?? pointBase(atKill);
  if (!base && seen.length === 0) return null;
  // Without the current limit, the victim's RSS alone sizes nothing: the memcg held more than the
  // victim (other processes, page cache), so a limit from it could be below the one it has.
  if (current === null && seen.length === 1 && atKill?.victimOnly && !input.vpa) return null;

  const most = seen.reduce<Observed | null>((m, o) => (m === null || o.bytes > m.bytes ? o : m), null);
  const killedAtLimit =
    current !== null &&
    (input.killedAtLimit === true ||
      input.kills.some((k) => k.limitBytes !== null && k.limitBytes === current && k.limitHit !== null));
  const floors: Basis[] = [];
  if (most)
    floors.push({
      bytes: most.bytes * HEADROOM,
      words: `${most.label} ${formatBytes(most.bytes)} + 15% = ${formatBytes(most.bytes * HEADROOM)}`,
      evidence: most.evidence,
    });
  if (current !== null && killedAtLimit)
    floors.push({
      bytes: current * HEADROOM,
      words: `the ${formatBytes(current)} limit it was killed at + 15% = ${formatBytes(current * HEADROOM)}`,
    });
  else if (current !== null && input.kills.length > 0)
    floors.push({ bytes: current, words: `the current ${formatBytes(current)} limit` });
  const vpaTarget = input.vpa?.targetBytes ?? null;
  if (vpaTarget !== null)
    floors.push({ bytes: vpaTarget, words: `the VPA target ${formatBytes(vpaTarget)}`, evidence: input.vpa?.evidence });
  const floor = floors.reduce<Basis | null>((m, f) => (m === null || f.bytes > m.bytes ? f : m), null);

  const raw = Math.max(base?.bytes ?? 0, floor?.bytes ?? 0);
  let recommended = roundLimit(raw);
  if (current !== null && killedAtLimit && recommended <= current) recommended = roundLimit(current + 1);
  const quantity = toQuantity(recommended);
  const basis =
    base && (floor === null || base.bytes >= floor.bytes)
      ? `${base.words} → ${quantity}`
      : `${base ? `${base.words}, below ` : ""}${floor!.words} → ${quantity}`;

  return {
    currentLimitBytes: current,
    recommendedLimitBytes: recommended,
    basis,
    quantity,
    floorBytes: floor ? Math.round(floor.bytes) : null,
    comparisons: [
      ...comparisons(recommended, input.vpa ?? null, input.usage),
      ...(input.observed ?? []).filter((o) => o !== most).map((o) => `${o.label}: ${formatBytes(o.bytes)}`),
    ],
    evidence: [base?.evidence, floor?.evidence, input.vpa?.evidence].filter(
      (e, i, all): e is Evidence => e !== undefined && all.indexOf(e) === i,
    ),
  };
}

/**
 * What the subject's other artifacts add to sizing: `kubectl top` readings of the container
 * (working set when the file was saved) as observed usage, and the VPA recommendation of the
 * container (target and upper bound, with the line of its target).
 */
export function sizingObservations(s: SubjectFacts): Pick<SizingInput, "observed" | "vpa"> {
  const obs = s.observations;
  const observed: Observed[] = (obs?.top ?? [])
    .filter(
      (r) =>
        r.memoryBytes !== null &&
        r.scope === "container" &&
        s.subject.container !== null &&
        r.container === s.subject.container,
    )
    .map((r) => ({
      bytes: r.memoryBytes!,
      label: "kubectl top when the bundle was saved",
      evidence: evidence(r.source, r.text),
    }));
  const v = obs?.vpa[0];
  const rec = v?.recommendation;
  const vpa: VpaRecommendation | null =
    rec && (rec.targetBytes !== null || rec.upperBoundBytes !== null)
      ? {
          targetBytes: rec.targetBytes,
          upperBoundBytes: rec.upperBoundBytes,
          evidence: evidence(
            rec.lines.target !== undefined ? { file: rec.source.file, line: rec.lines.target } : rec.source,
            `VPA ${v!.vpa.name ?? ""} target ${rec.targetBytes ?? "?"} B, upper bound ${rec.upperBoundBytes ?? "?"} B`,
          ),
        }
      : null;
  return { observed, vpa };
}

/**
 * Rounds a byte count up to a limit people write: multiples of 64 Mi below 512 Mi, of
 * 128 Mi below 1 Gi (`768Mi`), of 512 Mi below 4 Gi (`1536Mi`, `3Gi`), of 1 Gi below 16 Gi,
 * else of 2 Gi. `roundLimit(2.93 GiB)` → 3 GiB.
 */
export function roundLimit(bytes: number): number {
  const step =
    bytes <= 512 * MI ? 64 * MI : bytes <= GI ? 128 * MI : bytes <= 4 * GI ? 512 * MI : bytes <= 16 * GI ? GI : 2 * GI;
  return Math.max(step, Math.ceil(bytes / step) * step);
}

/** A Kubernetes quantity for a byte count: whole Gi (`2Gi`), else whole Mi rounded up (`1536Mi`). */
export function toQuantity(bytes: number): string {
  return bytes % GI === 0 ? `${bytes / GI}Gi` : `${Math.ceil(bytes / MI)}Mi`;
}

/**
 * The usage of the memcg at the kill: the limit it hit when the kernel reported the
 * container's (or pod's) own memcg at its limit, else the victim's RSS (anon + file + shmem:
 * `victimOnly`, a lower bound of the memcg's usage).
 * `limitAtKill`: the limit the container is known to have been killed at (kubelet OOMKilled).
 */
function usageAtKill(kills: Kill[], limitAtKill: number | null = null): (Observed & { victimOnly: boolean }) | null {
  let best: (Observed & { victimOnly: boolean }) | null =
    limitAtKill !== null && kills.length > 0
      ? { bytes: limitAtKill, label: "usage at the kill", evidence: kills.at(-1)!.evidence[0], victimOnly: false }
      : null;
  for (const k of kills) {
    const atLimit =
      k.limitHit !== null &&
      k.limitBytes !== null &&
      (k.memcgLevel === "container" || k.memcgLevel === "pod" || k.memcgLevel === null);
    const rss = (k.anonRssBytes ?? 0) + (k.fileRssBytes ?? 0) + (k.shmemRssBytes ?? 0);
    const bytes = atLimit ? Math.max(k.limitBytes!, rss) : rss;
    if (bytes > 0 && (best === null || bytes > best.bytes))
      best = { bytes, label: "usage at the kill", evidence: k.evidence[0], victimOnly: !atLimit };
  }
  return best;
}

/** A figure the recommendation is built from: bytes, the words of its computation, and its source. */
interface Basis {
  bytes: number;
  words: string;
  evidence?: Evidence;
}

function seriesBase(usage: UsageSeries | null | undefined): Basis | null {
  if (!usage || usage.runs.length === 0) return null;
  const p99 = maxOf(
    usage.runs.map((r) => r.p99Bytes),
    0,
  );
  if (!(p99 > 0)) return null;
  const name = /working_?set/i.test(usage.metric) ? "p99 working set" : `p99 of ${usage.metric}`;
  return {
    bytes: p99 * SERIES_FACTOR,
    words: `${name} ${formatBytes(p99)} × ${SERIES_FACTOR} = ${formatBytes(p99 * SERIES_FACTOR)}`,
    evidence: usage.evidence,
  };
}

function pointBase(atKill: Observed | null): Basis | null {
  if (!atKill) return null;
  return {
    bytes: atKill.bytes * POINT_FACTOR,
    words: `no series: ${atKill.label} ${formatBytes(atKill.bytes)} × ${POINT_FACTOR.toFixed(1)} = ${formatBytes(atKill.bytes * POINT_FACTOR)}`,
    evidence: atKill.evidence,
  };
}

function seriesMax(usage: UsageSeries | null | undefined): Observed[] {
  if (!usage || usage.runs.length === 0) return [];
  const max = maxOf(
    usage.runs.map((r) => r.maxBytes),
    0,
  );
  return max > 0 ? [{ bytes: max, label: "series max", evidence: usage.evidence }] : [];
}

/** What KRR (max + 15 %) and the VPA would set, when it differs from the recommendation. */
function comparisons(
  recommended: number,
  vpa: VpaRecommendation | null,
  usage: UsageSeries | null | undefined,
): string[] {
  const out: string[] = [];
  const max = seriesMax(usage)[0];
  if (max) {
    const krr = roundLimit(max.bytes * HEADROOM);
    if (krr !== recommended)
      out.push(`KRR (max + 15%) would set ${toQuantity(krr)} (series max ${formatBytes(max.bytes)})`);
  }
  if (vpa && (vpa.targetBytes !== null || vpa.upperBoundBytes !== null)) {
    const parts = [
      vpa.targetBytes !== null ? `target ${formatBytes(vpa.targetBytes)}` : null,
      vpa.upperBoundBytes !== null ? `upper bound ${formatBytes(vpa.upperBoundBytes)}` : null,
    ].filter(Boolean);
    out.push(
      `VPA recommends ${parts.join(", ")}${vpa.upperBoundBytes !== null && recommended < vpa.upperBoundBytes ? `; its upper bound is above ${toQuantity(recommended)}` : ""}`,
    );
  }
  return out;
}
