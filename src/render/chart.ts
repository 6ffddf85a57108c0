/**
 * The usage chart of the HTML report: one inline SVG per incident with a usage series,
 * memory against the limit over time, restarts and OOM kills marked.
 *
 * The SVG is trusted markup placed raw into the page (`templates/report.html.hbs`), so it is
 * built only from numbers this module computes and from text passed through `escapeHtml`
 * (after `singleLine`). Artifact text (the metric name, the title) never reaches it any other
 * way, and the kill/restart times are drawn only when they are strict ISO 8601 instants.
 * No script, no link, no external resource, no `url(`: the page's CSP
 * (`default-src 'none'`) allows inline SVG elements as they are.
 *
 * Sample: `usageChartSvg({metric: "container_memory_working_set_bytes", limitBytes: 2147483648,
 * points: [[1781002800000, 1610612736], …], kills: ["2026-06-09T11:02:17Z"], restarts: [], …},
 * "Incident 1: …")` →
 * `<svg class="usage-chart" viewBox="0 0 760 320" …><title>Incident 1: …</title>…
 * <polyline class="usage" points="70.0,190.3 …"/>…<g class="limit">…</g><g class="kill">…</g></svg>`.
 */
import type { UsageSeries } from "../model/incident.js";
import { formatBytes, formatTime } from "../util/format.js";
import { escapeHtml } from "./html-escape.js";
import { singleLine } from "../util/text.js";

/** Drawing area, in SVG user units (the SVG scales down with the page). */
const WIDTH = 760;
const HEIGHT = 320;
const LEFT = 72;
const RIGHT = 24;
const TOP = 52;
const BOTTOM = 52;

/** Longest visible title, in characters (the full text stays in `<title>`). */
const TITLE_MAX = 78;

/** Longest metric name in the legend, in characters. */
const LEGEND_NAME_MAX = 48;

/** Most kill/restart times named in the `<desc>`. */
const DESC_EVENTS_MAX = 5;

/**
 * A strict ISO 8601 instant with a zone, as the model writes times (`2026-06-09T11:02:17Z`,
 * `2026-06-09T11:02:17.250+02:00`). `Date.parse` alone accepts far looser strings.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Time-axis steps to choose from, in ms (aligned to UTC since the epoch). */
const TIME_STEPS_MS = [
  1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600,
  2592000,
].map((s) => s * 1000);

/** At most this many ticks on an axis. */
const MAX_TICKS = 7;

/** The largest |epoch ms| a JavaScript Date can hold (ECMA-262 §21.4.1.1). */
const MAX_EPOCH_MS = 8.64e15;

const DAY_MS = 86_400_000;

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** A kill or restart placed on the time axis. */
interface Marker {
  ms: number;
  kind: "kill" | "restart";
}

/**
 * The SVG chart for `usage`, or null when the series has no finite point to draw.
 *
 * - x: time (UTC), from the first to the last point, widened to take in kills and restarts
 *   that fall close to the series (within 5% of its span or one scrape step); events
 *   further away are left out of the drawing (the Markdown lists them all);
 * - y: bytes from 0 to 110% of the larger of the series' maximum and the limit, labelled
 *   in MiB, or GiB from 1.5 GiB up;
 * - one `<polyline class="usage">` with one coordinate pair per finite point, a dashed
 *   `<g class="limit">` line when the limit is known, one `<g class="kill">` (red line and
 *   marker) per kill and one `<g class="restart">` (dotted line) per restart.
 *
 * @param usage the incident's usage series (bytes, epoch ms)
 * @param title plain text (not Markdown) for the chart title; escaped here
 */
