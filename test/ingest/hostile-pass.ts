/**
 * The hostile-input pass every ingester of a new kind gets on its own fixtures: the capture cut
 * after every line (never throws, no internal error, never reads more than the whole capture),
 * CRLF line ends and UTF-16 LE with a BOM (the same facts as the clean capture), and binary bytes
 * (no facts, an error diagnostic naming the file).
 */
import { expect } from "vitest";
import type { FactSet } from "../../src/model/facts.js";
import { sourceFromBuffer, sourceFromString } from "../../src/ingest/source.js";
import type { Ingester } from "../../src/ingest/types.js";

/** Runs the pass; `key` picks what must be equal between the clean and the re-encoded capture, `size` counts what was read. */
export async function hostilePass(
  ing: Ingester,
  name: string,
  text: string,
  key: (f: FactSet) => unknown,
  size: (f: FactSet) => number,
): Promise<void> {
  const clean = await ing.parse(sourceFromString(name, text));
  const whole = size(clean);
  expect(whole, `${ing.kind} reads something from ${name}`).toBeGreaterThan(0);
  const lines = text.split("\n");
  for (let n = 0; n <= lines.length; n++) {
    const facts = await ing.parse(sourceFromString(name, lines.slice(0, n).join("\n")));
    expect(
      facts.diagnostics.filter((d) => d.code.endsWith("internal-error")),
      `cut after line ${n}`,
    ).toEqual([]);
    expect(size(facts), `cut after line ${n}`).toBeLessThanOrEqual(whole);
    for (const d of facts.diagnostics) {
      expect(d.at.file).toBe(name);
      if (d.at.line !== undefined) expect(d.at.line).toBeLessThanOrEqual(Math.max(n, 1));
    }
  }
  const crlf = await ing.parse(sourceFromString(name, text.replace(/\n/g, "\r\n")));
  expect(key(crlf), "CRLF").toEqual(key(clean));
  const utf16 = sourceFromBuffer(
    name,
    new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])),
  );
  expect(ing.sniff(utf16.head, name), "UTF-16 sniff").toBe(true);
  expect(key(await ing.parse(utf16)), "UTF-16 LE").toEqual(key(clean));
  const binary = new Uint8Array(4096).map((_, i) => (i * 131 + 7) % 256);
  const garbage = await ing.parse(sourceFromBuffer(name, binary));
  expect(size(garbage), "binary").toBe(0);
  expect(
    garbage.diagnostics.some((d) => d.severity === "error" && d.at.file === name),
    "binary gets an error",
  ).toBe(true);
}
