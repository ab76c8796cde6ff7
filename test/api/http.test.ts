// Every endpoint over real HTTP (127.0.0.1, port 0) against libvirt's test
// driver (test:///default) through the real VmManager.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { Deleted, ErrorResponse, LegacyCreateResponse, Snapshot, SnapshotList, Vm, VmList } from "../../src/api/schemas.ts";
import { apiRig, treeOf, type ApiRig } from "./helpers.ts";

let rig: ApiRig;
beforeAll(async () => {
  rig = await apiRig();
});
afterAll(async () => {
  await rig?.close();
});

const isError = (r: { json: any }, code: number, re?: RegExp) => {
  expect(ErrorResponse.parse(r.json).error.code).toBe(code);
  if (re) expect(r.json.error.description).toMatch(re);
};

describe("/v1/vms on test:///default", () => {
  test("list, create, get, conflict, delete", async () => {
    let r = await rig.req("GET", "/v1/vms");
    expect(r.status).toBe(200);
    expect(VmList.parse(r.json).vms).toEqual([]);

    const name = `${rig.prefix}-0100`;
    r = await rig.req("POST", "/v1/vms", { name });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`/v1/vms/${name}`);
    const vm = Vm.parse(r.json);
    expect(vm).toMatchObject({ name, state: "running", group: rig.prefix, role: "api" });
    expect(vm.address).toBe(`127.0.0.1:${vm.port}`);

    r = await rig.req("GET", `/v1/vms/${name}`);
    expect(r.status).toBe(200);
    expect(Vm.parse(r.json).uuid).toBe(vm.uuid);
    r = await rig.req("GET", "/v1/vms");
    expect(VmList.parse(r.json).vms.map((v) => v.name)).toEqual([name]);

    isError(await rig.req("POST", "/v1/vms", { name }), 409, /already exists/);
    isError(await rig.req("POST", "/v1/vms", { name: "../x" }), 400, /^name: /);
    isError(await rig.req("POST", "/v1/vms", { name: 5 }), 400, /^name: expected string/);
    isError(await rig.req("POST", "/v1/vms", { bogus: 1 }), 400, /bogus: unknown field/);

    r = await rig.req("DELETE", `/v1/vms/${name}`);
    expect(r.status).toBe(200);
    expect(Deleted.parse(r.json).deleted).toBe(name);
    isError(await rig.req("GET", `/v1/vms/${name}`), 404, /no VM named/);
    isError(await rig.req("DELETE", `/v1/vms/${name}`), 404);
  });

  test("a domain that is not ours is 404, never touched", async () => {
    // test:///default's own domain "test" has no virtscale metadata.
    isError(await rig.req("GET", "/v1/vms/test"), 404, /not managed by virtscale|no VM/);
    isError(await rig.req("DELETE", "/v1/vms/test"), 404);
    expect(rig.vms.conn.lookupByName("test").isActive()).toBe(true);
  });

  test("POST /v1/vms without a body picks the next name", async () => {
    const r = await rig.req("POST", "/v1/vms");
    expect(r.status).toBe(201);
    const vm = Vm.parse(r.json);
    expect(vm.name.startsWith(rig.prefix)).toBe(true);
    expect((await rig.req("DELETE", `/v1/vms/${vm.name}`)).status).toBe(200);
  });
});