export function usageChartSvg(usage: UsageSeries, title: string): string | null {
  const points = usage.points
    .filter(([t, v]) => Number.isFinite(v) && Math.abs(t) <= MAX_EPOCH_MS)
    .sort((a, b) => a[0] - b[0]);
  if (points.length === 0) return null;
  const limit =
    usage.limitBytes !== null && Number.isFinite(usage.limitBytes) && usage.limitBytes > 0 ? usage.limitBytes : null;

  let tMin = points[0]![0];
  let tMax = points[points.length - 1]![0];
  const pad = Math.max((tMax - tMin) * 0.05, (usage.stepSec ?? 0) * 1000, 60_000);
  const markers = [
    ...instants(usage.kills).map((ms): Marker => ({ ms, kind: "kill" })),
    ...instants(usage.restarts).map((ms): Marker => ({ ms, kind: "restart" })),
  ].filter((m) => m.ms >= tMin - pad && m.ms <= tMax + pad);
  for (const m of markers) {
    tMin = Math.min(tMin, m.ms);
    tMax = Math.max(tMax, m.ms);
  }
  if (tMax === tMin) {
    tMin -= 60_000;
    tMax += 60_000;
  }

  const maxValue = points.reduce((max, [, v]) => Math.max(max, v), limit ?? 0);
  const yTop = maxValue > 0 ? maxValue * 1.1 : MIB;
  const unit = yTop >= 1.5 * GIB ? { size: GIB, name: "GiB" } : { size: MIB, name: "MiB" };

  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const bottom = TOP + plotH;
  const x = (ms: number): number => LEFT + ((ms - tMin) / (tMax - tMin)) * plotW;
  const y = (bytes: number): number => bottom - (Math.max(0, bytes) / yTop) * plotH;

  const cleanTitle = singleLine(title);
  const shownTitle = cleanTitle.length > TITLE_MAX ? `${cleanTitle.slice(0, TITLE_MAX - 1)}…` : cleanTitle;
  const kills = markers.filter((m) => m.kind === "kill");
  const restarts = markers.filter((m) => m.kind === "restart");

  const parts: string[] = [];
  parts.push(
    `<svg class="usage-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(cleanTitle)}">`,
    `<title>${escapeHtml(cleanTitle)}</title>`,
    `<desc>${escapeHtml(describe(singleLine(usage.metric), points, limit, kills, restarts))}</desc>`,
    `<text class="chart-title" x="${LEFT}" y="18" font-size="14" font-weight="600" fill="currentColor">${escapeHtml(shownTitle)}</text>`,
  );
  parts.push(legend(usageLabel(usage.metric), limit !== null, kills.length > 0, restarts.length > 0));

  // Grid and y axis.
  parts.push(`<g class="grid" stroke="#d1d9e0" stroke-width="1">`);
  const yTicks = niceTicks(yTop / unit.size);
  for (const v of yTicks)
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${num(y(v * unit.size))}" y2="${num(y(v * unit.size))}"/>`,
    );
  parts.push(`</g>`);
  parts.push(`<g class="axis y-axis" font-size="11" fill="currentColor" text-anchor="end">`);
  for (const v of yTicks)
    parts.push(`<text x="${LEFT - 6}" y="${num(y(v * unit.size) + 4)}">${escapeHtml(tickNumber(v))}</text>`);
  parts.push(
    `<text class="axis-title" transform="rotate(-90)" x="${num(-(TOP + plotH / 2))}" y="16" text-anchor="middle">Memory (${unit.name})</text>`,
    `</g>`,
  );

  // x axis.
  const step =
    TIME_STEPS_MS.find((s) => (tMax - tMin) / s <= MAX_TICKS) ?? Math.ceil((tMax - tMin) / MAX_TICKS / DAY_MS) * DAY_MS;
  const sameDay = isoDate(tMin) === isoDate(tMax);
  parts.push(
    `<g class="axis x-axis" font-size="11" fill="currentColor" text-anchor="middle">`,
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}" stroke="currentColor" stroke-width="1"/>`,
    `<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${bottom}" stroke="currentColor" stroke-width="1"/>`,
  );
  for (let t = Math.ceil(tMin / step) * step; t <= tMax; t += step) {
    parts.push(
      `<line x1="${num(x(t))}" x2="${num(x(t))}" y1="${bottom}" y2="${bottom + 4}" stroke="currentColor" stroke-width="1"/>`,
      `<text x="${num(x(t))}" y="${bottom + 17}">${escapeHtml(timeLabel(t, step, sameDay))}</text>`,
    );
  }
  const axisTitle = sameDay ? `Time (UTC), ${isoDate(tMin)}` : "Time (UTC)";
  parts.push(
    `<text class="axis-title" x="${num(LEFT + plotW / 2)}" y="${HEIGHT - 10}">${escapeHtml(axisTitle)}</text>`,
    `</g>`,
  );

  // Limit, usage, restarts, kills (kills last, on top).
  if (limit !== null) {
    const ly = num(y(limit));
    parts.push(
      `<g class="limit" stroke="#bc4c00" fill="#bc4c00">`,
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ly}" y2="${ly}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${LEFT + 6}" y="${num(y(limit) - 5)}" font-size="11" stroke="none">${escapeHtml(`limit ${formatBytes(limit)}`)}</text>`,
      `</g>`,
    );
  }
  const coords = points.map(([t, v]) => `${num(x(t))},${num(y(v))}`).join(" ");
  parts.push(
    `<polyline class="usage" points="${coords}" fill="none" stroke="#0969da" stroke-width="1.5" stroke-linejoin="round"/>`,
  );
  for (const m of restarts) {
    const mx = num(x(m.ms));
    parts.push(
      `<g class="restart" stroke="#59636e">`,
      `<title>${escapeHtml(`restart at ${formatTime(m.ms)}`)}</title>`,
      `<line x1="${mx}" x2="${mx}" y1="${TOP}" y2="${bottom}" stroke-width="1.5" stroke-dasharray="2 3"/>`,
      `</g>`,
    );
  }
  for (const m of kills) {
    const mx = x(m.ms);
    parts.push(
      `<g class="kill" stroke="#cf222e" fill="#cf222e">`,
      `<title>${escapeHtml(`OOM kill at ${formatTime(m.ms)}`)}</title>`,
      `<line x1="${num(mx)}" x2="${num(mx)}" y1="${TOP}" y2="${bottom}" stroke-width="1.5"/>`,
      `<path d="M${num(mx - 5)},${TOP} L${num(mx + 5)},${TOP} L${num(mx)},${TOP + 8} Z" stroke="none"/>`,
      `</g>`,
    );
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}

