import { describe, expect, it } from "vitest";
import { evictionAmount, evictionCountsBytes, evictionResourceName } from "../../src/util/eviction-figures.js";

describe("eviction figures", () => {
  it("names the resource as the kubelet did, an unknown one as printed, and none when the message does not say", () => {
    expect(evictionResourceName({ resource: "ephemeral-storage", resourceText: "ephemeral-storage" })).toBe(
      "ephemeral-storage",
    );
    expect(evictionResourceName({ resource: "other", resourceText: "nodefs" })).toBe("nodefs");
    expect(evictionResourceName({ resource: null, resourceText: null })).toBeNull();
  });

  it("gives bytes in binary units (with the kubelet's text on request) and counts as printed", () => {
    const available = { text: "87608Ki", value: 87608 * 1024 };
    expect(evictionCountsBytes({ resource: "memory", resourceText: "memory" })).toBe(true);
    expect(evictionCountsBytes({ resource: "pids", resourceText: "pids" })).toBe(false);
    expect(evictionAmount(available, true, true)).toBe("85.6 MiB (87608Ki)");
    expect(evictionAmount(available, true, false)).toBe("85.6 MiB");
    expect(evictionAmount({ text: "-2Mi", value: -2 * 2 ** 20 }, true, false)).toBe("−2 MiB");
    expect(evictionAmount({ text: "3000", value: 3000 }, false, true)).toBe("3000");
    expect(evictionAmount({ text: "lots", value: null }, true, true)).toBe("lots");
  });
});
