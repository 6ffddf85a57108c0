import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FactSet } from "../../src/model/facts.js";
import { detectIngester } from "../../src/ingest/index.js";
import { runtimeConfig } from "../../src/ingest/runtime-config.js";
import { sourceFromBuffer, sourceFromString } from "../../src/ingest/source.js";

const FIXTURES = new URL("../fixtures/runtime-config/", import.meta.url);

const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const parse = (path: string, text: string): Promise<FactSet> => runtimeConfig.parse(sourceFromString(path, text));
const sniff = (text: string): boolean => runtimeConfig.sniff(sourceFromString("x", text).head, "x");
const codes = (facts: FactSet): string[] => facts.diagnostics.map((d) => d.code);
/** 1-based line of the first line containing `wanted`, computed from the input. */
const lineOf = (text: string, wanted: string): number => text.split("\n").findIndex((l) => l.includes(wanted)) + 1;
/** The value printed for a flag, read independently of the ingester (`= <value> {`). */
const printed = (text: string, name: string): string =>
  new RegExp(`\\s${name}\\s+:?=\\s*(\\S*)\\s+\\{`).exec(text)![1]!;

describe("runtime-config: PrintFlagsFinal of JDK 17, 11 and 8", () => {
  it("reads JDK 17: MaxHeapSize, MaxRAMPercentage, UseContainerSupport, ThreadStackSize in KiB, version", async () => {
    const text = fixture("jdk17-container-4g.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("flags.txt", text);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.runtimeConfigs).toHaveLength(1);
    const f = facts.runtimeConfigs[0]!;
    expect(f.runtime).toBe("jvm");
    expect(f.version).toBe("17.0.9+9");
    expect(f.flags["MaxHeapSize"]).toEqual({
      value: printed(text, "MaxHeapSize"),
      bytes: Number(printed(text, "MaxHeapSize")),
      line: lineOf(text, "MaxHeapSize"),
    });
    expect(f.flags["MaxRAMPercentage"]).toMatchObject({ value: "25.000000", bytes: null });
    expect(f.flags["UseContainerSupport"]).toMatchObject({ value: "true", bytes: null });
    expect(f.flags["ThreadStackSize"]!.bytes).toBe(Number(printed(text, "ThreadStackSize")) * 1024);
    expect(f.flags["MaxDirectMemorySize"]!.bytes).toBe(0);
    expect(f.flags["MaxMetaspaceSize"]!.bytes).toBeGreaterThan(2 ** 60);
    expect(f.flags["OnOutOfMemoryError"]).toMatchObject({ value: "", bytes: null });
    expect(Object.keys(f.flags)).toHaveLength(
      text.split("\n").filter((l) => /\{product\}|\{pd product\}/.test(l)).length,
    );
    expect(f.source).toEqual({ file: "flags.txt", line: 1, endLine: lineOf(text, "VMThreadStackSize") });
  });

  it("reads JDK 11 behind a pasted kubectl exec prompt, with command-line origins", async () => {
    const text = fixture("jdk11-percentage-90.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("jdk11.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const f = facts.runtimeConfigs[0]!;
    expect(f.version).toBe("11.0.21+9-post-Ubuntu-0ubuntu122.04");
    expect(f.flags["MaxRAMPercentage"]!.value).toBe("90.000000");
    expect(f.flags["MaxDirectMemorySize"]!.bytes).toBe(512 * 2 ** 20);
    expect(f.flags["MaxMetaspaceSize"]!.bytes).toBe(256 * 2 ** 20);
    expect(f.flags["MaxHeapSize"]!.line).toBe(lineOf(text, "MaxHeapSize"));
  });

  it("reads the JDK 8 layout (uintx, := for ergonomic values, one {kind})", async () => {
    const text = fixture("jdk8-no-container-support.txt");
    expect(sniff(text)).toBe(true);
    const facts = await parse("jdk8.txt", text);
    expect(facts.diagnostics).toEqual([]);
    const f = facts.runtimeConfigs[0]!;
    expect(f.version).toBe("1.8.0_131-8u131-b11-2-b11");
    expect(f.flags["MaxHeapSize"]).toEqual({
      value: "4223664128",
      bytes: 4223664128,
      line: lineOf(text, "MaxHeapSize"),
    });
    expect(f.flags["UseContainerSupport"]).toBeUndefined();
    expect(f.flags["UseCGroupMemoryLimitForHeap"]!.value).toBe("false");
  });

  it("discover picks runtime-config for every fixture", () => {
    for (const name of readdirSync(FIXTURES)) {
      const text = fixture(name);
      expect(detectIngester(sourceFromString(name, text).head, name)?.kind, name).toBe("runtime-config");
    }
  });

  it("splits two dumps in one file into two facts", async () => {
    const one = fixture("jdk17-container-4g.txt");
    const facts = await parse("two.txt", `${one}\n${one.replace("[Global flags]\n", "")}`);
    expect(facts.runtimeConfigs).toHaveLength(2);
    expect(facts.runtimeConfigs[1]!.flags["MaxHeapSize"]!.line).toBe(
      one.split("\n").length + lineOf(one, "MaxHeapSize") - 1,
    );
  });
});

describe("runtime-config header sample", () => {
  it("the sample in the ingester's docstring sniffs, parses and yields no diagnostics", async () => {
    const src = readFileSync(new URL("../../src/ingest/runtime-config.ts", import.meta.url), "utf8");
    const sample = /```text\n([\s\S]*?)```/
      .exec(src)![1]!
      .split("\n")
      .map((l) => l.replace(/^ \* ?/, ""))
      .join("\n");
    expect(sniff(sample)).toBe(true);
    const facts = await parse("sample.txt", sample);
    expect(facts.diagnostics).toEqual([]);
    expect(facts.runtimeConfigs[0]!.flags["MaxHeapSize"]!.bytes).toBe(4294967296);
  });
});

describe("runtime-config on hostile input", () => {
  it("does not claim other kinds: kubectl describe with -XX flags, memory.stat, a kernel log, a sentence", () => {
    expect(
      sniff("    Args:\n      -XX:+PrintFlagsFinal\n      -XX:MaxRAMPercentage=75\n    Limits:\n      memory:  1Gi\n"),
    ).toBe(false);
    expect(sniff("anon 348016640\nfile 7502163968\nkernel 146997248\n")).toBe(false);
    expect(sniff("[  12.000] Memory cgroup out of memory: Killed process 1 (java)\n")).toBe(false);
    expect(sniff("bool flags are = true {sometimes}\n")).toBe(false);
  });

  it("empty input and binary garbage give an error diagnostic and no facts", async () => {
    for (const text of ["", "\u0000\u0001\u0002\uFFFD\uFFFD garbage \u0007"]) {
      const facts = await parse("bad.txt", text);
      expect(facts.runtimeConfigs).toEqual([]);
      expect(codes(facts)).toEqual(["runtime-config/no-flags"]);
    }
  });

  it("truncated at several points keeps the rows read and warns about a cut row", async () => {
    const text = fixture("jdk17-container-4g.txt");
    for (const cut of [40, 300, 800, text.indexOf("MaxHeapSize") + 30]) {
      const part = text.slice(0, cut);
      const facts = await parse("cut.txt", part);
      const rows = part.split("\n").filter((l) => /\{[\w ]+\}\s*$/.test(l)).length;
      expect(Object.keys(facts.runtimeConfigs[0]?.flags ?? {}).length, `cut at ${cut}`).toBe(rows);
      const last = part.split("\n").at(-1)!;
      if (/^\s*size_t MaxHeapSize\s+=/.test(last)) expect(codes(facts)).toContain("runtime-config/unreadable-flag");
    }
  });

  it("CRLF line ends and a huge line are handled", async () => {
    const text = fixture("jdk11-percentage-90.txt");
    const crlf = await parse("crlf.txt", text.replace(/\n/g, "\r\n"));
    expect(crlf.runtimeConfigs[0]!.flags["MaxHeapSize"]!.bytes).toBe(1931476992);
    const huge = await parse("huge.txt", `${text}\n     bool Huge = ${"{x}".repeat(200_000)}\n`);
    expect(huge.runtimeConfigs[0]!.flags["Huge"]).toBeUndefined();
    expect(codes(huge)).toEqual(["runtime-config/unreadable-flag"]);
  });

  it("UTF-16 LE with BOM (PowerShell redirect) reads the same flags", async () => {
    const text = fixture("jdk17-container-4g.txt");
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const src = sourceFromBuffer("ps.txt", new Uint8Array(bytes));
    expect(runtimeConfig.sniff(src.head, "ps.txt")).toBe(true);
    const facts = await runtimeConfig.parse(src);
    expect(facts.runtimeConfigs[0]!.flags["MaxHeapSize"]!.bytes).toBe(Number(printed(text, "MaxHeapSize")));
  });

  it("a size flag with a non-numeric value warns and keeps the text", async () => {
    const facts = await parse(
      "bad-size.txt",
      "[Global flags]\n   size_t MaxHeapSize                              = 4g                                        {product} {command line}\n",
    );
    expect(codes(facts)).toEqual(["runtime-config/bad-size"]);
    expect(facts.diagnostics[0]!.at).toEqual({ file: "bad-size.txt", line: 2 });
    expect(facts.runtimeConfigs[0]!.flags["MaxHeapSize"]).toEqual({ value: "4g", bytes: null, line: 2 });
  });
});
