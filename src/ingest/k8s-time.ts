/**
 * Kubernetes time and age text → UTC epoch milliseconds / durations in milliseconds.
 * Shared by the `kubectl-describe` and `pod-json` ingesters.
 *
 * Formats:
 * - API objects (`metav1.Time` JSON/YAML) use RFC 3339, seconds precision, `Z` or an offset;
 *   `metav1.MicroTime` (events.k8s.io `eventTime`) adds microseconds:
 *   `2016-04-11T23:52:49Z`, `2023-03-01T10:00:00.123456Z`, `2021-12-13T18:02:32-08:00`.
 * - `kubectl describe` prints times with Go's `time.RFC1123Z` in the *client's* local zone
 *   (kubectl `pkg/describe/describe.go`: `…Time.Format(time.RFC1123Z)`):
 *   `Mon, 13 Dec 2021 18:02:32 -0800`. Very old releases printed `time.RFC1123`
 *   (`Thu, 12 Feb 2015 01:13:02 UTC`); only the unambiguous zone names UTC/GMT/Z are accepted.
 * - Go's `time.Time.String()` (seen in some logs and old printers):
 *   `2021-12-13 18:02:32.123 -0800 PST`.
 * - Ages (`Age` column of the describe events table, `kubectl get` AGE) come from
 *   apimachinery `pkg/util/duration` `HumanDuration` / `ShortHumanDuration`:
 *   `87s`, `6m40s`, `58m`, `5h3m`, `2d3h`, `400d`, `2y3d`; `<unknown>` / `<invalid>` when not known.
 */
import { monthIndex } from "../util/month-names.js";

/** RFC 3339 / ISO 8601 with a zone: `2016-04-11T23:52:49Z`, `2025-02-27T06:36:21.5+01:00`. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})$/i;

/** Go `time.RFC1123Z` = `Mon, 02 Jan 2006 15:04:05 -0700`; `time.RFC1123` with UTC/GMT. */
const RFC1123 =
  /^(?:[A-Za-z]{3},\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+([+-]\d{4}|UTC|GMT|Z)$/;

/** Go `time.Time.String()` = `2006-01-02 15:04:05.999999999 -0700 MST` (the zone name is ignored). */
const GO_TIME_STRING = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-]\d{4})(?: [A-Z0-9+-]+)?$/i;

/** One HumanDuration/time.Duration component: `6m`, `40s`, `2d`, `901ms`, `1.5s`. */
const DURATION = /^(?:\d+(?:\.\d+)?(?:[ydh]|ms|us|µs|ns|[ms]))+$/;
const DURATION_PART = /(?<![\d.])(\d+(?:\.\d+)?)([ydh]|ms|us|µs|ns|[ms])/g;

/** YAML/JSON quotes around a time (`"2016-04-11T23:52:49Z"`). */
const QUOTES = /^"|"$/g;

/** Zone designators: `Z`, `UTC`, `GMT`; offsets `+0100`, `-08:00`. */
const UTC_ZONE = /^(?:z|utc|gmt)$/i;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

const UNIT_MS: Record<string, number> = {
  y: 365 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/**
 * Parses a Kubernetes timestamp into UTC epoch ms.
 * Accepts RFC 3339 (`2016-04-11T23:52:49Z`, fractional seconds, `+01:00` offsets), the describe
 * printer's RFC 1123Z (`Thu, 27 Feb 2025 07:36:21 +0100` → 2025-02-27T06:36:21Z), RFC 1123 with
 * `UTC`/`GMT`, and Go's `time.String()` form. Returns null for anything else (including
 * out-of-range fields such as month 13, and Go's zero time `0001-01-01`, which kubectl prints
 * for an unset time); never throws.
 */
export function parseKubeTime(text: string): number | null {
  if (typeof text !== "string") return null;
  const t = text.trim().replace(QUOTES, "");
  let m = RFC3339.exec(t) ?? GO_TIME_STRING.exec(t);
  if (m) {
    return build(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ?? "", offsetMinutes(m[8]!));
  }
  m = RFC1123.exec(t);
  if (m) {
    // Go prints English month names; the one month table (util/month-names.ts) reads them.
    const month = monthIndex(m[2]!);
    if (month === null) return null;
    return build(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!, "", offsetMinutes(m[7]!));
  }
  return null;
}

/**
 * Parses an age/duration as kubectl prints it into milliseconds: `87s` → 87000,
 * `6m40s` → 400000, `58m`, `2d3h`, `2y3d` (a year is 365 days, as in HumanDuration),
 * and Go `time.Duration` strings such as `901ms` or `1.01s`. Returns null for `<unknown>`,
 * `<invalid>`, empty or malformed text.
 */
export function parseKubeDuration(text: string): number | null {
  if (typeof text !== "string") return null;
  const t = text.trim();
  if (t.length === 0 || t.length > 64 || !DURATION.test(t)) return null;
  let ms = 0;
  for (const part of t.matchAll(DURATION_PART)) ms += Number(part[1]) * UNIT_MS[part[2]!]!;
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

// `Z`, `UTC`, `GMT`, `+0100`, `-08:00` → minutes east of UTC; null when unreadable.
function offsetMinutes(zone: string): number | null {
  if (UTC_ZONE.test(zone)) return 0;
  const m = OFFSET.exec(zone);
  if (!m) return null;
  const minutes = +m[2]! * 60 + +m[3]!;
  if (+m[2]! > 23 || +m[3]! > 59) return null;
  return m[1] === "-" ? -minutes : minutes;
}

// Validated Date.UTC, shifted by the zone offset.
function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string,
  offset: number | null,
): number | null {
  // Go's zero time (`Mon, 01 Jan 0001 00:00:00 +0000`, printed for unset times) and other
  // pre-1900 years mean "not known"; Date.UTC would also map years 0–99 to 1900–1999.
  if (offset === null || y < 1900 || mo < 0 || mo > 11 || d < 1 || h > 23 || mi > 59 || s > 60) return null;
  const days = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  if (d > days) return null;
  const fracMs = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return Date.UTC(y, mo, d, h, mi, Math.min(s, 59)) + fracMs - offset * 60_000;
}
