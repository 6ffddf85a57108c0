/**
 * Facts kept for the whole run, held in as little memory as their values need. A
 * `kubectl get pods -A -o json` of 500 MiB keeps up to 10,000 quiet pods plus every troubled one
 * (`MAX_QUIET_PODS`), and V8 lets the heap grow to about four times what survives a full
 * collection before it collects again, so each byte kept costs several of peak RSS. Replicas of
 * one template repeat its image, args, env values, mount paths, probe, namespace, node and owner:
 * kept once here instead of once per pod. Arrays built by `push`/`flatMap` hold room for 16 or
 * more elements: copied to their length. Measured on the bench's PodList (12 KB pods): 4.3 KiB of
 * facts per kept pod as mapped, 2.3 KiB compacted; with the copies (below), peak RSS at 500 MiB
 * 299 → 208 MiB.
 *
 * Sample: `const strings = new SharedStrings(); const pod = compact(mapPod(view, ctx), strings);`
 * — every string of `pod` is now the one copy `strings` holds of that value, every array exact.
 */

/** Strings longer than this (characters) are not shared: long values rarely repeat (annotations, messages). */
const MAX_SHARED_CHARS = 256;

/** Distinct strings a `SharedStrings` generation holds before it becomes the older one. */
const SHARED_GENERATION = 10_000;

/** Objects nested deeper than this are left as they are (facts are a few levels deep). */
const MAX_COMPACT_DEPTH = 16;

/**
 * A copy of `s` that does not keep the text it was sliced from alive. V8 represents a slice of
 * 13 or more characters as a view into its parent, so one kept pod name would pin the whole
 * list item (about 6 KiB) it came from: 85k pods of a 500 MB list would hold 500 MB.
 * Concatenating then slicing makes V8 flatten into a new string of the slice's own size (and a
 * string built by concatenation, a chain of pieces, into one).
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/**
 * Equal strings kept once. Memory is bounded: two generations of up to `SHARED_GENERATION`
 * strings of at most `MAX_SHARED_CHARS`; a string found in the older generation moves to the
 * newer, the rest are dropped when the newer one fills (values seen once, such as uids and
 * timestamps, age out while a template's values stay).
 */
export class SharedStrings {
  private newer = new Map<string, string>();
  private older = new Map<string, string>();

  /** `s` as a string of its own (see `ownCopy`), the same string as an earlier equal one while it is held. */
  own(s: string): string {
    if (s.length > MAX_SHARED_CHARS) return ownCopy(s);
    let kept = this.newer.get(s);
    if (kept !== undefined) return kept;
    kept = this.older.get(s) ?? ownCopy(s);
    if (this.newer.size >= SHARED_GENERATION) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(kept, kept);
    return kept;
  }
}

/**
 * A copy of `value` with every string replaced by its shared copy and every array by one of its
 * own length. For plain data (facts): objects are copied with their own properties, so what is
 * kept comes from here, and what the caller built dies young (V8 moves allocation sites whose
 * objects survive to the old generation, where their dropped ones then wait for a full GC).
 */
export function compact<T>(value: T, strings: SharedStrings, depth = 0): T {
  if (typeof value === "string") return strings.own(value) as T;
  if (value === null || typeof value !== "object" || depth > MAX_COMPACT_DEPTH) return value;
  // `map` allocates the result at its final length.
  if (Array.isArray(value)) return value.map((v: unknown) => compact(v, strings, depth + 1)) as T;
  // Only plain objects are copied: a Map, Date or class instance would lose what `{...}` does not copy.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(copy)) copy[key] = compact(copy[key], strings, depth + 1);
  return copy as T;
}
