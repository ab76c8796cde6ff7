// Which local address a sending socket binds (sourceAddressFor): loopback for
// loopback destinations only, the wildcard otherwise, so that a guest on a
// libvirt network can be reached (a loopback-bound socket's sends to it fail:
// `virtscale load --target <leased address>` counted every send as sendFailed).
import { describe, expect, test } from "bun:test";
import { bindUdp, isLoopbackHost, sourceAddressFor } from "../../src/net/udp.ts";

describe("sourceAddressFor", () => {
  test("loopback destinations: loopback of their family", () => {
    expect(sourceAddressFor(["127.0.0.1"])).toBe("127.0.0.1");
    expect(sourceAddressFor(["127.0.0.1", "127.3.4.5", "localhost"])).toBe("127.0.0.1");
    expect(sourceAddressFor(["::1"])).toBe("::1");
    expect(sourceAddressFor(["[::1]"])).toBe("::1");
  });

  test("any destination off loopback, or none known yet: the wildcard", () => {
    expect(sourceAddressFor(["10.231.101.34"])).toBe("0.0.0.0");
    expect(sourceAddressFor(["127.0.0.1", "10.231.101.34"])).toBe("0.0.0.0");
    expect(sourceAddressFor(["fd00::5"])).toBe("::");
    expect(sourceAddressFor([])).toBe("0.0.0.0");
    expect(sourceAddressFor([], true)).toBe("::");
  });

  test("isLoopbackHost", () => {
    expect(["127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost"].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(["10.0.0.1", "0.0.0.0", "::", "fd00::1", "128.0.0.1"].map(isLoopbackHost)).toEqual([false, false, false, false, false]);
  });

  // A wildcard-bound socket still talks to loopback (the balancer's probes go to forwards and guests alike).
  for (const engine of ["node", "batch"] as const) {
    test(`${engine} engine: a socket bound to the wildcard sends to and hears from loopback`, async () => {
      let got: (v: string) => void;
      const heard = new Promise<string>((r) => (got = r));
      const server = await bindUdp({ host: "127.0.0.1", port: 0, engine, onMessage: (d, port, host) => server.send(d, port, host) });
      const client = await bindUdp({ host: sourceAddressFor([]), port: 0, engine, onMessage: (d, _p, host) => got(`${host} ${new TextDecoder().decode(d)}`) });
      try {
        expect(client.send(new TextEncoder().encode("ping"), server.port, "127.0.0.1")).toBe(true);
        expect(await Promise.race([heard, new Promise((r) => setTimeout(() => r("timeout"), 2000))])).toBe("127.0.0.1 ping");
      } finally {
        client.close();
        server.close();
      }
    });
  }
});
