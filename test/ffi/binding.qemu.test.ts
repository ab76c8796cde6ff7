// The binding against real QEMU (qemu:///system, TCG): a tiny diskless domain
// (SeaBIOS finds nothing to boot and idles, which is enough for a live QEMU
// process), started, sampled, annotated, paused, saved/restored through
// AsyncConnection while this thread's event loop keeps ticking, then removed.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, existsSync, statSync, chmodSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AsyncConnection, Connection, ConnectionKeeper, DomainEvents, DomainMetadataType, DomainState, DomainStatsTypes, DomainUndefineFlags,
  LibvirtError, DomainSaveRestoreFlags, type ConnectionEvent, type LifecycleEvent,
} from "../../ffi/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";
import { listVms } from "../../src/commands/vms.ts";

const URI = "qemu:///system";
let conn: Connection | null = null;
let skipReason = "";
try {
  conn = Connection.open(URI);
} catch (e) {
  skipReason = ` (SKIPPED: ${URI} does not answer: ${(e as Error).message})`;
}
const NAME = `${PREFIX}qemu`;
const dir = mkdtempSync(join(tmpdir(), `${PREFIX}qemu-`));
chmodSync(dir, 0o777); // libvirtd/QEMU write the save image here
const NS = "https://virtscale.dev/xmlns/vm/1";
const xml = tinyDomainXml(NAME, { type: "qemu", memMiB: 32, extra: "<devices><memballoon model='none'/></devices>" })
  .replace("<type arch='x86_64'>", "<type arch='x86_64' machine='pc'>");

/** Runs `fn` while a 10 ms interval counts ticks: how responsive the caller's loop stayed. */
async function ticking<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; ticks: number; maxGapMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let maxGapMs = 0;
  const iv = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  }, 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t0, ticks, maxGapMs };
  } finally {
    clearInterval(iv);
  }
}