/** Epoch ms of the strict ISO instants in `times`; anything else is skipped. */
function instants(times: string[]): number[] {
  const out: number[] = [];
  for (const time of times) {
    if (typeof time !== "string" || !ISO_INSTANT.test(time)) continue;
    const ms = Date.parse(time);
    if (Number.isFinite(ms)) out.push(ms);
  }
  return out;
}

/** The legend row under the title: usage, and limit / restart / OOM kill when drawn. */
function legend(usageKey: string, hasLimit: boolean, hasKills: boolean, hasRestarts: boolean): string {
  const keys: { label: string; className: string; stroke: string; width: number; dash: string | null }[] = [
    { label: usageKey, className: "usage-key", stroke: "#0969da", width: 2, dash: null },
  ];
  if (hasLimit) keys.push({ label: "limit", className: "limit-key", stroke: "#bc4c00", width: 1.5, dash: "6 4" });
  if (hasRestarts)
    keys.push({ label: "restart", className: "restart-key", stroke: "#59636e", width: 1.5, dash: "2 3" });
  if (hasKills) keys.push({ label: "OOM kill", className: "kill-key", stroke: "#cf222e", width: 2, dash: null });
  const items: string[] = [];
  let at = LEFT;
  for (const key of keys) {
    const dash = key.dash === null ? "" : ` stroke-dasharray="${key.dash}"`;
    items.push(
      `<line class="${key.className}" x1="${at}" x2="${at + 22}" y1="36" y2="36" stroke="${key.stroke}" stroke-width="${key.width}"${dash}/>`,
      `<text x="${at + 28}" y="40">${escapeHtml(key.label)}</text>`,
    );
    at += 38 + Math.round(key.label.length * 6.5);
  }
  return `<g class="legend" font-size="11" fill="currentColor">\n${items.join("\n")}\n</g>`;
}

/** The usage key: the metric name without its labels, shortened (`container_memory_working_set_bytes`). */
function usageLabel(metric: string): string {
  const name = singleLine(metric).split("{")[0]!.trim();
  if (name === "") return "usage";
  return name.length > LEGEND_NAME_MAX ? `${name.slice(0, LEGEND_NAME_MAX - 1)}…` : name;
}

/** Plain-text description for screen readers: span, limit, kills and restarts. */
function describe(
  metric: string,
  points: [number, number][],
  limit: number | null,
  kills: Marker[],
  restarts: Marker[],
): string {
  const first = formatTime(points[0]![0]);
  const last = formatTime(points[points.length - 1]![0]);
  const peak = points.reduce((max, [, v]) => Math.max(max, v), -Infinity);
  const times = (ms: Marker[]): string =>
    ms.length === 0
      ? "none"
      : ms
          .slice(0, DESC_EVENTS_MAX)
          .map((m) => formatTime(m.ms))
          .join(", ") + (ms.length > DESC_EVENTS_MAX ? ` and ${ms.length - DESC_EVENTS_MAX} more` : "");
  return (
    `${metric}: ${points.length} points from ${first} to ${last}, peak ${formatBytes(peak)}; ` +
    `limit ${limit === null ? "unknown" : formatBytes(limit)}; OOM kills: ${times(kills)}; restarts: ${times(restarts)}.`
  );
}

/** Round tick values from 0 up to `top` (exclusive of overshoot): steps of 1, 2, 2.5 or 5 × 10^k. */
function niceTicks(top: number): number[] {
  if (!(top > 0)) return [0];
  const raw = top / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => top / s <= MAX_TICKS) ?? 10 * pow;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step * 1e-9; i++) ticks.push(i * step);
  return ticks;
}

/** A tick value without float noise: `2.5`, `0.1`, `512`. */
function tickNumber(v: number): string {
  return String(Number(v.toFixed(6)));
}

/** `HH:MM` (or `HH:MM:SS` below a minute's step), with `MM-DD` in front when the axis spans days. */
function timeLabel(ms: number, step: number, sameDay: boolean): string {
  const iso = new Date(ms).toISOString(); // 2026-06-09T11:02:17.000Z
  const clock = step < 60_000 ? iso.slice(11, 19) : iso.slice(11, 16);
  if (sameDay) return clock;
  return step >= DAY_MS ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${clock}`;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A coordinate with one decimal. */
function num(n: number): string {
  return n.toFixed(1);
}
