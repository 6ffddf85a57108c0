/**
 * node-heap-stats: V8's heap statistics as Node prints them, `node -p 'v8.getHeapStatistics()'`
 * (Node.js `v8` module docs; printed by `util.inspect`, one `key: number,` per line, Node 12 to
 * 22) or as JSON (`JSON.stringify(v8.getHeapStatistics())`, a `/debug` endpoint). The key that
 * matters is `heap_size_limit`: the most V8's heap may grow to, set by `--max-old-space-size`
 * or, without it, from the machine's memory (which a container's limit does not change before
 * Node 20's cgroup awareness). Sizes are bytes; `does_zap_garbage` and the context and handle
 * counts are counts. One `RuntimeConfigFact` (runtime `node`, origin `v8.getHeapStatistics`).
 *
 * Sample input (Node.js 20.10, `kubectl exec graphql-gw-… -- node -p 'v8.getHeapStatistics()'`):
 * ```text
 * {
 *   total_heap_size: 61341696,
 *   used_heap_size: 52871232,
 *   heap_size_limit: 4345298944,
 *   external_memory: 3417811
 * }
 * ```
 */
import { emptyFacts, type FactSet, type RuntimeConfigFact } from "../model/facts.js";
import { warning } from "../model/source.js";
import { readCommandLine } from "./shared/command-line.js";
import type { ArtifactSource, Ingester } from "./types.js";

/** One entry: `  heap_size_limit: 4345298944,` (inspect) or `"heap_size_limit": 4345298944,` (JSON). */
const ENTRY = /(?:^|[{,\s])["']?([a-z][a-z_]*)["']?[ \t]*:[ \t]*(-?\d+(?:\.\d+)?)/g;

/** The keys of `v8.getHeapStatistics()` that are not sizes. */
const COUNTS = new Set(["does_zap_garbage", "number_of_native_contexts", "number_of_detached_contexts"]);

/** Two keys only V8's statistics print. */
const SNIFF = /\bheap_size_limit["']?\s*:\s*\d/;
const SNIFF_OTHER = /\b(?:total_heap_size|used_heap_size|total_available_size)["']?\s*:\s*\d/;

const MAX_LINE_WARNINGS = 20;
/** Longer lines are not V8's statistics (the JSON form is about 600 characters): skipped with a warning. */
const MAX_LINE = 65536;

export const nodeHeapStats: Ingester = {
  kind: "node-heap-stats",
  description: "Node's node -p 'v8.getHeapStatistics()' (heap_size_limit, used_heap_size)",

  sniff(head: string): boolean {
    return SNIFF.test(head) && SNIFF_OTHER.test(head);
  },

  async parse(source: ArtifactSource): Promise<FactSet> {
    const facts = emptyFacts();
    let fact: RuntimeConfigFact | null = null;
    let bad = 0;
    for await (const { text, line } of source.lines()) {
      const t = text.trim();
      if (t === "") continue;
      if (t.length > MAX_LINE) {
        if (++bad <= MAX_LINE_WARNINGS)
          facts.diagnostics.push(
            warning(
              "node-heap-stats/bad-line",
              `line too long — expected under ${MAX_LINE} characters — received ${t.length}`,
              { file: source.path, line },
            ),
          );
        continue;
      }
      if (readCommandLine(text)) continue;
      let read = false;
      for (const m of t.matchAll(ENTRY)) {
        const [, key, raw] = m as unknown as [string, string, string];
        const n = Number(raw);
        // A key seen again starts the next printout (the command run twice).
        if (fact && fact.flags[key] !== undefined) fact = null;
        if (!fact) {
          fact = {
            source: { file: source.path, line },
            runtime: "node",
            origin: "v8.getHeapStatistics",
            flags: {},
            version: null,
          };
          facts.runtimeConfigs.push(fact);
        }
        fact.source.endLine = line;
        const size = !COUNTS.has(key) && Number.isSafeInteger(n) && n >= 0;
        fact.flags[key] = { value: raw, bytes: size ? n : null, line };
        read = true;
      }
      if (!read && !/^[{}[\]]+,?$/.test(t) && ++bad <= MAX_LINE_WARNINGS) {
        facts.diagnostics.push(
          warning(
            "node-heap-stats/bad-line",
            `line not understood — expected \`key: number,\` as v8.getHeapStatistics() prints — received \`${t.length > 100 ? `${t.slice(0, 97)}…` : t}\``,
            { file: source.path, line },
          ),
        );
      }
    }
    facts.runtimeConfigs = facts.runtimeConfigs.filter((f) => f.flags["heap_size_limit"] !== undefined);
    if (facts.runtimeConfigs.length === 0) {
      facts.diagnostics.push({
        severity: "error",
        code: "node-heap-stats/no-limit",
        message:
          "no heap_size_limit read — expected `heap_size_limit: <bytes>` as v8.getHeapStatistics() prints — received none",
        at: { file: source.path },
      });
    }
    return facts;
  },
};
