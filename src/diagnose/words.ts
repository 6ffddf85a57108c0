/**
 * Small wording helpers for rule reasons (durations and percentages); sizes come from
 * `render/format.ts` `formatBytes` so every number reads the same in reasons and tables.
 */
export { formatBytes } from "../render/format.js";

/** `7800000` → `2h 10m`, `42000` → `42s`, `90061000` → `1d 1h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts: [number, string][] = [[Math.floor(s / 86400), "d"], [Math.floor((s % 86400) / 3600), "h"], [Math.floor((s % 3600) / 60), "m"], [s % 60, "s"]];
  const nonZero = parts.filter(([n]) => n > 0);
  return nonZero.length === 0 ? "0s" : nonZero.slice(0, 2).map(([n, u]) => `${n}${u}`).join(" ");
}

/** `0.8571` → `86%`. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