describe("POST /create and POST /snapshot (the original shapes)", () => {
  test("create from a kernel, snapshot halted, restore from the pair", async () => {
    let r = await rig.req("POST", "/create", { kernel_path: "vmlinuz-test", resume: false, cpu_snapshot_path: "", memory_snapshot_path: "" });
    // Empty snapshot paths are refused by the schema (min 1) even when unused: an empty string is not a path.
    isError(r, 400, /cpu_snapshot_path/);
    r = await rig.req("POST", "/create", { kernel_path: "vmlinuz-test", resume: false });
    expect(r.status).toBe(200);
    const created = LegacyCreateResponse.parse(r.json);
    expect(created.pid).toBeNull(); // the test driver has no QEMU process
    const vm = (await rig.req("GET", "/v1/vms")).json.vms.find((v: any) => v.port === created.port);
    expect(vm).toBeDefined();
    // The kernel named in the request is the one in the domain XML.
    expect(rig.vms.conn.lookupByName(vm.name).xmlDesc()).toContain(join(rig.kernelDir, "vmlinuz-test"));

    r = await rig.req("POST", "/snapshot", { cpu_snapshot_path: "legacy/a.json", memory_snapshot_path: "legacy/a.save", rpc_port: created.port, resume: false });
    expect(r.status).toBe(200);
    expect(r.json).toBe("Snapshot Taken Successfully");
    const desc = JSON.parse(readFileSync(join(rig.snapshotDir, "legacy/a.json"), "utf8"));
    const image = readFileSync(join(rig.snapshotDir, "legacy/a.save"));
    expect(desc).toMatchObject({ format: "virtscale-snapshot/1", domain: vm.name, uuid: vm.uuid, port: created.port, image: "legacy/a.save", image_bytes: image.length });
    expect(desc.image_sha256).toBe(createHash("sha256").update(image).digest("hex"));
    expect((await rig.req("GET", `/v1/vms/${vm.name}`)).json.state).toBe("shutoff");

    // A stopped VM cannot be snapshotted: 409.
    isError(
      await rig.req("POST", "/snapshot", { cpu_snapshot_path: "legacy/b.json", memory_snapshot_path: "legacy/b.save", rpc_port: created.port, resume: true }),
      409,
      /shutoff/,
    );
    expect(existsSync(join(rig.snapshotDir, "legacy/b.save"))).toBe(false);

    r = await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/a.json", memory_snapshot_path: "legacy/a.save", resume: true });
    expect(r.status).toBe(200);
    expect(LegacyCreateResponse.parse(r.json).port).toBe(created.port);
    expect((await rig.req("GET", `/v1/vms/${vm.name}`)).json.state).toBe("running");
    // Restoring over the running VM is a conflict.
    isError(await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/a.json", memory_snapshot_path: "legacy/a.save", resume: true }), 409, /running/);

    // Snapshot with resume keeps it running.
    r = await rig.req("POST", "/snapshot", { cpu_snapshot_path: "legacy/c.json", memory_snapshot_path: "legacy/c.save", rpc_port: created.port, resume: true });
    expect(r.status).toBe(200);
    expect((await rig.req("GET", `/v1/vms/${vm.name}`)).json.state).toBe("running");

    // Mismatched pairs are refused before libvirt is asked: a tampered image, and another snapshot's image.
    await rig.req("DELETE", `/v1/vms/${vm.name}`);
    copyFileSync(join(rig.snapshotDir, "legacy/a.save"), join(rig.snapshotDir, "legacy/tampered.save"));
    appendFileSync(join(rig.snapshotDir, "legacy/tampered.save"), "x");
    isError(await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/a.json", memory_snapshot_path: "legacy/tampered.save", resume: true }), 409, /does not belong/);
    r = await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/a.json", memory_snapshot_path: "legacy/c.save", resume: true });
    // a.save and c.save are the same size on the test driver only by chance: the hash decides.
    isError(r, 409, /does not belong.*(SHA-256|bytes)/);
    // The memory image given as the descriptor: not a descriptor.
    isError(await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/a.save", memory_snapshot_path: "legacy/a.save", resume: true }), 400, /same file/);
    isError(await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/c.save", memory_snapshot_path: "legacy/a.save", resume: true }), 400, /cpu_snapshot_path: not a snapshot descriptor/);
    isError(await rig.req("POST", "/create", { cpu_snapshot_path: "legacy/none.json", memory_snapshot_path: "legacy/a.save", resume: true }), 404, /cpu_snapshot_path/);
  });

  test("field errors name the field", async () => {
    isError(await rig.req("POST", "/snapshot", { cpu_snapshot_path: "a", memory_snapshot_path: "b", rpc_port: "22001", resume: true }), 400, /^rpc_port: expected number/);
    isError(await rig.req("POST", "/snapshot", { cpu_snapshot_path: "a", memory_snapshot_path: "b", resume: true }), 400, /^rpc_port: missing/);
    isError(await rig.req("POST", "/snapshot", { cpu_snapshot_path: "a", memory_snapshot_path: "b", rpc_port: 70000, resume: true }), 400, /^rpc_port: /);
    isError(await rig.req("POST", "/snapshot", { cpu_snapshot_path: "a", memory_snapshot_path: "b", rpc_port: 1, resume: "yes" }), 400, /^resume: expected boolean/);
    isError(await rig.req("POST", "/snapshot", { cpu_snapshot_path: "a", memory_snapshot_path: "b", rpc_port: 1, resume: true }), 404, /rpc_port: no VM/);
    isError(await rig.req("POST", "/create", { resume: false }), 400, /^kernel_path: missing/);
    isError(await rig.req("POST", "/create", { kernel_path: "nope", resume: false }), 404, /kernel_path: no kernel/);
    isError(await rig.req("POST", "/create", {}), 400, /^resume: missing/);
    isError(await rig.req("POST", "/create", [1, 2]), 400, /^body: expected object/);
    isError(await rig.req("POST", "/create", "null"), 400, /^body: expected object/);
  });

  test("paths outside their directory are refused (400, naming the field) and nothing is written", async () => {
    const name = `${rig.prefix}-0200`;
    const vm = Vm.parse((await rig.req("POST", "/v1/vms", { name })).json);
    symlinkSync(rig.outsideDir, join(rig.snapshotDir, "escape"));
    symlinkSync("/etc/passwd", join(rig.kernelDir, "passwd-link"));
    writeFileSync(join(rig.outsideDir, "vmlinuz"), "outside");
    const before = treeOf(rig.root);
    const bad = ["../outside/x.save", "/tmp/x.save", join(rig.outsideDir, "x.save"), "escape/x.save", "a/../../outside/x.save", "a\0b", "."];
    for (const p of bad) {
      for (const field of ["cpu_snapshot_path", "memory_snapshot_path"] as const) {
        const body = { cpu_snapshot_path: "ok.json", memory_snapshot_path: "ok.save", rpc_port: vm.port, resume: true, [field]: p };
        const r = await rig.req("POST", "/snapshot", body);
        isError(r, 400, new RegExp(`^${field}: `));
        const c = await rig.req("POST", "/create", { cpu_snapshot_path: "ok.json", memory_snapshot_path: "ok.save", resume: true, [field]: p });
        isError(c, 400, new RegExp(`^${field}: `));
      }
    }
    for (const p of ["../outside/vmlinuz", join(rig.outsideDir, "vmlinuz"), "passwd-link", "/etc/passwd"])
      isError(await rig.req("POST", "/create", { kernel_path: p, resume: false }), 400, /^kernel_path: .*outside/);
    expect(treeOf(rig.root)).toEqual(before);
    expect((await rig.req("GET", `/v1/vms/${name}`)).json.state).toBe("running");
    await rig.req("DELETE", `/v1/vms/${name}`);
  });

  test("targets that cannot be written are refused before the VM is stopped", async () => {
    const name = `${rig.prefix}-0250`;
    const vm = Vm.parse((await rig.req("POST", "/v1/vms", { name })).json);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(rig.snapshotDir, "adir"), { recursive: true });
    writeFileSync(join(rig.snapshotDir, "afile"), "x");
    const cases: [Record<string, string>, RegExp][] = [
      [{ memory_snapshot_path: "adir" }, /^memory_snapshot_path: exists and is not a regular file/],
      [{ cpu_snapshot_path: "adir" }, /^cpu_snapshot_path: exists and is not a regular file/],
      [{ memory_snapshot_path: "afile/x.save" }, /^memory_snapshot_path: cannot create its directory/],
    ];
    for (const [patch, re] of cases) {
      const r = await rig.req("POST", "/snapshot", { cpu_snapshot_path: "t.json", memory_snapshot_path: "t.save", rpc_port: vm.port, resume: false, ...patch });
      isError(r, 400, re);
      expect((await rig.req("GET", `/v1/vms/${name}`)).json.state).toBe("running");
    }
    await rig.req("DELETE", `/v1/vms/${name}`);
  });

  test("a libvirt failure is a 500 with libvirt's message and code", async () => {
    // A descriptor whose hash matches a file that is not a save image: our checks pass, libvirt refuses.
    const junk = Buffer.from("this is not a libvirt save image\n".repeat(10));
    writeFileSync(join(rig.snapshotDir, "junk.save"), junk);
    const d = {
      format: "virtscale-snapshot/1",
      id: "junk",
      domain: `${rig.prefix}-0999`,
      uuid: "00000000-0000-4000-8000-000000000999",
      group: rig.prefix,
      port: 34999,
      image: "junk.save",
      image_sha256: createHash("sha256").update(junk).digest("hex"),
      image_bytes: junk.length,
      created: new Date().toISOString(),
      resumed: true,
    };
    writeFileSync(join(rig.snapshotDir, "junk.json"), JSON.stringify(d));
    const r = await rig.req("POST", "/create", { cpu_snapshot_path: "junk.json", memory_snapshot_path: "junk.save", resume: true });
    isError(r, 500, /^libvirt: .+\(code \d+ VIR_ERR_\w+, domain \d+ VIR_FROM_\w+, in vir\w+\)$/);
  });
});

describe("/v1/vms/{name}/snapshots and /restore", () => {
  test("snapshot, list, conflict, restore after delete", async () => {
    const name = `${rig.prefix}-0300`;
    await rig.req("POST", "/v1/vms", { name });
    let r = await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "first" });
    expect(r.status).toBe(201);
    const s = Snapshot.parse(r.json);
    expect(s).toMatchObject({ id: "first", vm: name, cpu_snapshot_path: `${name}/first.json`, memory_snapshot_path: `${name}/first.save`, resumed: true });
    expect((await rig.req("GET", `/v1/vms/${name}`)).json.state).toBe("running");
    isError(await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "first" }), 409, /already has a snapshot/);
    isError(await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "../x" }), 400, /^id: /);
    r = await rig.req("POST", `/v1/vms/${name}/snapshots`, {});
    expect(r.status).toBe(201);
    r = await rig.req("GET", `/v1/vms/${name}/snapshots`);
    expect(SnapshotList.parse(r.json).snapshots.map((x) => x.id)).toContain("first");
    expect(r.json.snapshots.length).toBe(2);

    isError(await rig.req("POST", `/v1/vms/${name}/restore`, { snapshot: "first" }), 409, /running/);
    isError(await rig.req("POST", `/v1/vms/${name}/restore`, { snapshot: "nope" }), 404, /no snapshot 'nope'/);
    isError(await rig.req("POST", `/v1/vms/${name}/restore`, {}), 400, /^snapshot: missing/);
    await rig.req("DELETE", `/v1/vms/${name}`);
    // The snapshots outlive the VM; restoring brings it back with its name and UUID.
    expect((await rig.req("GET", `/v1/vms/${name}/snapshots`)).json.snapshots.length).toBe(2);
    r = await rig.req("POST", `/v1/vms/${name}/restore`, { snapshot: "first" });
    expect(r.status).toBe(200);
    expect(Vm.parse(r.json)).toMatchObject({ name, uuid: s.uuid, state: "running" });
    await rig.req("DELETE", `/v1/vms/${name}`);
    isError(await rig.req("GET", `/v1/vms/${rig.prefix}-0301/snapshots`), 404);
    isError(await rig.req("POST", `/v1/vms/${rig.prefix}-0301/snapshots`, {}), 404);
  });

  test("snapshot events reach the store", async () => {
    const name = `${rig.prefix}-0400`;
    await rig.req("POST", "/v1/vms", { name });
    const seen: string[] = [];
    const off = rig.store.subscribe((ev) => {
      if (ev.type === "snapshot") seen.push(`${ev.action} ${ev.status}`);
    });
    const busy: string[] = [];
    const offChange = rig.store.onChange(() => busy.push(...rig.store.state.busy.values()));
    await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "ev", resume: false });
    off();
    offChange();
    expect(seen).toEqual(["save started", "save done"]);
    // The dashboard's busy list showed the operation while it ran, and is empty after.
    expect(busy).toContain(`api: snapshot ${name}`);
    expect([...rig.store.state.busy.values()]).toEqual([]);
    await rig.req("DELETE", `/v1/vms/${name}`);
  });
});

