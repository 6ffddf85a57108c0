/**
 * The linear-time rewrites (issue 10) keep what the old patterns matched: each rewritten reader
 * is compared, on short strings built from the pattern's own pieces (where the old pattern is
 * fast), with the pattern it replaced. No timing here: speed is `npm run bench`'s, linearity
 * is checked statically by eslint-plugin-regexp (`npm run lint`) and recheck (test:shared).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeOomVictim } from "../../src/correlate/node-events.js";
import { isOldJvmImage } from "../../src/diagnose/runtime-flags.js";
import { classify, parseOomKill, parseTrigger } from "../../src/ingest/kernel-log/messages.js";
import { isVictimLine, parseVictim } from "../../src/ingest/kernel-log/victim.js";
import { parseMount } from "../../src/ingest/kubectl-describe/fields.js";
import { symbolOf } from "../../src/ingest/memleak.js";
import type { KubeEvent } from "../../src/model/facts.js";

/** Strings of up to 10 pieces drawn from `pieces` (the old pattern's literals, separators and a few stray characters). */
const textOf = (pieces: string[]) =>
  fc.array(fc.constantFrom(...pieces, " ", "\n", "\r", "x", "(", ")", "1"), { maxLength: 10 }).map((p) => p.join(""));
/** 2,000 cases from a fixed seed: the same cases every run (fast-check prints the seed and the shrunk case of a failure). */
const RUNS = { numRuns: 2000, seed: 20261202 };

// The patterns as they were before the rewrites (super-linear on long crafted lines, exact on these short ones).
const OLD = {
  TRIGGER: /^(.*?) invoked oom-killer: (.*)$/,
  OOM_MEMCG_FIELD: /,oom_memcg=(.*?),(?:task_memcg|task)=/,
  TASK_MEMCG_FIELD: /,task_memcg=(.*?),task=/,
  TASK_FIELD: /,task=(.*),pid=(\d+),uid=(\d+)$/,
  // With RHEL 7's `Killed process N (comm), UID N, …` (kubernetes#50632), read since the rewrite on purpose.
  VICTIM:
    /^(?:(Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Killed process (\d+)(?:, UID (\d+),)? \((.*)\)(?:, UID (\d+),)?(?: (.*))?$/,
  MOUNT: /^(\S.*?) from (\S+)(?: \(.*\))?$/,
  TRAILING_MODULE: /\s+\[[^\]]*\]$/,
  OLD_JVM_IMAGE: /(?:openjdk|java|jre|jdk)[^:]*:(?:8u(\d+)|1\.8\.0_(\d+)|9(?:[.-]|$))/i,
  SYSTEM_OOM: /victim process: (.+?), pid: (\d+)/,
};

describe("linear-time rewrites match what the old patterns matched", () => {
  it("kernel trigger line (TRIGGER)", () => {
    fc.assert(
      fc.property(textOf(["java", " invoked oom-killer: ", "gfp_mask=0x1", " invoked"]), (m) => {
        const old = OLD.TRIGGER.exec(m);
        expect(parseTrigger(m)?.process ?? null).toBe(old ? old[1] : null);
        if (m.includes(" invoked oom-killer: ")) expect(classify(m) === "trigger").toBe(old !== null);
      }),
      RUNS,
    );
  });

  it("oom-kill summary fields (OOM_MEMCG_FIELD, TASK_MEMCG_FIELD, TASK_FIELD)", () => {
    fc.assert(
      fc.property(
        textOf([",oom_memcg=", ",task_memcg=", ",task=", ",pid=", "7", ",uid=", "0", "/kubepods", ","]),
        (text) => {
          const s = parseOomKill(`oom-kill:${text}`);
          // The fields are read from the summary's one line (`oom-kill:(.*)$`).
          const body = /^oom-kill:(.*)$/.exec(`oom-kill:${text}`)?.[1] ?? "";
          expect(s.oomMemcg).toBe(OLD.OOM_MEMCG_FIELD.exec(body)?.[1] ?? null);
          expect(s.taskMemcg).toBe(OLD.TASK_MEMCG_FIELD.exec(body)?.[1] ?? null);
          const t = OLD.TASK_FIELD.exec(body);
          expect(s.task).toEqual(t ? { process: t[1], pid: Number(t[2]), uid: Number(t[3]) } : null);
        },
      ),
      RUNS,
    );
  });

  it("kernel victim line (VICTIM)", () => {
    fc.assert(
      fc.property(
        textOf(["Killed process ", "42", " (", ") ", ")", "java", "Out of memory: ", ", UID 5,", "total-vm:1kB"]),
        (m) => {
          const old = OLD.VICTIM.exec(m);
          expect(isVictimLine(m)).toBe(old !== null);
          expect(parseVictim(m)?.process ?? null).toBe(old ? old[4] : null);
        },
      ),
      RUNS,
    );
  });

  it("describe mount row (MOUNT)", () => {
    fc.assert(
      fc.property(textOf(["/data", " from ", "vol", " (", "ro", ")", "a b"]), (t) => {
        const old = OLD.MOUNT.exec(t);
        expect(parseMount(t)).toEqual(old ? { name: old[2], mountPath: old[1] } : null);
      }),
      RUNS,
    );
  });

  it("memleak frame symbol (trailing module)", () => {
    fc.assert(
      fc.property(textOf(["malloc", "+0x81", " [", "libc.so.6", "]", "[", "\t"]), (frame) => {
        expect(symbolOf(frame)).toBe(
          frame
            .replace(OLD.TRAILING_MODULE, "")
            .replace(/\+0x[0-9a-fA-F]+$/, "")
            .trim(),
        );
      }),
      RUNS,
    );
  });

  it("old JVM image (OLD_JVM_IMAGE)", () => {
    fc.assert(
      fc.property(textOf(["openjdk", "jdk", "JRE", ":", "8u", "151", "1.8.0_", "9", "-", "/", "java"]), (image) => {
        const m = OLD.OLD_JVM_IMAGE.exec(image);
        const update = m ? Number(m[1] ?? m[2] ?? NaN) : null;
        expect(isOldJvmImage(image)).toBe(update === null ? false : Number.isNaN(update) || update < 191);
      }),
      RUNS,
    );
  });

  it("node SystemOOM event (SYSTEM_OOM)", () => {
    fc.assert(
      fc.property(textOf(["victim process: ", "thumbor", ", pid: ", "9", ","]), (message) => {
        const m = OLD.SYSTEM_OOM.exec(message);
        const got = nodeOomVictim({ reason: "SystemOOM", message } as KubeEvent);
        expect({ pid: got?.pid, process: got?.process }).toEqual({
          pid: m ? Number(m[2]) : null,
          process: m ? m[1] : "",
        });
      }),
      RUNS,
    );
  });
});
