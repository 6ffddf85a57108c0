/**
 * go-memstats: a Go program's `runtime.MemStats` as JSON, from the `expvar` handler
 * (`curl localhost:PORT/debug/vars`, whose `memstats` member is printed on one line) or
 * marshalled on its own (`json.Marshal(ms)`, indented or not). Field meanings: Go `runtime`
 * package docs, type MemStats (Go 1.x, unchanged since 1.13): `Sys` is all memory obtained from
 * the OS, `HeapSys`/`HeapInuse`/`HeapIdle`/`HeapReleased` the heap's spans, `NextGC` the heap
 * size the next collection aims for (with `GOGC=off` and no `GOMEMLIMIT`, no goal pushes back),
 * `StackSys`, `MSpanSys`, `GCSys`, `OtherSys` the rest; sizes in bytes. Only these top-level
 * fields are read (never the `BySize` and `PauseNs` arrays). One `RuntimeConfigFact` (runtime
 * `go`, origin `go memstats`) per dump.
 *
 * Sample input (Go 1.22, `curl -s localhost:6060/debug/vars`, shortened):
 * ```text
 * {
 * "cmdline": ["/app/tiles"],
 * "memstats": {"Alloc":1893214208,"TotalAlloc":98213312512,"Sys":2052194304,"HeapAlloc":1893214208,"HeapSys":1979711488,"HeapIdle":75489280,"HeapInuse":1904222208,"HeapReleased":3072000,"NextGC":3786428416,"NumGC":1181}
 * }
 * ```
 */
import { emptyFacts, type FactSet, type RuntimeConfigFact } from "../model/facts.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** `"HeapAlloc":1893214208` / `"HeapAlloc": 1893214208` (also a float for GCCPUFraction). */
const FIELD = /"([A-Z][A-Za-z]*)"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;

/** MemStats fields read; the sizes among them are bytes. */
const SIZES = new Set([
  "Alloc",
  "TotalAlloc",
  "Sys",
  "HeapAlloc",
  "HeapSys",
  "HeapIdle",
  "HeapInuse",
  "HeapReleased",
  "StackInuse",
  "StackSys",
  "MSpanInuse",
  "MSpanSys",
  "MCacheInuse",
  "MCacheSys",
  "BuckHashSys",
  "GCSys",
  "OtherSys",
  "NextGC",
]);
const COUNTS = new Set(["HeapObjects", "NumGC", "NumForcedGC", "LastGC", "GCCPUFraction"]);

/** Fields only MemStats has. */
const SNIFF = /"(?:HeapSys|NextGC|HeapReleased|MSpanSys)"\s*:\s*\d/g;

export const goMemstats: Ingester = {
  kind: "go-memstats",
  description: "Go runtime.MemStats JSON (curl …/debug/vars, expvar): Sys, HeapSys, HeapInuse, NextGC",

  sniff(head: string): boolean {
    return /^\s*[{[]/.test(head) && (head.match(SNIFF)?.length ?? 0) >= 2;
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let fact: RuntimeConfigFact | null = null;
    for await (const { text, line } of source.lines()) {
      for (const m of text.matchAll(FIELD)) {
        const [, key, raw] = m as unknown as [string, string, string];
        if (!SIZES.has(key) && !COUNTS.has(key)) continue;
        // A field seen again starts the next dump (two curls saved in one file).
        if (fact && fact.flags[key] !== undefined) fact = null;
        if (!fact) {
          fact = {
            source: { file: source.path, line },
            runtime: "go",
            origin: "go memstats",
            flags: {},
            version: null,
          };
          facts.runtimeConfigs.push(fact);
        }
        fact.source.endLine = line;
        const n = Number(raw);
        fact.flags[key] = { value: raw, bytes: SIZES.has(key) && Number.isSafeInteger(n) && n >= 0 ? n : null, line };
      }
    }
    facts.runtimeConfigs = facts.runtimeConfigs.filter(
      (f) => f.flags["Sys"] !== undefined || f.flags["HeapSys"] !== undefined,
    );
    if (facts.runtimeConfigs.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "go-memstats/no-memstats",
        message:
          'no MemStats field read — expected JSON with `"Sys"` or `"HeapSys"` as /debug/vars prints it — received none',
        at: { file: source.path },
      });
    }
    return facts;
  },
};
