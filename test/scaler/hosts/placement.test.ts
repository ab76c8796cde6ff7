import { describe, expect, test } from "bun:test";
import { place, type HostFigure } from "../../../src/scaler/hosts/placement.ts";

const h = (uri: string, vms: number, cap: number | null, o: Partial<HostFigure> = {}): HostFigure => ({ uri, state: "up", vms, cap, weight: 1, ...o });

describe("placement: the up host with the most free room", () => {
  test("two equal hosts take one VM each before either takes a second", () => {
    expect(place([h("a", 0, 2), h("b", 0, 2)]).uri).toBe("a");
    expect(place([h("a", 1, 2), h("b", 0, 2)]).uri).toBe("b");
    expect(place([h("a", 1, 2), h("b", 1, 2)]).uri).toBe("a");
  });
  test("free room counts, not the VM count alone: a bigger host takes more", () => {
    expect(place([h("a", 2, 8), h("b", 1, 2)]).uri).toBe("a");
  });
  test("weight: a host of weight 2 fills first", () => {
    expect(place([h("a", 1, 4, { weight: 2 }), h("b", 0, 4)]).uri).toBe("a");
    expect(place([h("a", 2, 4, { weight: 2 }), h("b", 0, 4)]).uri).toBe("b");
  });
  test("a lost or full host takes none, and the reason says why none can", () => {
    expect(place([h("a", 0, 2, { state: "lost" }), h("b", 1, 2)]).uri).toBe("b");
    const none = place([h("a", 0, 2, { state: "lost" }), h("b", 2, 2)]);
    expect(none.uri).toBeNull();
    expect(none.reason).toContain("full");
    const down = place([h("a", 0, 2, { state: "lost" }), h("b", 0, 2, { state: "connecting" })]);
    expect(down.uri).toBeNull();
    expect(down.reason).toBe("no host is up (a: lost, b: connecting)");
  });
  test("unknown capacity: spread by VM count", () => {
    expect(place([h("a", 1, null), h("b", 0, null)]).uri).toBe("b");
    expect(place([h("a", 0, null), h("b", 0, null)]).reason).toContain("capacity not known yet");
  });
});
