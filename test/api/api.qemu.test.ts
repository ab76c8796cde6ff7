// The API against real QEMU guests (qemu:///system, TCG) through VmManager:
// /create from a kernel, /snapshot while GET /v1/vms keeps answering, halt +
// restore from the pair, a mismatched pair refused, /v1 snapshot + restore.
// Every restored VM must answer the wire protocol correctly (expectedReply).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { decodeReply, encodeRequest, expectedReply } from "../../src/protocol.ts";
import { buildImage, defaultImageDir, findImage } from "../../src/guest/image.ts";
import { LegacyCreateResponse, Snapshot, Vm } from "../../src/api/schemas.ts";
import { apiRig, type ApiRig } from "./helpers.ts";

const URI = "qemu:///system";
let skip = "";
try {
  Connection.open(URI).close();
} catch (e) {
  skip = `${URI} does not answer: ${(e as Error).message}`;
}
if (skip) console.warn(`SKIPPED api.qemu tests: ${skip}`);

/** One request through the VM's loopback forward; the reply value or null on timeout. */
function ask(port: number, n: number, timeoutMs = 3000): Promise<bigint | null> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    const t = setTimeout(() => {
      s.close();
      resolve(null);
    }, timeoutMs);
    s.on("message", (m) => {
      clearTimeout(t);
      s.close();
      resolve(decodeReply(new Uint8Array(m)));
    });
    s.send(encodeRequest(n), port, "127.0.0.1");
  });
}

/** Ask until the VM answers (a freshly booted guest needs a few seconds); returns the answer. */
async function answerOf(port: number, n: number, withinMs: number): Promise<bigint | null> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    const v = await ask(port, n, 1500);
    if (v !== null) return v;
  }
  return null;
}

let rig: ApiRig;
let scale = 0;
beforeAll(async () => {
  if (skip) return;
  const image = findImage(defaultImageDir()) ?? (await buildImage({}));
  rig = await apiRig({ uri: URI, image, config: { vm: { kernel_dir: dirname(image.kernel) } } });
  scale = rig.config.vm.work_scale;
  (rig as any).kernelName = basename(image.kernel);
}, 600_000);
afterAll(async () => {
  await rig?.close();
}, 120_000);

