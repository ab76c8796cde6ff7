// Issue 16's predefined case for real, on testbed host 5 (scripts/testbed.sh:
// its own libvirtd on TCP in a network namespace, a routed libvirt network with
// DHCP): three persistent domains PREFIX-000000000..2 the test defines itself
// WITHOUT virtscale metadata (our guest kernel and initramfs, a NIC on the
// host's network, virtscale.function=pow2mod1021 on the kernel command line:
// their answers are 2**n mod 1021, not virtscale's), the first one started by
// "the user" before the run. A group with source predefined and service.check
// any takes the running one as a member (no second start), starts the others
// in name order as it scales out, each joins at its DHCP-leased address on
// server_port, answers through the balancer are counted (unverified, never
// wrong), a scale-in shuts one down and it stays defined; at the end every
// domain is still defined, those the run started are shut off, and the one that
// ran before the run still runs and is listed in summary.group.left with its
// reason. The host comes up in beforeAll and always goes down in afterAll.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { parseConfig } from "../../src/config.ts";
import { decodeReply, encodeRequest, expectedReply } from "../../src/protocol.ts";
import { pow2mod1021 } from "../../src/protocol/service.ts";
import { buildImage } from "../../src/guest/image.ts";
import { chooseAccel } from "../../src/vm/accel.ts";
import { buildDomainXml, parseDomainXml, randomMac } from "../../src/vm/xml.ts";
import { domainState, domainsOn, qemuRig, rand6, sleep, sweep, until, type QemuRig } from "../scaler/qemu-rig.ts";
import { leases, testbedDown, testbedUnavailable, testbedUp, type TestbedHost } from "./testbed.ts";

const skip = testbedUnavailable();
if (skip) console.warn(`predefined.qemu.test.ts skipped: ${skip}`);

/** A domain of our guest image as a user would define it: no <metadata> at all, a NIC on `network`, the answer function on the command line. */
function userDomainXml(name: string, o: { type: "qemu" | "kvm"; kernel: string; initrd: string; cmdline: string; network: string; port: number }): string {
  const xml = buildDomainXml({
    name,
    uuid: crypto.randomUUID(),
    mac: randomMac(),
    type: o.type,
    memoryMiB: 512,
    vcpus: 1,
    kernel: o.kernel,
    initrd: o.initrd,
    cmdline: `${o.cmdline} virtscale.port=${o.port} virtscale.function=pow2mod1021`,
    network: { mode: "network", network: o.network },
    metadata: { group: "x", role: "serving", port: o.port, template: "x" },
  }).replace(/<metadata>[\s\S]*?<\/metadata>/, "");
  if (parseDomainXml(xml).metadata !== null || xml.includes("<metadata")) throw new Error(`the user's domain XML still has <metadata>:\n${xml}`);
  return xml;
}

/** One request straight to a guest (not through the balancer): its answer, or null after timeoutMs. */
function ask(addr: { host: string; port: number }, n: number, timeoutMs = 3000): Promise<bigint | null> {
  const sock = createSocket("udp4");
  return new Promise<bigint | null>((resolve) => {
    const done = (v: bigint | null) => {
      clearTimeout(t);
      sock.close();
      resolve(v);
    };
    const t = setTimeout(() => done(null), timeoutMs);
    sock.on("message", (m: Uint8Array) => done(decodeReply(m)));
    sock.bind(0, "0.0.0.0", () => sock.send(encodeRequest(n), addr.port, addr.host));
  });
}

