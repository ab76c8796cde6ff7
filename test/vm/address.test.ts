// A VM's service address: what counts as one to send to, and a guest's
// address read from virDomainInterfaceAddresses' answer.
import { describe, expect, test } from "bun:test";
import { guestAddress, usableAddress } from "../../src/vm/address.ts";

describe("service addresses", () => {
  test("usable: a host and a real port; 0.0.0.0:0 (no lease yet), port 0 and the wildcard are not", () => {
    expect(usableAddress({ host: "10.231.101.34", port: 21001 })).toEqual({ host: "10.231.101.34", port: 21001 });
    expect(usableAddress({ host: "127.0.0.1", port: 33001 })).toEqual({ host: "127.0.0.1", port: 33001 });
    for (const bad of [{ host: "0.0.0.0", port: 0 }, { host: "10.0.0.1", port: 0 }, { host: "0.0.0.0", port: 21001 }, { host: "::", port: 21001 }, { host: "", port: 1 }, { host: "10.0.0.1", port: 70000 }])
      expect(usableAddress(bad)).toBeNull();
    expect(usableAddress(null)).toBeNull();
    expect(usableAddress(undefined)).toBeNull();
  });

  test("a guest's address: the first IPv4 of its interfaces, with the service port", () => {
    const ifaces = [
      { name: "vnet0", hwaddr: "52:54:00:aa:bb:cc", addrs: [{ type: "ipv6" as const, addr: "fe80::1", prefix: 64 }, { type: "ipv4" as const, addr: "10.231.101.34", prefix: 24 }] },
      { name: "vnet1", hwaddr: "52:54:00:aa:bb:cd", addrs: [{ type: "ipv4" as const, addr: "10.231.102.5", prefix: 24 }] },
    ];
    expect(guestAddress(ifaces, 21001)).toEqual({ host: "10.231.101.34", port: 21001 });
    expect(guestAddress([{ name: "vnet0", hwaddr: null, addrs: [] }], 21001)).toBeNull();
    expect(guestAddress([], 21001)).toBeNull();
    expect(guestAddress(undefined, 21001)).toBeNull();
  });
});
