/** memory-leak and native-memory weighing BCC memleak reports. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { observationsFor } from "../../src/correlate/observations.js";
import memoryLeak from "../../src/diagnose/rules/memory-leak.js";
import nativeMemory from "../../src/diagnose/rules/native-memory.js";
import { memleak } from "../../src/ingest/memleak.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { emptyFacts } from "../../src/model/facts.js";
import { container, context, subject, terminated } from "./builders.js";

const MI = 1024 ** 2;
const text = readFileSync(new URL("../fixtures/memleak/memleak-thumbd-two-intervals.txt", import.meta.url), "utf8");

async function withMemleak(input: string, limitBytes: number, image = "registry/thumbd:2") {
  const s = subject({ container: container({ image, limitBytes, lastState: terminated() }) });
  const facts = emptyFacts();
  facts.allocations.push(...(await memleak.parse(sourceFromString("leaks.txt", input))).allocations);
  s.observations = observationsFor(s.subject, null, facts);
  return context(s);
}

describe("BCC memleak in the rules", () => {
  it("a site whose outstanding bytes grew between reports supports memory-leak with high confidence, naming it", async () => {
    const h = memoryLeak.evaluate(await withMemleak(text, 256 * MI));
    expect([h.status, h.confidence]).toEqual(["supported", "high"]);
    expect(h.reason).toMatch(
      /48 MiB in 192 allocations outstanding .* from thumb_cache_insert\+0x74 \[thumbd\] \(18\.8% of the 256 MiB limit\), up from 24 MiB/,
    );
    expect(h.evidence[0]).toMatchObject({ file: "leaks.txt", line: 15 });
  });

  it("one report is medium; a site holding under a tenth of the limit decides nothing", async () => {
    const one = text.split("\n").slice(0, 13).join("\n");
    expect(memoryLeak.evaluate(await withMemleak(one, 128 * MI))).toMatchObject({
      status: "supported",
      confidence: "medium",
    });
    expect(memoryLeak.evaluate(await withMemleak(text, 4096 * MI)).status).not.toBe("supported");
  });

  it("native-memory: supported for a managed runtime (node), not decided for a native program", async () => {
    const node = await withMemleak(text, 256 * MI, "node:20-slim");
    expect(nativeMemory.evaluate(node)).toMatchObject({ status: "supported", confidence: "medium" });
    expect(nativeMemory.evaluate(await withMemleak(text, 256 * MI)).status).toBe("undetermined");
  });
});
