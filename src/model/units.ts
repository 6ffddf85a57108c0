/**
 * Units at the ingest boundary: everything becomes bytes (numbers) or epoch milliseconds.
 * Only `util/format.ts` turns bytes back into MiB/GiB for people.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** Kubernetes resource.Quantity, e.g. `512Mi`, `2Gi`, `1G`, `500M`, `1e9`, `129e6`. */
const QUANTITY = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|[kKMGTPEm])?$/;

/**
 * Parses a Kubernetes memory quantity (`apimachinery/pkg/api/resource/quantity.go`)
 * into bytes: `"512Mi"` → 536870912, `"1G"` → 1e9, `"300000000"` → 3e8.
 * Returns null for anything it cannot read (never throws).
 */
export function parseQuantity(text: string | number | null | undefined): number | null {
  if (typeof text === "number") return Number.isFinite(text) ? text : null;
  if (typeof text !== "string") return null;
  const m = QUANTITY.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]);
  const suffix = m[2];
  const factor = suffix === undefined ? 1 : (BINARY[suffix] ?? DECIMAL[suffix] ?? NaN);
  const bytes = value * factor;
  return Number.isFinite(bytes) && bytes >= 0 ? Math.round(bytes) : null;
}

/** Kernel `kB` values (mm/oom_kill.c prints `K(x)` = pages << (PAGE_SHIFT-10)) are KiB. */
export function kib(n: number): number {
  return n * 1024;
}

/** Page counts in the kernel's tasks table; x86-64 and arm64 default 4 KiB pages. */
export const PAGE_BYTES = 4096;

/**
 * cgroup "no limit" values: v1 prints PAGE_COUNTER_MAX pages as bytes (9223372036854771712)
 * and the kernel OOM report prints it as 9007199254740988kB; v2 prints `max`.
 * Returns true when a limit in bytes means "unlimited".
 */
export function isUnlimited(bytes: number | null): boolean {
  return bytes !== null && bytes >= 2 ** 60;
}

/**
 * The working set as the kubelet defines it: usage − inactive_file, floored at 0
 * (cAdvisor `container_memory_working_set_bytes`; kubernetes.io
 * `examples/admin/resource/memory-available.sh`).
 */
export function workingSet(usageBytes: number, inactiveFileBytes: number): number {
  return Math.max(0, usageBytes - inactiveFileBytes);
}
