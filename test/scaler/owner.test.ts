// One owner per group (src/scaler/lease.ts): the lock file with real flock
// and another process holding it, the owner marks on domains (test:///default),
// and loopback ports that no two allocations get, in one process or in two.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn, type Subprocess } from "bun";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { GroupLease, GroupOwnedError, leasePath } from "../../src/scaler/lease.ts";
import { LockFile } from "../../src/vm/lock-file.ts";
import { ownerMarkXml, parseOwnerMark } from "../../src/vm/metadata.ts";
import { bootId, ownerState, procStart, readOwnerMark, selfMark, writeOwnerMark } from "../../src/vm/owner.ts";
import { allocatePort, HostPortClaims } from "../../src/vm/ports.ts";
import { domainXml } from "./testdriver-vms.ts";

const ROOT = resolve(import.meta.dir, "../..");
const BUN = process.execPath;
const dir = mkdtempSync(join(tmpdir(), "vst-lease-"));
const keeper = Connection.open("test:///default");
const children: Subprocess[] = [];
afterAll(() => {
  for (const c of children) c.kill(9);
  keeper.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A child process running `code` (an ES module body, `ROOT` bound); resolves with it once it printed its first line. */
async function child(code: string, env: Record<string, string> = {}): Promise<{ proc: Subprocess<"pipe", "pipe", "inherit">; first: string; lines: () => Promise<string> }> {
  const proc = spawn([BUN, "-e", `const ROOT = ${JSON.stringify(ROOT)};\n${code}`], { stdin: "pipe", stdout: "pipe", stderr: "inherit", env: { ...process.env, ...env } });
  children.push(proc);
  const reader = proc.stdout.getReader();
  let buf = "";
  const dec = new TextDecoder();
  const line = async (): Promise<string> => {
    for (;;) {
      const i = buf.indexOf("\n");
      if (i >= 0) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        return l;
      }
      const { value, done } = await reader.read();
      if (done) return buf;
      buf += dec.decode(value);
    }
  };
  return { proc, first: await line(), lines: line };
}

const HOLDER = `
const { GroupLease } = await import(ROOT + "/src/scaler/lease.ts");
const lease = GroupLease.acquire({ group: process.env.G, uri: "qemu:///system", dir: process.env.D });
lease.update({ api: "127.0.0.1:18080" });
console.log(JSON.stringify({ pid: process.pid }));
await new Promise(() => {});
`;

describe("the group lease", () => {
  test("held by another process: refused at once, naming its pid, host, start and API; taken over once it is killed -9", async () => {
    const group = `vst-lease-${Math.random().toString(36).slice(2, 8)}`;
    const holder = await child(HOLDER, { G: group, D: dir });
    const { pid } = JSON.parse(holder.first) as { pid: number };
    const t0 = performance.now();
    let err: unknown;
    try {
      GroupLease.acquire({ group, uri: "qemu:///system", dir }).release();
    } catch (e) {
      err = e;
    }
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(GroupOwnedError);
    const msg = (err as Error).message;
    expect(msg).toContain(`group '${group}' is owned by pid ${pid} on ${hostname()} since `);
    expect(msg).toContain("watch it with `virtscale top --api 127.0.0.1:18080`");
    expect(msg).toContain(`kill -TERM ${pid}`);
    expect((err as GroupOwnedError).owner.pid).toBe(pid);
    expect(ms).toBeLessThan(100);
    // Another libvirt URI is another group of the same name.
    GroupLease.acquire({ group, uri: "qemu:///session", dir }).release();

    holder.proc.kill(9);
    await holder.proc.exited;
    // One that takes the free lock but then gives up (refused by owner marks) leaves the dead holder's record in place.
    GroupLease.acquire({ group, uri: "qemu:///system", dir }).giveBack();
    const lease = GroupLease.acquire({ group, uri: "qemu:///system", dir });
    try {
      expect(lease.notes.join("\n")).toMatch(new RegExp(`took over the lease of pid ${pid} on .*, which is gone \\(its lock was free\\)`));
      expect(lease.record.pid).toBe(process.pid);
    } finally {
      lease.release();
    }
    expect(existsSync(leasePath(dir, "qemu:///system", group))).toBe(false);
    // Released cleanly: the next one takes nothing over.
    const again = GroupLease.acquire({ group, uri: "qemu:///system", dir });
    expect(again.notes).toEqual([]);
    again.release();
  });

  test("a second lease in the same process is refused too (flock is per open file)", () => {
    const group = `vst-lease-${Math.random().toString(36).slice(2, 8)}`;
    const a = GroupLease.acquire({ group, uri: "qemu:///system", dir });
    try {
      expect(() => GroupLease.acquire({ group, uri: "qemu:///system", dir })).toThrow(/serves no HTTP API/);
    } finally {
      a.release();
    }
  });

  test("test: URIs take no lock file (the test driver lives inside its process)", () => {
    const before = readdirSync(dir).length;
    const a = GroupLease.acquire({ group: "vst-lease-test", uri: "test:///default", dir });
    const b = GroupLease.acquire({ group: "vst-lease-test", uri: "test:///default", dir });
    expect(readdirSync(dir).length).toBe(before);
    a.release();
    b.release();
  });

  test("a lock file removed by its holder between our open and our lock is not ours", () => {
    const p = join(dir, "race.lock");
    const a = new LockFile(p);
    expect(a.tryLock()).toBe(true);
    const b = new LockFile(p); // opened while a holds it: same inode
    a.release({ remove: true });
    const c = new LockFile(p); // a new file at the path
    expect(c.tryLock()).toBe(true);
    expect(b.tryLock()).toBe(false);
    b.release();
    c.release({ remove: true });
  });
});

describe("owner marks", () => {
  const group = `vst-owner-${Math.random().toString(36).slice(2, 8)}`;
  const name = `${group}-0001`;
  keeper.defineXML(domainXml(name, { group })).free();
  afterAll(() => {
    try {
      using d = keeper.lookupByName(name);
      d.undefine();
    } catch {
      /* gone */
    }
  });
  const lease = () => GroupLease.acquire({ group, uri: "test:///default", dir });

  test("round trip through the domain's metadata", () => {
    const m = selfMark(1_763_718_000_000);
    expect(parseOwnerMark(ownerMarkXml(m))).toEqual(m);
    expect(parseOwnerMark("<owner pid='x'/>")).toBeNull();
    expect(parseOwnerMark(null)).toBeNull();
    expect(writeOwnerMark(keeper, name, m)).toBe(true);
    expect(readOwnerMark(keeper, name)).toEqual(m);
    expect(writeOwnerMark(keeper, `${group}-gone`, m)).toBe(false);
  });

  test("a mark of another host refuses, naming it, unless --force", () => {
    writeOwnerMark(keeper, name, { host: "other-host", pid: 4242, boot: "b", since: Date.now() - 5000 });
    const l = lease();
    expect(() => l.checkMarks(keeper)).toThrow(new RegExp(`group '${group}' is owned by pid 4242 on other-host since .*VM '${name}'.*cannot tell.*--force`));
    l.checkMarks(keeper, { force: true });
    expect(l.notes.join("\n")).toMatch(/--force: taking over from pid 4242 on other-host/);
    l.claim(keeper, name);
    expect(readOwnerMark(keeper, name)).toMatchObject({ host: hostname(), pid: process.pid, boot: bootId() });
    l.checkMarks(keeper); // our own mark: nothing to say
  });

  test("a mark of a live process on this host refuses; of a gone one, or from before a reboot, is taken over", async () => {
    const other = await child(`console.log(process.pid); await new Promise(() => {});`);
    const pid = Number(other.first);
    const live = { host: hostname(), pid, pstart: procStart(pid), boot: bootId(), since: Date.now() };
    writeOwnerMark(keeper, name, live);
    expect(() => lease().checkMarks(keeper)).toThrow(new RegExp(`owned by pid ${pid} on ${hostname()}.*another URI.*kill -TERM ${pid}`));
    other.proc.kill(9);
    await other.proc.exited;
    const l = lease();
    l.checkMarks(keeper);
    expect(l.notes.join("\n")).toMatch(new RegExp(`owner marks on ${name}: their owner, pid ${pid} is gone; taking them over`));
    writeOwnerMark(keeper, name, { ...live, pid: process.pid, boot: "an-older-boot" });
    const r = lease();
    r.checkMarks(keeper);
    expect(r.notes.join("\n")).toMatch(/ran before this host rebooted/);
  });

  test("a reused pid is not the owner (its start time differs)", () => {
    const me = { host: "h", boot: "b", pid: 7, alive: () => true };
    expect(ownerState({ host: "h", pid: 9, pstart: 100, boot: "b", since: 0 }, { ...me, start: () => 100 })).toEqual({ state: "live" });
    expect(ownerState({ host: "h", pid: 9, pstart: 100, boot: "b", since: 0 }, { ...me, start: () => 250 })).toMatchObject({ state: "stale" });
    expect(ownerState({ host: "h", pid: 9, boot: "b", since: 0 }, { ...me, alive: () => false })).toEqual({ state: "stale", why: "pid 9 is gone" });
    expect(ownerState({ host: "x", pid: 9, boot: "b", since: 0 }, me)).toEqual({ state: "foreign" });
    expect(ownerState({ host: "h", pid: 7, boot: "b", since: 0 }, me)).toEqual({ state: "self" });
  });
});

describe("loopback ports", () => {
  test("never handed out twice within a process, even when the port is free again", async () => {
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push(await allocatePort(32400, new Set(), { isFree: async () => true }));
    expect(got).toEqual([32400, 32401, 32402, 32403, 32404]);
    // Concurrent picks in one process do not test the same port either.
    const many = await Promise.all(Array.from({ length: 6 }, () => allocatePort(32500, new Set(), { isFree: async () => (await new Promise((r) => setTimeout(r, 5)), true) })));
    expect(new Set(many).size).toBe(6);
  });

  test("two processes allocating at once from the same base never get the same port (host claims + bind test)", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "vst-ports-"));
    try {
      const base = 34000 + Math.floor(Math.random() * 500) * 2;
      const code = `
const { allocatePort } = await import(ROOT + "/src/vm/ports.ts");
console.log("ready");
await new Promise((r) => process.stdin.once("data", r));
const got = [];
for (let i = 0; i < 8; i++) got.push(await allocatePort(${base}, new Set()));
console.log(JSON.stringify(got));
await new Promise(() => {});
`;
      const env = { VIRTSCALE_RUN_DIR: runDir };
      const [a, b] = await Promise.all([child(code, env), child(code, env)]);
      a.proc.stdin.write("go\n");
      b.proc.stdin.write("go\n");
      a.proc.stdin.flush();
      b.proc.stdin.flush();
      const [pa, pb] = (await Promise.all([a.lines(), b.lines()])).map((l) => JSON.parse(l) as number[]);
      expect(pa!.length).toBe(8);
      expect(pb!.length).toBe(8);
      expect(new Set([...pa!, ...pb!]).size).toBe(16);
      // Each claim names its process: a third process skips all 16 while they live.
      const claims = new HostPortClaims(join(runDir, "ports.claims"));
      const third = await claims.claim(async (taken) => {
        expect([...pa!, ...pb!].every((p) => taken.has(p))).toBe(true);
        return base + 999;
      });
      expect(third).toBe(base + 999);
      a.proc.kill(9);
      b.proc.kill(9);
      await Promise.all([a.proc.exited, b.proc.exited]);
      // Gone processes claim nothing.
      await claims.claim(async (taken) => {
        expect([...pa!, ...pb!].some((p) => taken.has(p))).toBe(false);
        return base + 998;
      });
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});

describe("OwnedVms (the run's VmManager)", () => {
  test("marks what it creates and starts; once the run ends it makes nothing new, after the creates under way", async () => {
    const { OwnedVms, RunEndingError } = await import("../../src/scaler/owned-vms.ts");
    const { parseConfig } = await import("../../src/config.ts");
    const group = `vst-owned-${Math.random().toString(36).slice(2, 8)}`;
    const config = parseConfig({ auto_scaler_domain_prefix: group, vm: { port_base: 31700 + Math.floor(Math.random() * 200) } });
    const image = { kernel: "/nonexistent/vmlinuz", initrd: "/nonexistent/initrd.img", cmdline: "console=ttyS0", id: "0123456789abcdef" };
    const lease = GroupLease.acquire({ group, uri: "test:///default", dir });
    const claimed: string[] = [];
    const vms = new OwnedVms({ uri: "test:///default", config, image, group, claim: (n) => (claimed.push(n), lease.claim(vms.conn, n)) });
    try {
      const a = await vms.create();
      expect(readOwnerMark(vms.conn, a.name)).toMatchObject({ pid: process.pid, host: hostname() });
      await vms.managedSave(a.name);
      await vms.start(a.name);
      expect(claimed).toEqual([a.name, a.name]);
      const underway = vms.create();
      const ended = vms.endNew();
      const b = await underway; // the create under way finishes, and endNew waits for it
      await ended;
      expect(claimed).toContain(b.name);
      await expect(vms.create()).rejects.toBeInstanceOf(RunEndingError);
      await expect(vms.create()).rejects.toThrow(`cannot create a VM: the run of group '${group}' is ending`);
      for (const n of [a.name, b.name]) await vms.destroy(n);
    } finally {
      await vms.close();
      lease.release();
    }
  });
});