describe("reads while an API operation runs", () => {
  test("GET /v1/vms answers from the listing taken before the operation, marked cached, with the VM's busy operation", async () => {
    const { apiDeps } = await import("../../src/api/server.ts");
    const { buildApp } = await import("../../src/api/app.ts");
    const deps = apiDeps({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config });
    const { app } = buildApp(deps);
    const name = `${rig.prefix}-0600`;
    await rig.req("POST", "/v1/vms", { name });
    const get = async () => {
      const r = await app.fetch(new Request("http://127.0.0.1/v1/vms"));
      return { header: r.headers.get("x-virtscale-listing"), vms: (await r.json()).vms };
    };
    let r = await get();
    expect(r.header).toBeNull();
    expect(r.vms.find((v: any) => v.name === name).busy).toBeNull();
    // What an operation does: list, then register in the store's registry. A VM made meanwhile is not in the cached listing.
    deps.listing = undefined;
    const op = rig.store.operations.begin(name, "snapshot", "api");
    deps.listing = { at: Date.now(), vms: rig.vms.listOwned().filter((v) => v.group === rig.prefix) };
    await rig.req("POST", "/v1/vms", { name: `${rig.prefix}-0601` });
    r = await get();
    expect(r.header).toMatch(/^cached; age-ms=\d+$/);
    expect(r.vms.find((v: any) => v.name === name).busy).toBe("snapshot");
    expect(r.vms.some((v: any) => v.name === `${rig.prefix}-0601`)).toBe(false);
    rig.store.operations.end(op);
    r = await get();
    expect(r.header).toBeNull();
    expect(r.vms.some((v: any) => v.name === `${rig.prefix}-0601`)).toBe(true);
    await rig.req("DELETE", `/v1/vms/${name}`);
    await rig.req("DELETE", `/v1/vms/${rig.prefix}-0601`);
  });
});

