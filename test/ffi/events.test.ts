// DomainEvents on test:///default (the test driver queues lifecycle events for
// define, start, destroy, undefine and delivers them through the event loop):
// the events arrive with names and at once, watchers share one loop thread,
// a listener's exception stays with the listener, a URI that cannot be opened
// rejects with libvirt's error; and the same under Deno (Deno.UnsafeCallback).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Connection, DomainEvents, DomainEventType, LibvirtError, type LifecycleEvent } from "../../ffi/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";

const ROOT = resolve(import.meta.dir, "../..");
const DENO = [join(ROOT, "node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const t0 = performance.now();
  while (!cond() && performance.now() - t0 < ms) await sleep(2);
}

describe("DomainEvents", () => {
  test("define, start, destroy, undefine arrive in order, named, within milliseconds", async () => {
    using c = Connection.open("test:///default");
    await using ev = await DomainEvents.open("test:///default");
    const got: LifecycleEvent[] = [];
    ev.onLifecycle((e) => e.name.startsWith(PREFIX) && got.push(e));
    const name = `${PREFIX}ev1`;
    const d = c.defineXML(tinyDomainXml(name));
    try {
      d.create();
      await until(() => got.length >= 2);
      const t0 = Date.now();
      d.destroy();
      await until(() => got.length >= 3);
      const seenMs = Date.now() - t0;
      d.undefine();
      await until(() => got.length >= 4);
      expect(got.map((e) => `${e.type}/${e.detailName}`)).toEqual(["defined/added", "started/booted", "stopped/destroyed", "undefined/removed"]);
      expect(got[2]).toMatchObject({ uri: "test:///default", name, event: DomainEventType.STOPPED, detail: 1, uuid: d.uuidString() });
      expect(got[2]!.at - t0).toBeLessThan(200);
      expect(seenMs).toBeLessThan(200);
      console.log(`test driver: destroy -> stopped/destroyed event here after ${seenMs} ms`);
      expect(ev.connected).toBe(true);
    } finally {
      d.free();
    }
  });

  test("two watchers share the loop; closing one leaves the other; a listener that throws does not stop delivery", async () => {
    using c = Connection.open("test:///default");
    const a = await DomainEvents.open("test:///default");
    const b = await DomainEvents.open("test:///default");
    const seenA: string[] = [];
    const seenB: string[] = [];
    const listenerErrors: unknown[] = [];
    a.onListenerError = (e) => listenerErrors.push(e);
    a.onLifecycle(() => {
      throw new Error("listener bug");
    });
    a.onLifecycle((e) => e.name.startsWith(PREFIX) && seenA.push(e.type));
    b.onLifecycle((e) => e.name.startsWith(PREFIX) && seenB.push(e.type));
    const name = `${PREFIX}ev2`;
    try {
      c.defineXML(tinyDomainXml(name)).free();
      await until(() => seenA.length >= 1 && seenB.length >= 1);
      expect(seenA).toEqual(["defined"]);
      expect(seenB).toEqual(["defined"]);
      expect(listenerErrors.length).toBeGreaterThanOrEqual(1);
      await a.close();
      await a.close(); // idempotent
      using d = c.lookupByName(name);
      d.undefine();
      await until(() => seenB.length >= 2);
      expect(seenB).toEqual(["defined", "undefined"]);
      expect(seenA).toEqual(["defined"]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a URI that cannot be opened rejects with libvirt's error (callers fall back to sampling)", async () => {
    const err = await DomainEvents.open("nosuchdriver:///").catch((e) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.func).toBe("virConnectOpenReadOnly");
    // The loop still works for the next watcher.
    await using ok = await DomainEvents.open("test:///default");
    expect(ok.connected).toBe(true);
  });

  test.skipIf(!DENO)("under Deno: the same events through Deno.UnsafeCallback on the loop worker", () => {
    const r = spawnSync(DENO!, ["run", "-A", join(import.meta.dir, "fixtures/events-deno.ts"), `${PREFIX}deno`], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr.replace(/^Warning.*\n/gm, "")).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!)).toEqual({ events: ["defined/added", "started/booted", "stopped/destroyed", "undefined/removed"], exited: true });
  }, 90_000);
});
