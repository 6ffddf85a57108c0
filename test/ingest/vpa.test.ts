import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectIngester } from "../../src/ingest/index.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { vpa } from "../../src/ingest/vpa.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/vpa/${name}`, import.meta.url), "utf8");
const lineOf = (text: string, wanted: string, from = 0): number =>
  text.split("\n").findIndex((l, i) => i >= from && l.includes(wanted)) + 1;

describe("vpa: VerticalPodAutoscaler objects", () => {
  it("reads a List of two VPAs: targetRef, update mode, bounds as quantities and plain bytes, the * policy", async () => {
    const text = fixture("list-two-vpas.json");
    expect(detectIngester(text.slice(0, 8192), "vpa.json")?.kind).toBe("vpa");
    const facts = await vpa.parse(sourceFromString("vpa.json", text));
    expect(facts.vpas).toHaveLength(2);
    const [orders, fresh] = facts.vpas;
    expect(orders).toMatchObject({
      name: "orders-vpa",
      namespace: "shop",
      targetRef: { kind: "StatefulSet", name: "orders" },
      updateMode: "Initial",
    });
    expect(orders!.containers.map((c) => c.container)).toEqual(["orders", "envoy"]);
    const c = orders!.containers[0]!;
    expect(c).toMatchObject({
      targetBytes: 612 * 2 ** 20,
      lowerBoundBytes: 400 * 2 ** 20,
      upperBoundBytes: 987654321,
      uncappedTargetBytes: 612 * 2 ** 20,
      maxAllowedBytes: 3 * 2 ** 30,
      minAllowedBytes: null,
    });
    expect(c.lines.upperBound).toBe(lineOf(text, '"memory": "987654321"'));
    expect(orders!.containers[1]).toMatchObject({
      targetBytes: 99 * 2 ** 20,
      upperBoundBytes: null,
      maxAllowedBytes: 3 * 2 ** 30,
    });
    expect(fresh!.containers).toEqual([]);
    expect(facts.diagnostics.map((d) => d.code)).toEqual(["vpa/no-recommendation"]);
    // A JSON list item is cited at its opening brace, four lines above its name.
    expect(facts.diagnostics[0]!.at.line).toBe(lineOf(text, '"name": "fresh-vpa"') - 4);
    expect(text.split("\n")[facts.diagnostics[0]!.at.line! - 1]!.trim()).toBe("{");
  });

  it("reads a bare recommendation (jsonpath/yq output) with unquoted byte counts", async () => {
    const text = fixture("recommendation-jsonpath.yaml");
    expect(detectIngester(text, "rec.yaml")?.kind).toBe("vpa");
    const facts = await vpa.parse(sourceFromString("rec.yaml", text));
    expect(facts.diagnostics).toEqual([]);
    expect(facts.vpas[0]!.containers[0]).toMatchObject({
      container: "indexer",
      targetBytes: 1288490188,
      lowerBoundBytes: 734003200,
      upperBoundBytes: 4 * 2 ** 30,
    });
    expect(facts.vpas[0]!.name).toBeNull();
  });

  it("warns on a recommendation it cannot read, naming the line", async () => {
    const text =
      "kind: VerticalPodAutoscaler\nstatus:\n  recommendation:\n    containerRecommendations:\n    - containerName: a\n      target:\n        memory: lots\n";
    const facts = await vpa.parse(sourceFromString("v.yaml", text));
    expect(facts.diagnostics.map((d) => [d.code, d.at.line])).toEqual([
      ["vpa/bad-quantity", 7],
      ["vpa/no-recommendation", 1],
    ]);
  });

  it("is not taken for a Pod, and a Pod is not taken for it", () => {
    expect(vpa.sniff("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n", "p.yaml")).toBe(false);
    expect(detectIngester(fixture("list-two-vpas.json"), "pods.json")?.kind).toBe("vpa");
  });
});