describe("HTTP edges", () => {
  test("404, 405 with Allow, OPTIONS, HEAD", async () => {
    isError(await rig.req("GET", "/nope"), 404, /no route for GET \/nope/);
    isError(await rig.req("GET", "/v1/vms/a/b/c"), 404);
    let r = await rig.req("PUT", "/v1/vms");
    isError(r, 405, /PUT is not allowed/);
    expect(r.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    isError(await rig.req("GET", "/create"), 405);
    isError(await rig.req("DELETE", "/snapshot"), 405);
    r = await rig.req("OPTIONS", "/v1/scaler");
    expect(r.status).toBe(204);
    expect(r.headers.get("allow")).toBe("GET, PATCH, HEAD, OPTIONS");
    r = await rig.req("HEAD", "/v1/vms");
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
  });

  test("bodies: 413 by Content-Length and by streamed size, 415, malformed JSON", async () => {
    const max = rig.config.api.max_body_bytes;
    isError(await rig.req("POST", "/v1/vms", "x".repeat(max + 1)), 413, /over the limit/);
    // No Content-Length: a chunked body that keeps coming.
    const chunk = new Uint8Array(8192).fill(32);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > max * 4) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(rig.url + "/v1/vms", { method: "POST", body: stream, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.description).toMatch(/over the limit/);
    isError(await rig.req("POST", "/v1/vms", "{}", { "content-type": "text/plain" }), 415, /application\/json/);
    isError(await rig.req("POST", "/v1/vms", "{}", { "content-type": "application/x-www-form-urlencoded" }), 415);
    isError(await rig.req("POST", "/v1/vms", '{"name":'), 400, /malformed JSON/);
    isError(await rig.req("POST", "/v1/vms", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, /UTF-8/);
    // application/json with a charset and +json types are JSON too.
    expect((await rig.req("POST", "/v1/vms/x/restore", { snapshot: "s" }, { "content-type": "application/json; charset=utf-8" })).status).toBe(404);
  });

  test("a Host that is not loopback is refused without a token (DNS rebinding)", async () => {
    const r = await rig.req("GET", "/v1/vms", undefined, { host: "evil.example:80" });
    isError(r, 403, /not a loopback name/);
    expect((await rig.req("GET", "/v1/vms", undefined, { host: "localhost" })).status).toBe(200);
  });

  test("a cross-site browser request (Origin elsewhere) is refused, even a bodiless POST", async () => {
    const before = (await rig.req("GET", "/v1/vms")).json.vms.length;
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example"]) {
      const r = await rig.req("POST", "/v1/vms", undefined, { origin });
      isError(r, 403, /Origin .* is not a page on this machine/);
    }
    expect((await rig.req("GET", "/v1/vms")).json.vms.length).toBe(before);
    expect((await rig.req("GET", "/v1/vms", undefined, { origin: "http://localhost:3000" })).status).toBe(200);
  });
});
