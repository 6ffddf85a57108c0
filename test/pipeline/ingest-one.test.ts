/**
 * `ingestOne` is the one place an ingester's exception is caught: ingesters let a failed read
 * propagate, and the pipeline reports it as `<kind>/read-failed` (an error with a Node `code`)
 * or `<kind>/internal-error` (anything else: our bug), then goes on with the other files.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kubectlDescribe } from "../../src/ingest/kubectl-describe.js";
import type { ArtifactSource, Ingester } from "../../src/ingest/types.js";
import { ingestOne } from "../../src/pipeline.js";

const DESCRIBE = readFileSync(new URL("../fixtures/kubectl-describe/liveness-kill.txt", import.meta.url), "utf8");

/** A source whose stream yields the first 20 lines of the fixture, then fails with `err`. */
function failingSource(err: Error): ArtifactSource {
  const lines = DESCRIBE.split("\n").slice(0, 20);
  return {
    path: "describe.txt",
    head: DESCRIBE.slice(0, 8192),
    text: () => Promise.reject(err),
    async *lines() {
      for (let i = 0; i < lines.length; i++) yield { text: lines[i]!, line: i + 1 };
      throw err;
    },
  };
}

const ioError = (): Error => Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });

describe("ingestOne", () => {
  it("an ingester does not catch a failed read: parse rejects with the stream's error", async () => {
    await expect(kubectlDescribe.parse(failingSource(ioError()))).rejects.toThrow("EIO");
  });

  it("a failed read becomes a read-failed error naming the file", async () => {
    const facts = await ingestOne({ source: failingSource(ioError()), ingester: kubectlDescribe, skipReason: null });
    expect(facts.pods).toEqual([]);
    expect(facts.diagnostics).toEqual([
      {
        severity: "error",
        code: "kubectl-describe/read-failed",
        message: expect.stringContaining("EIO"),
        at: { file: "describe.txt" },
      },
    ]);
  });

  it("any other exception is an internal error that says it is our bug", async () => {
    const broken: Ingester = { ...kubectlDescribe, parse: () => Promise.reject(new TypeError("x is undefined")) };
    const facts = await ingestOne({ source: failingSource(ioError()), ingester: broken, skipReason: null });
    expect(facts.diagnostics).toEqual([
      {
        severity: "error",
        code: "kubectl-describe/internal-error",
        message: expect.stringMatching(/a bug in oom-postmortem.*x is undefined/),
        at: { file: "describe.txt" },
      },
    ]);
  });
});
