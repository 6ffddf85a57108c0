/**
 * `stripPrefix` keeps the last `stamp host tag: ` prefix it read and reuses it for a line that
 * starts with the same text (the lines of one OOM report share one). What it returns must not
 * depend on that: a line read right after one sharing its prefix is read as after any other.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stripPrefix } from "../../src/ingest/kernel-log/prefix.js";

/** Read after a line whose prefix no generated line starts with. */
function readFresh(line: string): ReturnType<typeof stripPrefix> {
  stripPrefix("1999-01-01T00:00:00Z reset kernel: x");
  return stripPrefix(line);
}

const stamp = fc.constantFrom(
  "2026-11-14T00:00:00+00:00",
  "2026-11-14T00:00:00.123456+0100",
  "2026-11-14 00:00:00Z",
  "2026-11-14T00:00:00",
  "2026-02-31T00:00:00Z",
  "Tue 2026-06-09 11:02:17 UTC",
  "mar. 2026-06-09 11:02:17.5 CEST",
  "1690138606.123456",
  "1690138606",
  "Jun  9 11:02:17",
  "jun 20 03:23:46.123456",
  "Foo 20 03:23:46",
  " 6月 20 03:23:46",
);
const before = fc.constantFrom("", "<6>", "kern  :info  : ", "<4>kern  :warn  : ");
const host = fc.constantFrom("", "node-1 ", "ip-10-0-3-17 ", "... ", "<hostname> ", "10.1.2.3: ");
const tag = fc.constantFrom("kernel", "kernel[0]", "systemd[1]", "kern.warn kernel", "kubelet[1402]", "kernel:", "[x]");
const colon = fc.constantFrom(": ", ":", ":  ", ": \t", " ");
const rest = fc.oneof(
  fc.constantFrom(
    "",
    "[ 1234.567890] Memory cgroup out of memory: Killed process 1 (x)",
    " [1234.5] oom-kill:constraint=CONSTRAINT_MEMCG",
    "[9999999999999.0] anon 1",
    "[  +0.000123] x",
    "  dump_stack_lvl+0x34/0x48",
    'x "MESSAGE" y',
    "anon 533434368#012file 967938",
    "kernel: [1.0] again",
  ),
  fc.string({ maxLength: 40 }),
);

describe("stripPrefix's memo of the last stamp prefix", () => {
  it("reads 4000 lines the same after a line sharing their prefix as after another", () => {
    let reused = 0;
    fc.assert(
      fc.property(before, stamp, host, tag, colon, rest, rest, (b, s, h, t, c, first, second) => {
        const prefix = `${b}${s} ${h}${t}${c}`;
        const line = prefix + second;
        const fresh = readFresh(line);
        stripPrefix(prefix + first);
        const after = stripPrefix(line);
        expect(after).toEqual(fresh);
        if (after.syslog) reused++;
      }),
      { numRuns: 4000, seed: 1203 },
    );
    // Most generated lines are syslog lines, the ones the memo serves.
    expect(reused).toBeGreaterThan(1500);
  });

  it("reads a report's lines with their own uptimes and messages", () => {
    const lines = [
      "Jun  9 11:02:17 node-1 kernel: [1000.5] worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0",
      "Jun  9 11:02:17 node-1 kernel: [1000.6] memory: usage 524288kB, limit 524288kB, failcnt 1",
      "Jun  9 11:02:17 node-1 kernel: anon 533434368",
      "Jun  9 11:02:17 node-1 systemd[1]: Started x",
    ].map((l) => stripPrefix(l));
    expect(lines.map((l) => [l.time.uptimeSec, l.message, l.kernel])).toEqual([
      [1000.5, "worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0", true],
      [1000.6, "memory: usage 524288kB, limit 524288kB, failcnt 1", true],
      [null, "anon 533434368", true],
      [null, "Started x", false],
    ]);
  });
});
