// HOST:PORT options resolved once when the command line is read, and the
// libvirt URI chosen by libvirt's own rules. The resolver is given a lookup
// function here, so no test asks a real DNS server.
import { describe, expect, test } from "bun:test";
import { addressOptions, chooseUri, contextFrom, resolveAddress, resolveAddresses, resolveHost, splitAddress, UsageError, type CommandSpec, type Lookup } from "../src/cli.ts";
import { ConfigError, parseConfig } from "../src/config.ts";
import { libvirtConfPath, uriDefaultFrom } from "../src/cli/uri.ts";
import * as lb from "../src/commands/lb.ts";
import * as up from "../src/commands/up.ts";
import * as load from "../src/commands/load.ts";
import * as vms from "../src/commands/vms.ts";

/** A resolver that knows a few names and records what it was asked. */
function fakeLookup(table: Record<string, string[]>): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const f = (async (host: string) => {
    asked.push(host);
    const a = table[host];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return a.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  }) as Lookup & { asked: string[] };
  f.asked = asked;
  return f;
}

describe("resolveHost", () => {
  test("IP literals are kept; localhost is 127.0.0.1 without asking the resolver", async () => {
    const lookup = fakeLookup({});
    expect(await resolveHost("--listen", "10.1.2.3", { lookup })).toBe("10.1.2.3");
    expect(await resolveHost("--listen", "::1", { lookup })).toBe("::1");
    expect(await resolveHost("--listen", "localhost", { lookup })).toBe("127.0.0.1");
    expect(await resolveHost("--listen", "LocalHost.", { lookup })).toBe("127.0.0.1");
    expect(await resolveHost("--listen", "vm1.localhost", { lookup })).toBe("127.0.0.1");
    expect(lookup.asked).toEqual([]);
  });

  test("other names through the resolver, IPv4 preferred", async () => {
    const lookup = fakeLookup({ both: ["::1", "127.0.0.5"], six: ["fd00::5"] });
    expect(await resolveHost("--backend", "both", { lookup })).toBe("127.0.0.5");
    expect(await resolveHost("--backend", "six", { lookup })).toBe("fd00::5");
    expect(lookup.asked).toEqual(["both", "six"]);
  });

  test("refusals name the flag: unknown name, dotted numbers that are no address, not a name at all, a slow resolver", async () => {
    const lookup = fakeLookup({});
    await expect(resolveHost("--target", "nosuch", { lookup })).rejects.toThrow("--target: cannot resolve host name 'nosuch' (ENOTFOUND)");
    await expect(resolveHost("--listen", "999.1.1.1", { lookup })).rejects.toThrow("--listen: '999.1.1.1' is not an IPv4 address");
    await expect(resolveHost("--listen", "1.2.3", { lookup })).rejects.toThrow("is not an IPv4 address");
    await expect(resolveHost("--listen", "bad!name", { lookup })).rejects.toThrow("--listen: 'bad!name' is not an IP address or a host name");
    expect(lookup.asked).toEqual(["nosuch"]);
    const never: Lookup = () => new Promise(() => {});
    await expect(resolveHost("--target", "slow", { lookup: never, timeoutMs: 50 })).rejects.toThrow("--target: resolving 'slow' took longer than 0.05 s");
  });

  test("addresses: IP:PORT and [IPv6]:PORT; syntax errors name the flag", async () => {
    const lookup = fakeLookup({ h: ["fd00::7"] });
    expect(await resolveAddress("--listen", "localhost:40001", { lookup })).toBe("127.0.0.1:40001");
    expect(await resolveAddress("--listen", "[::1]:0", { lookup })).toBe("[::1]:0");
    expect(await resolveAddress("--backend", "h:5", { lookup })).toBe("[fd00::7]:5");
    expect(() => splitAddress("--listen", "localhost")).toThrow("--listen: expected HOST:PORT, got 'localhost'");
    expect(() => splitAddress("--listen", "a:70000")).toThrow("--listen: expected HOST:PORT");
  });
});

