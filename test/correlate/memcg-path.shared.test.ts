/** parseMemcgPath on every memcg path of the real kernel captures in ../shared/realworld (npm run test:shared). */
import { describe, it, expect } from "vitest";
import { parseMemcgPath, type MemcgPathInfo } from "../../src/correlate/memcg-path.js";
import { realworldCaptures, realworldText } from "../realworld.js";

const UID = "13e681d2-41d1-46c9-8568-f3c213e63593";
const CID = "171f8986ba4db5307ff78b57d32b1a598221409701f52b81284e1cebeea3e8df";
const none: MemcgPathInfo = { podUid: null, containerId: null, qosClass: null, level: "other", runtime: null };

describe("parseMemcgPath on real captures", () => {
  it("reads every memcg path printed in the real kernel captures", () => {
    const PATH = /(?:oom_memcg=|task_memcg=|Task in |limit of |Memory cgroup stats for )(\/[^\s,:]*)/g;
    const found = new Map<string, MemcgPathInfo>();
    for (const f of realworldCaptures().filter((n) => /dmesg|kmsg/.test(n))) {
      for (const m of realworldText(f).matchAll(PATH)) found.set(m[1]!, parseMemcgPath(m[1]!));
    }
    const byUid = (uid: string) => [...found.values()].filter((i) => i.podUid === uid);
    expect(byUid("1125cba4-f538-4f48-8774-b857f59efc0f")).toEqual([
      {
        podUid: "1125cba4-f538-4f48-8774-b857f59efc0f",
        containerId: "cfe53942e4c7f6414d0ef08749d43400714b7922b32f1179431d9ea2d8046dea",
        qosClass: "Burstable",
        level: "container",
        runtime: "docker",
      },
    ]);
    expect(byUid("8aa7129e-3609-4b57-86b2-f59358fbf3b9")).toEqual([
      {
        podUid: "8aa7129e-3609-4b57-86b2-f59358fbf3b9",
        containerId: "427b767040b6fcfb0eeb063d61a9fe0385d743003eb4ec07d591c6806f8fe4d2",
        qosClass: "Guaranteed",
        level: "container",
        runtime: "containerd",
      },
    ]);
    expect(byUid(UID)).toEqual([
      { podUid: UID, containerId: CID, qosClass: "Guaranteed", level: "container", runtime: null },
    ]);
    expect(found.get("/docker/532c003a242a1cc95ca10486c8f82460b6a0eb81c1d309e334991fcb0e449137")).toMatchObject({
      level: "container",
      runtime: "docker",
    });
    expect(found.get("/system.slice/clamav-daemon.service")).toEqual(none);
    expect(found.size).toBe(6);
  });
});
