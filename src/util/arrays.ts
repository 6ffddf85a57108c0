/**
 * Array helpers whose cost does not depend on the call stack. `push(...items)` and
 * `Math.max(...items)` pass every element as an argument, so an array of a few hundred
 * thousand elements (150k OOM kills in one journal, a tasks table of 200k rows) throws
 * `RangeError: Maximum call stack size exceeded`. These loop instead.
 *
 * Sample: `pushAll(out.ooms, fileFacts.ooms)`; `maxOf([3, 9, 4], 0)` → 9.
 */

/** Appends every element of `items` to `target` (in order) and returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `empty` when there is none (NaN is skipped). */
export function maxOf(values: Iterable<number>, empty: number): number {
  let best = -Infinity;
  for (const v of values) if (v > best) best = v;
  return best === -Infinity ? empty : best;
}

/** The smallest of `values`, or `empty` when there is none (NaN is skipped). */
export function minOf(values: Iterable<number>, empty: number): number {
  let best = Infinity;
  for (const v of values) if (v < best) best = v;
  return best === Infinity ? empty : best;
}
