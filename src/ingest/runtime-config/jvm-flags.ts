/**
 * Helpers for the runtime-config ingester: which `-XX:+PrintFlagsFinal` flags are sizes and in
 * what unit, and how a printed value becomes bytes. HotSpot declares the flags in
 * `src/hotspot/share/runtime/globals.hpp` (JDK 9+) / `globals.hpp` (JDK 8): heap and buffer
 * sizes in bytes, thread stack sizes in KiB (`ThreadStackSize  = 1024` is 1 MiB).
 */

/** Size flags whose value is printed in bytes. */
const BYTE_FLAGS = new Set([
  "MaxHeapSize",
  "InitialHeapSize",
  "MinHeapSize",
  "SoftMaxHeapSize",
  "MaxNewSize",
  "NewSize",
  "OldSize",
  "MaxDirectMemorySize",
  "MaxMetaspaceSize",
  "MetaspaceSize",
  "CompressedClassSpaceSize",
  "ReservedCodeCacheSize",
  "InitialCodeCacheSize",
  "MaxRAM",
  "ErgoHeapSizeLimit",
]);

/** Size flags whose value is printed in KiB. */
const KIB_FLAGS = new Set(["ThreadStackSize", "VMThreadStackSize", "CompilerThreadStackSize"]);

/**
 * The printed value in bytes for a size flag, null for other flags. Throws nothing: a size flag
 * with a non-numeric value returns NaN so the caller can warn. Values are unsigned 64-bit; the
 * "unlimited" 18446744073709551615 comes out as ~1.8e19 (see `isUnlimited`).
 */
export function flagBytes(name: string, value: string): number | null {
  const unit = BYTE_FLAGS.has(name) ? 1 : KIB_FLAGS.has(name) ? 1024 : null;
  if (unit === null) return null;
  return /^\d+$/.test(value) ? Number(value) * unit : NaN;
}