describe.skipIf(!!skip)(`API on ${URI}${skip ? ` (SKIPPED: ${skip})` : ""}`, () => {
  let port = 0;
  let name = "";

  test("POST /create boots a VM from kernel_path; pid is its QEMU; it answers the protocol", async () => {
    const r = await rig.req("POST", "/create", { kernel_path: (rig as any).kernelName, resume: false });
    expect(r.status).toBe(200);
    const c = LegacyCreateResponse.parse(r.json);
    port = c.port;
    expect(c.pid).toBeGreaterThan(0);
    expect(readFileSync(`/proc/${c.pid}/cmdline`, "utf8")).toContain("qemu-system");
    const vm = (await rig.req("GET", "/v1/vms")).json.vms.find((v: any) => v.port === port);
    name = vm.name;
    expect(vm).toMatchObject({ state: "running", pid: c.pid, address: `127.0.0.1:${port}` });
    expect(await answerOf(port, 1234, 120_000)).toBe(expectedReply(1234, scale));
  }, 180_000);

  test("POST /snapshot (resume): GET /v1/vms keeps answering during the save; the VM keeps serving", async () => {
    let done = false;
    let during = 0;
    let worstMs = 0;
    const snap = rig
      .req("POST", "/snapshot", { cpu_snapshot_path: "pair/a.json", memory_snapshot_path: "pair/a.save", rpc_port: port, resume: true })
      .finally(() => (done = true));
    let conflicts = 0;
    let sawBusy = 0;
    while (!done) {
      if (conflicts === 0) {
        // A second long operation on the same VM while the save runs: 409, not a queue.
        const second = await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "second" });
        if (!done) {
          expect(second.status).toBe(409);
          expect(second.json.error.description).toMatch(/busy: snapshot in progress|is (shutoff|paused)/);
          conflicts++;
        }
      }
      const t0 = performance.now();
      const r = await rig.req("GET", "/v1/vms");
      expect(r.status).toBe(200);
      if (r.json.vms[0]?.busy === "snapshot") {
        sawBusy++;
        expect(r.headers.get("x-virtscale-listing")).toMatch(/^cached; age-ms=\d+$/);
      }
      if (!done) {
        during++;
        worstMs = Math.max(worstMs, performance.now() - t0);
      }
      await new Promise((res) => setTimeout(res, 50));
    }
    const r = await snap;
    expect(r.status).toBe(200);
    expect(r.json).toBe("Snapshot Taken Successfully");
    console.log(`GET /v1/vms answered ${during} times during the save (slowest ${worstMs.toFixed(0)} ms)`);
    expect(during).toBeGreaterThanOrEqual(2);
    expect(sawBusy).toBeGreaterThanOrEqual(1);
    const d = JSON.parse(readFileSync(join(rig.snapshotDir, "pair/a.json"), "utf8"));
    expect(d).toMatchObject({ domain: name, port, image: "pair/a.save", resumed: true });
    expect(d.image_bytes).toBeGreaterThan(1_000_000);
    expect((await rig.req("GET", `/v1/vms/${name}`)).json.state).toBe("running");
    expect(await answerOf(port, 777, 30_000)).toBe(expectedReply(777, scale));
  }, 300_000);

  test("POST /snapshot (halt), then POST /create resume: the restored VM answers at once", async () => {
    let r = await rig.req("POST", "/snapshot", { cpu_snapshot_path: "pair/b.json", memory_snapshot_path: "pair/b.save", rpc_port: port, resume: false });
    expect(r.status).toBe(200);
    expect((await rig.req("GET", `/v1/vms/${name}`)).json.state).toBe("shutoff");
    expect(await ask(port, 5, 1000)).toBeNull();
    // The snapshot of a stopped VM is a conflict.
    r = await rig.req("POST", "/snapshot", { cpu_snapshot_path: "pair/c.json", memory_snapshot_path: "pair/c.save", rpc_port: port, resume: true });
    expect(r.status).toBe(409);
    expect(existsSync(join(rig.snapshotDir, "pair/c.save"))).toBe(false);
    // A pair that does not belong together: refused before libvirt is asked.
    r = await rig.req("POST", "/create", { cpu_snapshot_path: "pair/a.json", memory_snapshot_path: "pair/b.save", resume: true });
    expect(r.status).toBe(409);
    expect(r.json.error.description).toMatch(/does not belong/);
    r = await rig.req("POST", "/create", { cpu_snapshot_path: "pair/b.json", memory_snapshot_path: "pair/b.save", resume: true });
    expect(r.status).toBe(200);
    const c = LegacyCreateResponse.parse(r.json);
    expect(c.port).toBe(port);
    expect(c.pid).toBeGreaterThan(0);
    expect(await answerOf(port, 4242, 10_000)).toBe(expectedReply(4242, scale));
  }, 300_000);

  test("/v1: snapshot (halt), restore, and the VM answers", async () => {
    let r = await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "v1", resume: false });
    expect(r.status).toBe(201);
    expect(Snapshot.parse(r.json).bytes).toBeGreaterThan(1_000_000);
    r = await rig.req("POST", `/v1/vms/${name}/restore`, { snapshot: "v1" });
    expect(r.status).toBe(200);
    expect(Vm.parse(r.json)).toMatchObject({ name, state: "running" });
    expect(await answerOf(port, 99, 10_000)).toBe(expectedReply(99, scale));
    r = await rig.req("DELETE", `/v1/vms/${name}`);
    expect(r.status).toBe(200);
    expect((await rig.req("GET", "/v1/vms")).json.vms).toEqual([]);
  }, 300_000);
});