describe("resolveAddresses: every HOST:PORT option, as its help shows it", () => {
  test("up, lb, load: the options whose help says HOST:PORT; vms has none", () => {
    expect(addressOptions(up.spec).sort()).toEqual(["api", "listen"]);
    expect(addressOptions(lb.spec).sort()).toEqual(["backend", "listen"]);
    expect(addressOptions(load.spec)).toEqual(["target"]);
    expect(addressOptions(vms.spec)).toEqual([]);
  });

  test("values become IP:PORT before the command runs; repeatable ones each; config listen too", async () => {
    const lookup = fakeLookup({ backend1: ["127.0.0.9"], front: ["127.0.0.8"] });
    const ctx = { ...contextFrom({ values: { backend: ["localhost:40011", "backend1:40012", "127.0.0.1:40013"], listen: "localhost:0" }, positionals: [] }), config: parseConfig({ listen: "front:21001" }) };
    const r = await resolveAddresses(lb.spec, ctx, lookup);
    expect(r.values.backend).toEqual(["127.0.0.1:40011", "127.0.0.9:40012", "127.0.0.1:40013"]);
    expect(r.values.listen).toBe("127.0.0.1:0");
    expect(r.config.listen).toBe("127.0.0.8:21001");
    expect(ctx.values.listen).toBe("localhost:0");
  });

  test("a flag that does not resolve is a usage error; a config key that does not is a config error", async () => {
    const lookup = fakeLookup({});
    const base = contextFrom({ values: {}, positionals: [] });
    const bad = { ...base, values: { target: "nosuch:1" } };
    await expect(resolveAddresses(load.spec, bad, lookup)).rejects.toBeInstanceOf(UsageError);
    await expect(resolveAddresses(load.spec, bad, lookup)).rejects.toThrow("--target: cannot resolve host name 'nosuch'");
    const cfg = { ...base, config: parseConfig({ api: { listen: "nosuch:8080" } }) };
    await expect(resolveAddresses(up.spec, cfg, lookup)).rejects.toBeInstanceOf(ConfigError);
    await expect(resolveAddresses(up.spec, cfg, lookup)).rejects.toThrow("api.listen: cannot resolve host name 'nosuch'");
  });

  test("commands without HOST:PORT options look nothing up", async () => {
    const lookup = fakeLookup({});
    const ctx = { ...contextFrom({ values: {}, positionals: [] }), config: parseConfig({ listen: "nosuch:1" }) };
    expect(await resolveAddresses(vms.spec, ctx, lookup)).toBe(ctx);
    expect(lookup.asked).toEqual([]);
  });
});

describe("the libvirt URI without -c: libvirt's own rules", () => {
  const none = () => undefined;
  test("-c wins, then $LIBVIRT_DEFAULT_URI (when not empty)", () => {
    expect(chooseUri("test:///default", { env: { LIBVIRT_DEFAULT_URI: "qemu:///x" } })).toEqual({ uri: "test:///default", source: "-c" });
    expect(chooseUri(undefined, { env: { LIBVIRT_DEFAULT_URI: "qemu:///x" }, readFile: none })).toEqual({ uri: "qemu:///x", source: "$LIBVIRT_DEFAULT_URI" });
    expect(chooseUri(undefined, { env: { LIBVIRT_DEFAULT_URI: "" }, euid: 0, readFile: none }).uri).toBe("qemu:///system");
  });

  test("then uri_default of the libvirt.conf libvirt reads for this user", () => {
    const files: Record<string, string> = {
      "/etc/libvirt/libvirt.conf": `# uri_default = "qemu:///commented"\nuri_aliases = [ "a=qemu:///x" ]\nuri_default = "qemu+ssh://root@h/system"\n`,
      "/home/u/.config/libvirt/libvirt.conf": `uri_default='test:///default'`,
      "/x/libvirt/libvirt.conf": `uri_default = "qemu:///xdg"`,
    };
    const readFile = (p: string) => files[p];
    expect(chooseUri(undefined, { env: {}, euid: 0, readFile })).toEqual({ uri: "qemu+ssh://root@h/system", source: "uri_default in /etc/libvirt/libvirt.conf" });
    expect(chooseUri(undefined, { env: {}, euid: 1000, home: "/home/u", readFile })).toEqual({ uri: "test:///default", source: "uri_default in /home/u/.config/libvirt/libvirt.conf" });
    expect(chooseUri(undefined, { env: { XDG_CONFIG_HOME: "/x" }, euid: 1000, home: "/home/u", readFile }).uri).toBe("qemu:///xdg");
  });

  test("else qemu:///system for root and qemu:///session for anyone else, saying why", () => {
    const root = chooseUri(undefined, { env: {}, euid: 0, readFile: none });
    expect(root.uri).toBe("qemu:///system");
    expect(root.source).toContain("root");
    expect(root.source).toContain("/etc/libvirt/libvirt.conf");
    const user = chooseUri(undefined, { env: {}, euid: 1000, home: "/home/u", readFile: none });
    expect(user.uri).toBe("qemu:///session");
    expect(user.source).toContain("non-root");
  });

  test("libvirt.conf parsing and paths", () => {
    expect(uriDefaultFrom(`  uri_default  =  "a:///b" # trailing`)).toBe("a:///b");
    expect(uriDefaultFrom(`#uri_default = "a:///b"`)).toBeUndefined();
    expect(uriDefaultFrom(`uri_default_x = "a:///b"`)).toBeUndefined();
    expect(libvirtConfPath(0, { XDG_CONFIG_HOME: "/x" }, "/root")).toBe("/etc/libvirt/libvirt.conf");
    expect(libvirtConfPath(1000, { HOME: "/h" }, "/ignored")).toBe("/h/.config/libvirt/libvirt.conf");
  });
});
