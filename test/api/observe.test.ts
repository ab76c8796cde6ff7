// /metrics, /v1/events (SSE) and /openapi.json over real HTTP.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiDeps } from "../../src/api/server.ts";
import { buildApp } from "../../src/api/app.ts";
import { apiRig, type ApiRig } from "./helpers.ts";
import type { LbView, VmView } from "../../src/events.ts";

let rig: ApiRig;
beforeAll(async () => {
  rig = await apiRig();
});
afterAll(async () => {
  await rig?.close();
});

const vmView = (name: string, cpuPct: number | null): VmView => ({ name, state: "running", role: "serving", vcpus: 1, memoryKiB: 524288, cpuPct });
const counters = { requestsIn: 10, forwarded: 9, answered: 8, timedOut: 1, inFlight: 0, dropped: { size: 2 }, p50Ms: 1.5, p90Ms: 3, p99Ms: 7, rpsIn: 5, rpsOut: 4 };
const lbView: LbView = { listen: "127.0.0.1:21001", policy: "round_robin", total: counters, backends: [{ ...counters, id: "b1", address: "127.0.0.1:22001", state: "active" }] };

describe("/metrics", () => {
  test("per-VM CPU (absent when unknown), balancer, API counters", async () => {
    rig.store.setVms([vmView("m-1", 42.5), vmView("m-2", null)]);
    rig.store.setLb(lbView);
    await rig.req("GET", "/nope");
    const r = await rig.req("GET", "/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
    const lines = r.text.split("\n");
    // CPU as a 0..1 ratio; role and state label the _info series only.
    expect(lines).toContain('virtscale_vm_cpu_usage_ratio{name="m-1"} 0.425');
    expect(lines.some((l) => l.startsWith('virtscale_vm_cpu_usage_ratio{name="m-2"'))).toBe(false);
    expect(lines).toContain('virtscale_vm_info{name="m-2",state="running",role="serving"} 1');
    expect(lines).toContain('virtscale_vms{role="serving"} 2');
    expect(lines).toContain('virtscale_api_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(lines).toContain('virtscale_api_request_duration_seconds_count{route="unmatched"} 1');
    expect(r.text).toContain("virtscale_lb_");
    expect(lines).toContain("virtscale_lb_answered_total 8");
    expect(lines).toContain('virtscale_lb_backend_answered_total{backend="b1"} 8');
    expect(lines).toContain('virtscale_lb_backend_info{backend="b1",address="127.0.0.1:22001",state="active"} 1');
    // A view alone has percentiles, no buckets: no latency histogram without the balancer itself (test/api/metrics-lint.test.ts has one).
    expect(r.text).not.toContain("quantile=");
    // Every sample line is NAME{labels} VALUE, every family has HELP and TYPE.
    for (const l of lines.filter((x) => x && !x.startsWith("#"))) expect(l).toMatch(/^[a-z_:][a-z0-9_:]*(\{.*\})? (-?[0-9.e+-]+|NaN|\+Inf)$/);
    const families = new Set(lines.filter((l) => l.startsWith("# TYPE")).map((l) => l.split(" ")[2]));
    for (const f of families) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^# HELP ${f} `)));
    rig.store.setVms([]);
  });
});

async function readEvents(res: Response, n: number, timeoutMs = 5000): Promise<{ event: string; data: any }[]> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  const out: { event: string; data: any }[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (ev && data) out.push({ event: ev, data: JSON.parse(data) });
    }
  }
  reader.releaseLock();
  return out;
}

