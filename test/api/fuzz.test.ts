// Thousands of random and malformed requests against the API on
// test:///default: bad JSON, wrong types, huge bodies, traversal paths,
// unknown routes, odd methods, odd headers (some over a raw socket).
// Nothing may answer 5xx, the server must keep answering, and no file may
// appear or change outside the snapshot directory.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { apiRig, treeOf, type ApiRig } from "./helpers.ts";

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const N_HTTP = Number(process.env.FUZZ_N ?? 3000);
const N_RAW = 200;

function mulberry32(a: number) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let rig: ApiRig;
beforeAll(async () => {
  rig = await apiRig({ config: { vm: { boot_timeout_s: 1 } } });
});
afterAll(async () => {
  await rig?.close();
});

describe(`fuzz (seed ${SEED}; rerun with FUZZ_SEED=${SEED})`, () => {
  test(`${N_HTTP} random requests + ${N_RAW} raw malformed ones: no 5xx, no crash, no write outside the snapshot directory`, async () => {
    const rnd = mulberry32(SEED);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const int = (n: number) => Math.floor(rnd() * n);
    const pwnedAbs = `/tmp/${rig.prefix}-pwned`;
    const evilPaths = [
      "../outside/pwned",
      "../../outside/pwned",
      join(rig.outsideDir, "pwned"),
      pwnedAbs,
      "a/../../outside/pwned",
      "escape/pwned",
      "./../outside/pwned",
      "..%2foutside%2fpwned",
      "/etc/passwd",
      "/proc/self/environ",
      "a\u0000b",
      "",
      ".",
      "..",
      "/",
      "x".repeat(5000),
      "ok.json",
      "ok.save",
      "dir/ok.save",
      "vmlinuz-test",
      "../kernels/vmlinuz-test",
      "é/ü.save",
    ];
    // A symlink out of the snapshot directory, to lure writes through it.
    const { symlinkSync } = await import("node:fs");
    symlinkSync(rig.outsideDir, join(rig.snapshotDir, "escape"));

    const vmName = `${rig.prefix}-0001`;
    const made = await rig.req("POST", "/v1/vms", { name: vmName });
    expect(made.status).toBe(201);
    const port = made.json.port as number;

    const anyValue = (depth = 0): unknown => {
      switch (int(depth > 2 ? 6 : 9)) {
        case 0: return null;
        case 1: return rnd() < 0.5;
        case 2: return pick([0, -1, 1.5, 65536, port, 1e308, -0, 2 ** 53 + 1]);
        case 3: return pick(evilPaths);
        case 4: return pick(["true", "false", "1", "", "null"]);
        case 5: return undefined;
        case 6: return [anyValue(depth + 1), anyValue(depth + 1)];
        case 7: return { [pick(FIELDS)]: anyValue(depth + 1) };
        default: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(FIELDS), anyValue(depth + 1)]));
      }
    };
    const FIELDS = ["cpu_snapshot_path", "memory_snapshot_path", "kernel_path", "rpc_port", "resume", "name", "role", "id", "snapshot", "min", "max", "high", "low", "policy", "paused", "target", "__proto__", "constructor", "bogus"];
    const legacyish = (): Record<string, unknown> => {
      const b: Record<string, unknown> = {
        cpu_snapshot_path: pick(evilPaths),
        memory_snapshot_path: pick(evilPaths),
        kernel_path: pick(evilPaths),
        rpc_port: rnd() < 0.5 ? port : anyValue(),
        resume: rnd() < 0.8 ? rnd() < 0.5 : anyValue(),
      };
      for (const k of Object.keys(b)) if (rnd() < 0.15) delete b[k];
      if (rnd() < 0.1) b[pick(FIELDS)] = anyValue();
      return b;
    };
    const names = [vmName, "test", "nope", "..", "%2e%2e", "a%00b", "x".repeat(300), "%E0%A4%A", "é", "vst-api-x/../y", `${rig.prefix}-0002`];
    const paths = () =>
      pick([
        "/create",
        "/snapshot",
        "/v1/vms",
        `/v1/vms/${pick(names)}`,
        `/v1/vms/${pick(names)}/snapshots`,
        `/v1/vms/${pick(names)}/restore`,
        "/v1/scaler",
        "/metrics",
        "/openapi.json",
        "/v1/events?types=bogus",
        "/",
        "//create",
        "/create/",
        "/CREATE",
        "/../../etc/passwd",
        "/v1/vms?x=" + "y".repeat(int(3000)),
        "/v1/%2e%2e/vms",
        "/v2/vms",
        "/v1/vms/" + pick(names) + "/snapshots/" + pick(names),
      ]);
    const bodies = (): { body?: string | Uint8Array; type?: string } => {
      switch (int(12)) {
        case 0: return {};
        case 1: return { body: "{bad json", type: "application/json" };
        case 2: return { body: JSON.stringify(anyValue()) ?? "", type: "application/json" };
        case 3: return { body: JSON.stringify(legacyish()), type: pick(["application/json", "text/plain", "application/json; charset=latin1", "", "multipart/form-data", "application/vnd.x+json"]) };
        case 4: return { body: "x".repeat(rig.config.api.max_body_bytes + 1 + int(1000)), type: "application/json" };
        case 5: return { body: new Uint8Array(Array.from({ length: int(200) }, () => int(256))), type: "application/json" };
        case 6: return { body: "[".repeat(5000) + "]".repeat(5000), type: "application/json" };
        case 7: return { body: JSON.stringify({ name: pick(names), role: anyValue(), wait: false }), type: "application/json" };
        case 8: return { body: JSON.stringify({ id: pick(names), resume: anyValue() }), type: "application/json" };
        case 9: return { body: JSON.stringify({ snapshot: pick(["first", "..", "x".repeat(100)]) }), type: "application/json" };
        case 10: return { body: JSON.stringify({ min: anyValue(), max: anyValue(), high: anyValue(), low: anyValue(), policy: anyValue() }), type: "application/json" };
        default: return { body: JSON.stringify(legacyish()), type: "application/json" };
      }
    };
    const METHODS = ["GET", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "FOO"];

    const outsideBefore = treeOf(rig.root);
    const statuses = new Map<number, number>();
    const fails: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < N_HTTP) {
        const i = next++;
        const method = pick(METHODS);
        const path = paths();
        const b = method === "GET" || method === "HEAD" || method === "FOO" ? {} : bodies();
        const headers: Record<string, string> = {};
        if (b.type) headers["content-type"] = b.type;
        if (rnd() < 0.05) headers["authorization"] = "Bearer " + "z".repeat(int(40));
        if (rnd() < 0.05) headers["x-forwarded-for"] = "1.2.3.4";
        if (rnd() < 0.03) headers["host"] = pick(["localhost", "127.0.0.1:1", "[::1]", "evil.example"]);
        try {
          const r = await fetch(rig.url + path, { method, headers, body: b.body as BodyInit | undefined });
          const text = await r.text();
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status >= 500) fails.push(`#${i} ${method} ${path} -> ${r.status} ${text.slice(0, 200)} body=${String(b.body).slice(0, 200)}`);
          else if (r.status >= 400 && method !== "HEAD") {
            const j = JSON.parse(text);
            if (j.error?.code !== r.status || typeof j.error.description !== "string") fails.push(`#${i} ${method} ${path} -> ${r.status} not the error shape: ${text.slice(0, 200)}`);
          }
        } catch (e) {
          fails.push(`#${i} ${method} ${path}: ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));

    // Raw requests that fetch would not send.
    const { port: apiPort } = new URL(rig.url);
    const raws = [
      "GET /v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
      "POST /create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}",
      "POST /create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
      "POST /create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
      "POST /create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{}",
      "GET /v1/vms HTTP/1.0\r\n\r\n",
      "GET http://127.0.0.1/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + "a".repeat(70000) + "\r\n\r\n",
      "GET /v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header line\r\n\r\n",
      "GET /v1/vms\0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
      "GARBAGE\r\n\r\n",
      "POST /snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n" + '{"cpu_snapshot_path":"../x"',
    ];
    const rawFails: string[] = [];
    const parserAnswers = new Map<number, number>();
    let nextRaw = 0;
    const rawWorker = async () => {
    while (nextRaw < N_RAW) {
      const i = nextRaw++;
      const payload = i < raws.length ? raws[i]! : pick(raws).replace(/\/v1\/vms|\/create/, paths()).slice(0, 1 + int(400));
      const reply = await new Promise<string>((resolve) => {
        const s = connect(Number(apiPort), "127.0.0.1");
        let got = "";
        // A truncated request makes the server wait for the rest: give up on it soon.
        s.setTimeout(400, () => s.destroy());
        s.on("data", (d) => {
          got += d.toString("latin1");
          if (/\r\n\r\n/.test(got)) s.end();
        });
        s.on("close", () => resolve(got));
        s.on("error", () => resolve(got));
        s.write(payload, "latin1");
      });
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 0);
      // Bun's own HTTP parser answers a request line it cannot parse (a NUL in the target: 505, no body)
      // before any of our code runs; those are counted apart. Any 5xx that came from the API is a failure.
      const fromParser = status >= 500 && !/\r\n\r\n\{"error"/.test(reply) && /^Connection: close\r?$/im.test(reply);
      if (fromParser) parserAnswers.set(status, (parserAnswers.get(status) ?? 0) + 1);
      else if (status >= 500) rawFails.push(`${JSON.stringify(payload.slice(0, 120))} -> ${reply.slice(0, 300)}`);
    }
    };
    await Promise.all(Array.from({ length: 8 }, rawWorker));

    // Still serving, nothing written outside the snapshot directory, the lured paths do not exist.
    const alive = await rig.req("GET", "/v1/vms");
    expect(alive.status).toBe(200);
    const after = treeOf(rig.root);
    const changedOutside = [...new Set([...outsideBefore.keys(), ...after.keys()])].filter(
      (p) => p !== rig.snapshotDir && !p.startsWith(rig.snapshotDir + "/") && outsideBefore.get(p) !== after.get(p),
    );
    expect(changedOutside).toEqual([]);
    expect(existsSync(pwnedAbs)).toBe(false);
    expect(existsSync(join(rig.outsideDir, "pwned"))).toBe(false);
    console.log(`fuzz seed ${SEED}: API statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; answered by the runtime's HTTP parser (raw): ${JSON.stringify(Object.fromEntries(parserAnswers))}`);
    expect(fails).toEqual([]);
    expect(rawFails).toEqual([]);
  }, 240_000);
});