afterAll(() => {
  // whatever happened above: no domain, no file left behind
  if (conn && !conn.closed) {
    for (const d of conn.listAllDomains()) {
      try {
        if (d.name().startsWith(PREFIX)) {
          if (d.isActive()) d.destroy();
          if (d.isPersistent()) d.undefine(DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA | DomainUndefineFlags.NVRAM);
        }
      } catch {}
      d.free();
    }
    conn.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!conn)(`binding on ${URI}${skipReason}`, () => {
  test("define, start (async), stats, metadata, suspend/resume, save/restore (async, loop keeps ticking), managed save, destroy, undefine", async () => {
    const c = conn!;
    expect(c.hypervisorType()).toBe("QEMU");
    expect(c.nodeInfo().cpus).toBeGreaterThan(0);
    using d = c.defineXML(xml);
    expect(d.state().state).toBe(DomainState.SHUTOFF);
    await using ac = await AsyncConnection.open(URI);

    const start = await ticking(() => ac.start(NAME));
    console.log(`qemu: start ${start.ms.toFixed(0)} ms, ${start.ticks} ticks of 10 ms, max gap ${start.maxGapMs.toFixed(0)} ms`);
    expect(d.isActive()).toBe(true);
    // virDomainGetID answers from the handle (id as of lookup): a fresh lookup sees the new id
    expect(d.id()).toBe(-1);
    using fresh = c.lookupByName(NAME);
    expect(fresh.id()).toBeGreaterThan(0);

    // bulk stats: typed params decoded, cpu.time advances while the guest runs
    const stats = () => c.domainListGetStats([d], DomainStatsTypes.STATE | DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.VCPU | DomainStatsTypes.BALLOON)[0]!;
    const s1 = stats();
    await new Promise((r) => setTimeout(r, 300));
    const s2 = stats();
    expect(s1.name).toBe(NAME);
    expect(s1.uuid).toBe(d.uuidString());
    expect(s2.params["state.state"]).toBe(DomainState.RUNNING);
    expect(typeof s2.params["cpu.time"]).toBe("bigint");
    expect(s2.params["cpu.time"] as bigint).toBeGreaterThan(s1.params["cpu.time"] as bigint);
    expect(s2.params["vcpu.current"]).toBe(1);
    expect(Number(s2.params["balloon.maximum"])).toBe(32 * 1024);
    const all = c.getAllDomainStats(DomainStatsTypes.STATE);
    expect(all.some((r) => r.name === NAME)).toBe(true);
    // the vms command's sampler on the real driver: cpu.time from bulk stats
    const rows = await listVms(URI, 300);
    const mine = rows.find((r) => r.name === NAME)!;
    expect(mine).toMatchObject({ state: "running", vcpus: 1, memoryKiB: 32 * 1024 });
    expect(mine.cpuPct).not.toBeNull();
    expect(mine.cpuPct!).toBeGreaterThanOrEqual(0);
    expect(mine.cpuPct!).toBeLessThanOrEqual(100.5);
    const info = d.info();
    expect(info.nrVirtCpu).toBe(1);
    expect(info.cpuTimeNs).toBeGreaterThan(0n);

    // metadata in virtscale's namespace, live and persistent
    d.setMetadata(DomainMetadataType.ELEMENT, `<vm group="ffi" role="test" port="30001"/>`, "virtscale", NS, 1 | 2 /* LIVE|CONFIG */);
    expect(d.getMetadata(DomainMetadataType.ELEMENT, NS)).toContain(`port="30001"`);
    expect(d.xmlDesc(2 /* INACTIVE */)).toContain(NS);

    d.suspend();
    expect(d.state().state).toBe(DomainState.PAUSED);
    d.resume();
    expect(d.state().state).toBe(DomainState.RUNNING);

    // save + restore on the worker: the caller's 10 ms timer keeps firing
    const path = join(dir, "guest.save");
    const save = await ticking(() => ac.save(NAME, path));
    console.log(`qemu: save ${save.ms.toFixed(0)} ms (${(statSync(path).size / 2 ** 20).toFixed(1)} MiB), ${save.ticks} ticks, max gap ${save.maxGapMs.toFixed(0)} ms`);
    expect(existsSync(path)).toBe(true);
    expect(d.isActive()).toBe(false);
    expect(save.ticks).toBeGreaterThan(0);
    expect(c.saveImageGetXMLDesc(path)).toContain(`<name>${NAME}</name>`);
    const restore = await ticking(() => ac.restore(path, { flags: DomainSaveRestoreFlags.PAUSED }));
    console.log(`qemu: restore ${restore.ms.toFixed(0)} ms, ${restore.ticks} ticks, max gap ${restore.maxGapMs.toFixed(0)} ms`);
    expect(d.state().state).toBe(DomainState.PAUSED);
    await ac.resume(NAME);
    expect(d.state().state).toBe(DomainState.RUNNING);

    // managed save + start resumes from it
    await ac.managedSave(NAME);
    expect(d.hasManagedSaveImage()).toBe(true);
    expect(d.isActive()).toBe(false);
    await ac.start(NAME);
    expect(d.isActive()).toBe(true);
    expect(d.hasManagedSaveImage()).toBe(false);

    // errors from the real driver carry its codes
    const dup = await ac.createXML(xml).catch((e) => e);
    expect(dup).toBeInstanceOf(LibvirtError);
    expect(dup.domainName).not.toBe("VIR_FROM_NONE");

    await ac.destroy(NAME);
    expect(d.isActive()).toBe(false);
    await ac.undefine(NAME, DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA);
    expect(() => c.lookupByName(NAME)).toThrow(LibvirtError);
  }, 180_000);

  test("onClose reports a lost transport (proxy to libvirtd killed) as eof; calls then fail with LibvirtError", async () => {
    const sock = join(dir, "proxy.sock");
    const proxy = spawn(process.execPath, [join(import.meta.dir, "fixtures/unix-proxy.ts"), sock, "/var/run/libvirt/libvirt-sock"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((res, rej) => {
        proxy.stdout!.once("data", () => res());
        proxy.once("exit", (code) => rej(new Error(`proxy exited ${code}`)));
      });
      using remote = Connection.open(`qemu+unix:///system?socket=${sock}`);
      expect(remote.isAlive()).toBe(true);
      expect(remote.hypervisorType()).toBe("QEMU");
      const reasons: string[] = [];
      const lost = new Promise<string>((res) => remote.onClose((r) => (reasons.push(r), res(r)), 50));
      proxy.kill("SIGKILL");
      const reason = await lost;
      expect(reason).toBe("eof");
      await new Promise((r) => setTimeout(r, 200));
      expect(reasons).toEqual(["eof"]); // once
      expect(remote.isAlive()).toBe(false);
      let err: unknown;
      try {
        remote.hypervisorVersion();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LibvirtError);
      console.log(`qemu: lost transport -> onClose("${reason}"), then: ${(err as LibvirtError).message}`);
    } finally {
      proxy.kill("SIGKILL");
    }
  }, 60_000);

  test("a transport lost and back (proxy killed, started again): events say lost then open and come again; the worker and the keeper reopen by themselves", async () => {
    const sock = join(dir, "proxy2.sock");
    const startProxy = async (): Promise<ChildProcess> => {
      rmSync(sock, { force: true }); // SIGKILL leaves the socket file behind
      const p = spawn(process.execPath, [join(import.meta.dir, "fixtures/unix-proxy.ts"), sock, "/var/run/libvirt/libvirt-sock"], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((res, rej) => {
        p.stdout!.once("data", () => res());
        p.once("exit", (code) => rej(new Error(`proxy exited ${code}`)));
      });
      return p;
    };
    const until = async (what: string, cond: () => boolean, ms: number) => {
      const t0 = performance.now();
      while (!cond()) {
        if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return Math.round(performance.now() - t0);
    };
    let proxy = await startProxy();
    const uri = `qemu+unix:///system?socket=${sock}`;
    const ev = await DomainEvents.open(uri);
    const ac = await AsyncConnection.open(uri, { readOnly: true });
    const keeper = new ConnectionKeeper(uri, { readOnly: true });
    const states: ConnectionEvent[] = [];
    const life: LifecycleEvent[] = [];
    ev.onConnection((e) => states.push(e));
    ev.onLifecycle((e) => e.name.startsWith(PREFIX) && life.push(e));
    try {
      expect(Array.isArray(await ac.cpuStats(0))).toBe(true);
      expect(keeper.run((c) => c.hypervisorType(), "always")).toBe("QEMU");
      proxy.kill("SIGKILL");
      const lostMs = await until("the close callback", () => states.length >= 1, 5000);
      expect(states[0]).toMatchObject({ state: "lost", reason: "eof" });
      expect(ev.connected).toBe(false);
      expect(await ac.cpuStats(0).catch((e) => e)).toBeInstanceOf(LibvirtError);
      proxy = await startProxy();
      const backMs = await until("the event connection back", () => states.length >= 2, 5000);
      expect(states[1]!.state).toBe("open");
      // The same objects work again: the worker's and the keeper's connections were reopened.
      expect(Array.isArray(await ac.cpuStats(0))).toBe(true);
      expect(keeper.run((c) => c.hypervisorType(), "always")).toBe("QEMU");
      expect(keeper.reopens).toBe(1);
      // Events were registered again on the new connection.
      using d = conn!.createXML(xml.replace(NAME, `${NAME}-ev`), 1 /* START_PAUSED */);
      await until("the started event", () => life.some((e) => e.type === "started"), 5000);
      const t0 = Date.now();
      d.destroy();
      await until("the stopped event", () => life.some((e) => e.type === "stopped"), 5000);
      const stopped = life.find((e) => e.type === "stopped")!;
      expect(stopped.detailName).toBe("destroyed");
      console.log(`qemu via proxy: close callback ${lostMs} ms after the kill; events back ${backMs} ms after the proxy; destroy -> event ${stopped.at - t0} ms`);
    } finally {
      proxy.kill("SIGKILL");
      keeper.close();
      await ac.close();
      await ev.close();
    }
  }, 60_000);

  test("snapshot with memory of a running QEMU domain is refused without a disk, with libvirt's reason", () => {
    const c = conn!;
    using d = c.createXML(xml.replace(NAME, `${NAME}-snap`), 1 /* START_PAUSED */);
    try {
      let err: any;
      try {
        d.snapshotCreateXML(`<domainsnapshot><name>s1</name><memory snapshot='internal'/></domainsnapshot>`);
      } catch (e) {
        err = e;
      }
      // internal snapshots need qcow2 disks; a diskless domain cannot take one
      expect(err).toBeInstanceOf(LibvirtError);
      expect(err.libvirtMessage.length).toBeGreaterThan(0);
    } finally {
      d.destroy();
    }
  }, 60_000);
});
