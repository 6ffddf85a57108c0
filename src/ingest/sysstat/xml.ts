/**
 * `sadf -x` XML (sysstat `xml_stats.c` / `sadf_misc.c`, DTD 2.x–3.x): `<sysstat><host nodename=…>
 * <statistics><timestamp date="2025-11-24" time="15:31:01" utc="1" interval="60"><memory unit="kB">
 * <memfree>…</memfree>…</memory><paging per="second">…</paging></timestamp>`. Paging is read as
 * child elements (sysstat ≥ 9) or as attributes (older `sadf -x`). Parsed with fast-xml-parser;
 * each `<timestamp>` cites its own line, found by counting `<timestamp` tags in the text.
 */
import type * as Fxp from "fast-xml-parser";
import { lazyRequire } from "../../util/lazy-require.js";
import { XML_FIELDS, type SysstatRow } from "./fields.js";

/** fast-xml-parser, loaded by the first `sadf -x` document. */
const fxp = lazyRequire<typeof Fxp>("fast-xml-parser");

/** What the XML gives: one entry per host. */
interface XmlHost {
  node: string | null;
  rows: SysstatRow[];
}

/** Opening `<timestamp` tags, in document order. */
const TIMESTAMP_TAG = /<timestamp[\s>]/g;

/** Reads the hosts of a `sadf -x` document; throws nothing (a malformed document gives no hosts). */
export function readSadfXml(text: string): { hosts: XmlHost[]; error: string | null } {
  let doc: unknown;
  try {
    const parser = new (fxp().XMLParser)({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      processEntities: false,
      isArray: (name) => name === "host" || name === "timestamp",
    });
    doc = parser.parse(text);
  } catch (err) {
    return { hosts: [], error: (err as Error).message.split("\n")[0]! };
  }
  const lines = timestampLines(text);
  let n = 0;
  const hosts: XmlHost[] = [];
  for (const host of asArray(get(doc, "sysstat", "host"))) {
    const rows: SysstatRow[] = [];
    for (const ts of asArray(get(host, "statistics", "timestamp"))) {
      const line = lines[n++] ?? 1;
      const date = String(get(ts, "@_date") ?? "");
      const time = String(get(ts, "@_time") ?? "");
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
      if (!m || !t) continue;
      const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +t[1]!, +t[2]!, +t[3]!);
      if (!Number.isFinite(ms)) continue;
      const values: Record<string, number> = {};
      for (const group of ["memory", "paging"]) collect(get(ts, group), values);
      rows.push({ ms, local: String(get(ts, "@_utc")) !== "1", values, line });
    }
    hosts.push({ node: nodeName(host), rows });
  }
  return { hosts, error: null };
}

// Children and attributes of `<memory>` / `<paging>` that sysstat names; numbers only.
function collect(group: unknown, into: Record<string, number>): void {
  if (group === null || typeof group !== "object") return;
  for (const [k, v] of Object.entries(group as Record<string, unknown>)) {
    const name = k.startsWith("@_") ? k.slice(2) : k;
    if (!(name in XML_FIELDS)) continue;
    const n = typeof v === "number" ? v : Number(v);
    if (Number.isFinite(n) && n >= 0) into[name] = n;
  }
}

function nodeName(host: unknown): string | null {
  const n = get(host, "@_nodename");
  return typeof n === "string" && n !== "" ? n : null;
}

function timestampLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(TIMESTAMP_TAG)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    out.push(line);
  }
  return out;
}

function get(node: unknown, ...keys: string[]): unknown {
  let cur = node;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
