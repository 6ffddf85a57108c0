/**
 * The streaming JSON splitter (`src/ingest/pod-json/json-stream.ts`) against the whole-text
 * reader: on every JSON fixture, the items it yields, put back into their envelope, are the
 * tree `readJson` builds from the whole text, lines included; on cut and broken text it
 * reports the error at the same line and keeps the items before it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readJson } from "../../src/ingest/pod-json/json-reader.js";
import { streamJson, type JsonPiece } from "../../src/ingest/pod-json/json-stream.js";
import type { Node } from "../../src/ingest/pod-json/tree.js";
import { sourceFromString } from "../../src/ingest/source.js";
import { REPO } from "./run.js";

const FIXTURES = join(REPO, "test/fixtures/pod-json");

async function pieces(text: string): Promise<JsonPiece[]> {
  const out: JsonPiece[] = [];
  for await (const p of streamJson(sourceFromString("x.json", text).lineBatches!())) out.push(p);
  return out;
}

/** Puts streamed items back into the `items` (or top-level array) of the envelope that follows them. */
function reassemble(all: JsonPiece[]): Node[] {
  const roots: Node[] = [];
  let items: Node[] = [];
  for (const p of all) {
    if (p.role === "item") {
      items.push(...p.read.values);
      continue;
    }
    for (const root of p.read.values) {
      const list = root.type === "seq" ? root : root.type === "map" ? root.entries.get("items") : undefined;
      if (list?.type === "seq") list.items.push(...items);
      items = [];
      roots.push(root);
    }
  }
  return roots;
}

const wellFormed = readdirSync(FIXTURES).filter(
  (f) => f.endsWith(".json") && readJson(readFileSync(join(FIXTURES, f), "utf8")).error === null,
);

describe("streamJson", () => {
  it("has well-formed JSON fixtures to compare on", () => {
    expect(wellFormed.length).toBeGreaterThanOrEqual(3);
  });

  it.each(wellFormed)("%s: items put back give the whole-text tree, lines included", async (name) => {
    const text = readFileSync(join(FIXTURES, name), "utf8");
    const streamed = await pieces(text);
    expect(streamed.every((p) => p.read.error === null)).toBe(true);
    expect(reassemble(streamed)).toEqual(readJson(text).values);
  });

  it("a compact list on one line, and two values in a row", async () => {
    const text =
      '{"kind":"PodList","items":[{"kind":"Pod","metadata":{"name":"a"}},{"kind":"Pod","metadata":{"name":"b"}}]}\n[{"x":1},2,"s"]\n';
    const streamed = await pieces(text);
    expect(streamed.filter((p) => p.role === "item")).toHaveLength(5);
    expect(streamed.find((p) => p.role === "item")!.listKind).toBe("PodList");
    expect(reassemble(streamed)).toEqual(readJson(text).values);
  });

  it("a list cut in the middle of an item: the items before it, and the cut at its line", async () => {
    const whole = readFileSync(
      join(
        FIXTURES,
        wellFormed.find((f) => f.includes("list"))!,
      ),
      "utf8",
    );
    const cut = whole.slice(0, Math.floor(whole.length * 0.7));
    const streamed = await pieces(cut);
    const errors = streamed.filter((p) => p.read.error);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.read.error).toEqual(readJson(cut).error);
    expect(streamed.filter((p) => p.role === "item" && p.read.error === null).length).toBeGreaterThan(0);
  });

  it("a syntax error inside one item: that item is warned, the items after it are read", async () => {
    const text = '{\n"items": [\n{"a": 1},\n{"b": 2 "c": 3},\n{"d": 4}\n],\n"kind": "List"\n}\n';
    const streamed = await pieces(text);
    const items = streamed.filter((p) => p.role === "item");
    expect(items).toHaveLength(3);
    expect(items[1]!.read.error).toMatchObject({ line: 4, atEnd: false });
    expect(items[2]!.read.values[0]).toMatchObject({ type: "map", line: 5 });
    const envelope = streamed.find((p) => p.role === "value")!;
    expect(envelope.read.error).toBeNull();
    expect(envelope.read.values[0]).toMatchObject({ line: 1, endLine: 8 });
    expect((envelope.read.values[0] as { entries: Map<string, Node> }).entries.get("kind")).toMatchObject({ line: 7 });
  });

  it("strings holding brackets, quotes and escapes do not move the split", async () => {
    const text = '[{"a": "x]}\\"{["}, {"b": "\\\\"}, {"c": "[["}]';
    const streamed = await pieces(text);
    expect(streamed.filter((p) => p.role === "item").map((p) => p.read.error)).toEqual([null, null, null]);
    expect(reassemble(streamed)).toEqual(readJson(text).values);
  });
});