describe("/v1/events", () => {
  test("starts with a tick, then the store's events as they happen", async () => {
    const ac = new AbortController();
    const res = await fetch(rig.url + "/v1/events", { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/event-stream");
    const first = await readEvents(res, 1);
    expect(first[0]!.event).toBe("tick");
    expect(Array.isArray(first[0]!.data.vms)).toBe(true);
    rig.store.log("hello from the test");
    const name = `${rig.prefix}-0500`;
    await rig.req("POST", "/v1/vms", { name });
    await rig.req("POST", `/v1/vms/${name}/snapshots`, { id: "sse" });
    const evs = await readEvents(res, 4);
    expect(evs[0]).toMatchObject({ event: "log", data: { type: "log", message: "hello from the test" } });
    expect(evs[1]).toMatchObject({ event: "vm", data: { name, to: "running" } });
    expect(evs.slice(2).map((e) => `${e.data.action} ${e.data.status}`)).toEqual(["save started", "save done"]);
    ac.abort();
    await rig.req("DELETE", `/v1/vms/${name}`);
  });

  test("?types filters; an unknown type is 400", async () => {
    const ac = new AbortController();
    const res = await fetch(rig.url + "/v1/events?types=vm", { signal: ac.signal });
    rig.store.log("not for this client");
    rig.store.emit({ type: "vm", ts: Date.now(), name: "x", to: "running" });
    const evs = await readEvents(res, 1);
    expect(evs).toEqual([{ event: "vm", data: expect.objectContaining({ name: "x" }) }]);
    ac.abort();
    const bad = await rig.req("GET", "/v1/events?types=vm,bogus");
    expect(bad.status).toBe(400);
    expect(bad.json.error.description).toMatch(/types: unknown event type\(s\) bogus/);
  });

  test("a client that stops reading is cut off after 2000 queued events (it reconnects and gets a tick)", async () => {
    const deps = apiDeps({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config });
    const before = (rig.store as any).listeners.size as number;
    const res = await buildApp(deps).app.fetch(new Request("http://127.0.0.1/v1/events?types=log"));
    for (let i = 0; i < 2100; i++) rig.store.emit({ type: "log", ts: i, level: "info", message: `m${i}` });
    expect((rig.store as any).listeners.size).toBe(before);
    const text = await res.text(); // the stream was closed: this ends
    expect(text).toContain("event: overflow");
    expect(text.match(/^event: log$/gm)!.length).toBeGreaterThan(1900);
  });

  test("a client that goes away is unsubscribed", async () => {
    const deps = apiDeps({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config });
    const { app } = buildApp(deps);
    const ac = new AbortController();
    const before = (rig.store as any).listeners.size as number;
    const res = await app.fetch(new Request("http://127.0.0.1/v1/events", { signal: ac.signal }));
    await readEvents(res, 1);
    expect((rig.store as any).listeners.size).toBe(before + 1);
    await res.body!.cancel();
    expect((rig.store as any).listeners.size).toBe(before);
    // HEAD over real HTTP: headers only, no subscription left behind.
    const head = await rig.req("HEAD", "/v1/events");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toStartWith("text/event-stream");
    expect((rig.store as any).listeners.size).toBe(before);
    // A client that disconnects over real HTTP is unsubscribed too.
    const ac2 = new AbortController();
    const live = await fetch(rig.url + "/v1/events", { signal: ac2.signal });
    await readEvents(live, 1);
    expect((rig.store as any).listeners.size).toBe(before + 1);
    ac2.abort();
    for (let i = 0; i < 50 && (rig.store as any).listeners.size !== before; i++) await new Promise((r) => setTimeout(r, 20));
    expect((rig.store as any).listeners.size).toBe(before);
  });
});

describe("/openapi.json", () => {
  test("describes exactly the routes the app serves, with components from the zod schemas", async () => {
    const r = await rig.req("GET", "/openapi.json");
    expect(r.status).toBe(200);
    const doc = r.json;
    expect(doc.openapi).toBe("3.1.0");
    const deps = apiDeps({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config });
    const { app, routes } = buildApp(deps);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(routes.map((x) => `${x.method} ${x.path}`).sort());
    // Every route Hono serves with a real handler is documented (the catch-alls answer 405).
    const served = new Set(app.routes.filter((x) => x.method !== "ALL").map((x) => `${x.method} ${x.path.replace(/:(\w+)/g, "{$1}")}`));
    for (const s of served) expect(documented).toContain(s);
    // The original shapes, field for field.
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.LegacyCreateRequest.properties).sort()).toEqual(["cpu_snapshot_path", "kernel_path", "memory_snapshot_path", "resume"]);
    expect(schemas.LegacySnapshotRequest.required.sort()).toEqual(["cpu_snapshot_path", "memory_snapshot_path", "resume", "rpc_port"]);
    expect(schemas.LegacyCreateResponse.required.sort()).toEqual(["pid", "port"]);
    expect(schemas.LegacySnapshotResponse.const).toBe("Snapshot Taken Successfully");
    // Input view for requests: a field with a default is optional.
    expect(schemas.SnapshotCreateRequest.required ?? []).not.toContain("resume");
    expect(Object.keys(doc.paths["/snapshot"].post.responses).sort()).toEqual(["200", "400", "403", "404", "409", "413", "415", "500", "507"]);
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const id = ref.replace(/^"\$ref":"#\/components\/schemas\//, "").replace(/"$/, "");
      expect(schemas[id]).toBeDefined();
    }
  });
});

describe("docs/api.md", () => {
  test("lists every route of the table", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
    const deps = apiDeps({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config });
    for (const r of buildApp(deps).routes) expect(doc).toContain(`| ${r.method} | \`${r.path}\` |`);
  });
});

describe("/openapi.json is a valid OpenAPI 3.1 document", () => {
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const probe = spawnSync("python3", ["-c", "import openapi_spec_validator"], { encoding: "utf8" });
  const why = probe.status === 0 ? "" : "python3 openapi-spec-validator not installed (pip install openapi-spec-validator)";
  if (why) console.warn(`skipping the OpenAPI validator test: ${why}`);
  test.skipIf(!!why)(`openapi-spec-validator accepts it (with and without a token)${why ? ` (SKIPPED: ${why})` : ""}`, async () => {
    const docs = [(await rig.req("GET", "/openapi.json")).json];
    const deps = apiDeps({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config });
    const withToken = await buildApp(deps, { token: "t".repeat(20) }).app.fetch(new Request("http://127.0.0.1/openapi.json", { headers: { authorization: `Bearer ${"t".repeat(20)}` } }));
    docs.push(await withToken.json());
    for (const doc of docs) {
      const r = spawnSync("python3", ["-c", "import json,sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(sys.stdin))\nprint('valid')"], { input: JSON.stringify(doc), encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("valid");
    }
  });
});
