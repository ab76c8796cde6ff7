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
    const none = place([h("a", 0, 2, { state: "lost" }), h("b", 2, 2, { hardCap: true })]);
    expect(none.uri).toBeNull();
    expect(none.reason).toContain("full");
    // A computed cap (from its cores) is soft: a saved pool VM counted there takes no CPU; the least loaded still takes one.
    const soft = place([h("a", 3, 2), h("b", 2, 2), h("c", 0, 1, { hardCap: true, vms: 1 })]);
    expect(soft.uri).toBe("b");
    expect(soft.reason).toContain("computed capacity");
    const down = place([h("a", 0, 2, { state: "lost" }), h("b", 0, 2, { state: "connecting" })]);
    expect(down.uri).toBeNull();
    expect(down.reason).toBe("no host is up (a: lost, b: connecting)");
  });
  test("unknown capacity: spread by VM count", () => {
    expect(place([h("a", 1, null), h("b", 0, null)]).uri).toBe("b");
    expect(place([h("a", 0, null), h("b", 0, null)]).reason).toContain("capacity not known yet");
  });
});

import { hostSpecsOf, remoteServer } from "../../../src/commands/up-hosts.ts";
import { parseConfig } from "../../../src/config.ts";

describe("up's hosts: -c repeated, else config hosts, else the one URI", () => {
  const cfg = (o: Record<string, unknown> = {}) => parseConfig({ vm: { network: "network", network_name: "n" }, ...o });
  test("-c wins, taking max_vms / weight of the same URI from config hosts", () => {
    const c = cfg({ hosts: [{ uri: "qemu+tcp://a/system", max_vms: 3 }, { uri: "qemu+tcp://c/system" }] });
    expect(hostSpecsOf({ uri: "qemu+tcp://a/system", uris: ["qemu+tcp://a/system", "qemu+tcp://b/system"] }, c)).toEqual([{ uri: "qemu+tcp://a/system", max_vms: 3 }, { uri: "qemu+tcp://b/system" }]);
    expect(hostSpecsOf({ uri: "qemu:///system", uris: [] }, c).map((h) => h.uri)).toEqual(["qemu+tcp://a/system", "qemu+tcp://c/system"]);
    expect(hostSpecsOf({ uri: "qemu:///system", uris: [] }, cfg())).toEqual([{ uri: "qemu:///system" }]);
  });
  test("a URI twice, a remote host in user networking: usage errors that say what to do", () => {
    expect(() => hostSpecsOf({ uri: "x", uris: ["qemu+tcp://a/system", "qemu+tcp://a/system"] }, cfg())).toThrow("given twice");
    expect(() => hostSpecsOf({ uri: "x", uris: ["qemu+tcp://a/system"] }, parseConfig({}))).toThrow('vm.network "user" reaches each VM through a loopback forward');
    expect(hostSpecsOf({ uri: "x", uris: ["qemu:///system", "test:///default"] }, parseConfig({})).length).toBe(2);
    expect(() => parseConfig({ hosts: [{ uri: "a" }, { uri: "a" }] })).toThrow("listed twice");
    expect(() => parseConfig({ hosts: [{ uri: "a", max_vm: 2 }] })).toThrow("max_vm");
  });
  test("remoteServer: the machine a URI names, null for this one", () => {
    expect(remoteServer("qemu+tcp://10.231.1.2/system")).toBe("10.231.1.2");
    expect(remoteServer("qemu+ssh://root@h.example/system")).toBe("h.example");
    expect(remoteServer("qemu:///system")).toBeNull();
    expect(remoteServer("qemu+tcp://localhost/system")).toBeNull();
    expect(remoteServer("test:///default")).toBeNull();
  });
});
