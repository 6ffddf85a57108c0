/**
 * sysstat: node memory over time from sysstat — `sadf -x` XML (read with fast-xml-parser, see
 * `sysstat/xml.ts`) and `sar -r` / `-S` / `-B` text (see `sysstat/sar-text.ts`). Each memory,
 * swap and paging field becomes a node-level `MetricSeries` labelled with the node
 * (`node_memory_MemAvailable_bytes{node="…"}`, `node_memory_sysstat_commit_percent`, …; see
 * `sysstat/fields.ts`), which node-overcommit cites for node OOMs and evictions.
 *
 * Sample input (sysstat 12.5, `sadf -x /var/log/sa/sa24 -- -r`):
 * ```text
 * <timestamp date="2025-11-24" time="15:31:01" utc="1" interval="60">
 *   <memory unit="kB">
 *     <memfree>1072003</memfree>
 *     <avail>1786672</avail>
 *     <memused>7316129</memused>
 *     <memused-percent>78.70</memused-percent>
 *     <commit-percent>145.00</commit-percent>
 *   </memory>
 * </timestamp>
 * ```
 */
import { emptyFacts, type FactSet } from "../model/facts.js";
import { warning } from "../model/source.js";
import { SeriesCollector } from "./metrics-csv/collector.js";
import { XML_FIELDS, type SysstatRow } from "./sysstat/fields.js";
import { readSarText } from "./sysstat/sar-text.js";
import { readSadfXml } from "./sysstat/xml.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** `<sysstat` root, or a sadf DOCTYPE. */
const XML_HEAD = /<sysstat[\s>]|<!DOCTYPE sysstat/;
/** A sar memory/swap/paging header: `03:30:01 PM kbmemfree …`, `15:30:01 kbswpfree …`. */
const SAR_HEADER = /^\d{1,2}:\d{2}:\d{2}(?:\s*[AP]M)?\s+(?:kbmemfree|kbswpfree|pgpgin\/s)\b/m;

export const sysstat: Ingester = {
  kind: "sysstat",
  description: "sysstat node memory over time: sadf -x XML and sar -r/-S/-B text",

  sniff(head: string): boolean {
    return XML_HEAD.test(head) || SAR_HEADER.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    const at = (line?: number) => (line === undefined ? { file: source.path } : { file: source.path, line });
    let hosts: { node: string | null; rows: SysstatRow[] }[];
    if (XML_HEAD.test(source.head)) {
      const xml = readSadfXml(await source.text());
      if (xml.error)
        facts.diagnostics.push(
          warning(
            "sysstat/bad-xml",
            `the XML does not parse — expected a sadf -x document — received an error: ${xml.error}`,
            at(),
          ),
        );
      hosts = xml.hosts;
    } else {
      const text = await readSarText(source.lines());
      if (text.undated.length > 0) {
        facts.diagnostics.push(
          warning(
            "sysstat/no-date",
            `${text.undated.length} row(s) have no date — expected the \`Linux … (host) MM/DD/YYYY\` title line above them — received none; rows skipped`,
            at(text.undated[0]),
          ),
        );
      }
      hosts = [text];
    }
    const local = hosts.some((h) => h.rows.some((r) => r.local));
    if (local)
      facts.diagnostics.push(
        warning(
          "sysstat/local-time",
          "times are the node's local time and carry no zone — read as UTC; compare with the kernel log's clock",
          at(hosts.flatMap((h) => h.rows)[0]?.line),
        ),
      );
    for (const host of hosts) {
      const out = new SeriesCollector(source.path, null);
      for (const row of host.rows) {
        for (const [field, value] of Object.entries(row.values)) {
          const spec = XML_FIELDS[field];
          if (!spec) continue;
          out.declare(field, spec.metric, row.line, {
            metric: spec.metric,
            labels: host.node ? { node: host.node } : {},
            unit: spec.unit,
          });
          out.add(field, row.ms, value * spec.factor, row.line, spec.unit === "bytes");
        }
      }
      facts.series.push(...out.finish());
    }
    if (facts.series.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "sysstat/no-data",
        message: "no memory figures read — expected sadf -x <timestamp> elements or sar -r rows — received none",
        at: at(),
      });
    }
    return facts;
  },
};