describe.skipIf(skip !== null)(`predefined VMs without metadata on a network${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let h: TestbedHost | undefined;
  let rig: QemuRig | undefined;
  let prefix = "";
  beforeAll(() => {
    h = testbedUp(5)[0]!;
  }, 180_000);
  afterAll(async () => {
    try {
      await rig?.close();
    } finally {
      // The three domains are the test's: it made them, it removes them (the rig's sweep did already when it ran).
      try {
        if (h && prefix) sweep(prefix, h.uri);
      } finally {
        if (h) testbedDown([h]);
      }
    }
  }, 240_000);

  test(
    "source predefined, service.check any: the running one adopted, the others started in order, scale out and in, nothing undefined, the one found running left and listed",
    async () => {
      const host = h!;
      prefix = `vst-pd-${rand6()}`;
      const names = [0, 1, 2].map((i) => `${prefix}-${String(i).padStart(9, "0")}`);
      const serverPort = parseConfig({}).server_port;
      // This tree's image (its /init passes virtscale.function on): built once per content, instant when cached.
      const image = await buildImage({});
      const c = Connection.open(host.uri);
      try {
        const type = chooseAccel(c.capabilities(), "auto").type as "qemu" | "kvm";
        for (const name of names) c.defineXML(userDomainXml(name, { type, kernel: image.kernel, initrd: image.initrd, cmdline: image.cmdline, network: host.network, port: serverPort })).free();
        // The user started the first one before the run.
        const d = c.lookupByName(names[0]!);
        d.create();
        d.free();
      } finally {
        c.close();
      }
      expect(domainsOn(host.uri, prefix).sort()).toEqual(names);

      const t0 = performance.now();
      rig = await qemuRig(
        // 3 guests of 1 vCPU on this 2-core machine: past the host's capacity without overcommit.
        { source: "predefined", ready_timeout_s: 150, min: 1, max: 3, paused: true, overcommit: 2 },
        {
          auto_scaler_vm_num_digits: 9,
          service: { check: "any" },
          lb: { timeout_ms: 3000, drain_timeout_s: 5 },
          vm: { network: "network", network_name: host.network },
        },
        { uri: host.uri, prefix },
      );
      const { run, store, config, load } = rig;
      const g = run.group;
      const errors = () => store.events().filter((e) => e.type === "error");
      const dump = () => ({
        members: g.members().map((m) => [m.name, m.kind, m.role, m.address]),
        errors: errors(),
        launches: g.summary.launches,
        log: store.events().filter((e) => e.type === "log").slice(-15),
      });
      const serving = () =>
        g
          .serving()
          .map((m) => m.name)
          .sort();

      // The running one is a member as it is: adopted, not started again, not started by this run.
      expect(g.summary.adopted).toEqual([names[0]!]);
      const first = g.members().find((m) => m.name === names[0]);
      expect(first?.kind).toBe("predefined");
      expect(first?.startedByRun).toBe(false);
      expect(g.members().map((m) => m.name)).toEqual([names[0]!]);
      await until("the running predefined domain to serve", () => serving().length === 1, 180_000, dump);
      const adoptedMs = Math.round(performance.now() - t0);

      // Scale out twice: the shut-off ones start in name order.
      const out: number[] = [];
      for (const want of [2, 3]) {
        const s0 = performance.now();
        g.scaleBy(1);
        await until(`${want} serving`, () => serving().length === want, 180_000, dump);
        out.push(Math.round(performance.now() - s0));
        expect(serving()).toEqual(names.slice(0, want));
      }
      const launches = g.summary.launches;
      expect(launches.map((l) => [l.name, l.how])).toEqual([
        [names[0]!, "adopted"],
        [names[1]!, "predefined"],
        [names[2]!, "predefined"],
      ]);
      expect(launches.filter((l) => l.error)).toEqual([]);
      expect(errors()).toEqual([]);
      for (const m of g.members()) expect(m.kind).toBe("predefined");
      expect(g.members().filter((m) => m.startedByRun).map((m) => m.name).sort()).toEqual(names.slice(1));

      // Each joined at the address libvirt's DHCP leased its MAC, on server_port.
      const leased = leases(host);
      const conn = rig.vms.conn;
      const addresses: string[] = [];
      for (const m of g.serving()) {
        const d = conn.lookupByName(m.name);
        const mac = parseDomainXml(d.xmlDesc()).mac!;
        d.free();
        expect(m.address).toEqual({ host: leased.get(mac)!, port: config.server_port });
        expect(m.address!.host.startsWith(host.guestPrefix)).toBe(true);
        addresses.push(`${m.name.slice(-1)}=${m.address!.host}:${m.address!.port}`);
      }
      expect(new Set(run.balancer.backends().map((b) => b.address))).toEqual(new Set(g.serving().map((m) => `${m.address!.host}:${m.address!.port}`)));
      // Each guest is not virtscale's server: asked straight, it answers 2**n mod 1021 (its kernel command line), not the work function.
      for (const m of g.serving()) {
        const n = 5000 + Number(m.name.slice(-1));
        const got = await ask(m.address!, n);
        expect(got).toBe(BigInt(pow2mod1021(n)));
        expect(got).not.toBe(expectedReply(n, config.vm.work_scale));
      }

      // Through the balancer: the answers are 2**n mod 1021, not virtscale's; with check any they are counted, unverified, never wrong.
      load.setRate("20/s");
      await sleep(6000);
      load.setRate("off");
      await sleep(3500);
      const v = load.view();
      console.log(
        `predefined: adopted ${names[0]} serving after ${adoptedMs} ms; scale-outs to 2 and 3 served after ${out.join(" ms, ")} ms (decision -> serving: ${launches
          .slice(1)
          .map((l) => `${l.decisionToServingMs} ms`)
          .join(", ")}); addresses ${addresses.join(" ")}`,
      );
      console.log(`predefined: through the balancer: sent ${v.sent}, answered ${v.answered}, unverified ${v.unverified}, wrong ${v.wrong}, timed out ${v.timedOut}, p50 ${v.p50Ms} ms`);
      expect(v.wrong).toBe(0);
      expect(v.sendFailed).toBe(0);
      expect(v.answered).toBeGreaterThanOrEqual(Math.floor(0.95 * v.sent));
      expect(v.unverified).toBe(v.answered);
      for (const b of run.balancer.backends()) expect(b.answered).toBeGreaterThan(0);

      // The assignment's client, without the balancer: `virtscale load` with the FIFO's `refresh` finds the
      // running PREFIX-NNNNNNNNN domains (no metadata) at their leases, in name order.
      const dir = mkdtempSync(join(tmpdir(), "vst-pd-fifo-"));
      try {
        const cfgPath = join(dir, "client.conf");
        writeFileSync(cfgPath, JSON.stringify({ auto_scaler_domain_prefix: prefix, auto_scaler_vm_num_digits: 9, service: { check: "any" }, vm: { network: "network", network_name: host.network } }));
        const cli = spawnSync(process.execPath, [join(import.meta.dir, "../../src/main.ts"), "load", "-c", host.uri, "--config", cfgPath, "--rate", "off", "--duration", "5"], { input: "refresh\n", encoding: "utf8", timeout: 60_000 });
        const said = `${cli.stdout}${cli.stderr}`;
        const line = said.split("\n").find((l) => l.includes("refresh: servers"));
        const want = [...g.serving()].sort((a, b) => a.name.localeCompare(b.name)).map((m) => `${m.address!.host}:${m.address!.port}`);
        console.log(`predefined: virtscale load, refresh: ${line ?? said.trim().slice(-300)}`);
        expect(line).toBeDefined();
        for (const a of want) expect(line).toContain(a);
        expect(want.map((a) => line!.indexOf(a))).toEqual([...want.map((a) => line!.indexOf(a))].sort((x, y) => x - y));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      // Scale in: the newest goes, shut down, still defined.
      const i0 = performance.now();
      g.scaleBy(-1);
      await until(`${names[2]} shut off and out of the group`, () => !g.members().some((m) => m.name === names[2]) && domainState(names[2]!, host.uri) === "shutoff", 60_000, dump);
      const inMs = Math.round(performance.now() - i0);
      expect(serving()).toEqual(names.slice(0, 2));
      expect(domainsOn(host.uri, prefix).sort()).toEqual(names);

      // The end: nothing undefined; what the run started is shut off; the one found running still runs, listed as left with its reason.
      const e0 = performance.now();
      const result = await run.stop({ removeVms: true });
      const endMs = Math.round(performance.now() - e0);
      const states = names.map((n) => domainState(n, host.uri));
      console.log(`predefined: scale-in shut ${names[2]} down in ${inMs} ms; run end ${endMs} ms; states at the end ${states.join(", ")}; left ${JSON.stringify(result.group.leftReasons)}`);
      expect(domainsOn(host.uri, prefix).sort()).toEqual(names);
      expect(states).toEqual(["running", "shutoff", "shutoff"]);
      expect(result.group.left).toEqual([names[0]!]);
      expect(result.group.leftReasons[names[0]!]).toMatch(/running before this run/);
      expect(result.group.removed).not.toContain(names[0]);
      expect(errors()).toEqual([]);
    },
    600_000,
  );
});
