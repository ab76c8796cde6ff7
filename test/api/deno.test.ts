// The same API under Deno (Deno.serve through the runtime adapter, ffi via
// Deno.dlopen): deno run -A test/api/deno-entry.ts, then real HTTP requests.
import { describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { rand6 } from "./helpers.ts";

const ROOT = join(import.meta.dir, "../..");
const DENO = [join(ROOT, "node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));
if (!DENO) console.warn("skipping the Deno API test: deno not found (npm install deno)");

describe("API under Deno", () => {
  test.skipIf(!DENO)(`deno run -A test/api/deno-entry.ts: endpoints answer${DENO ? "" : " (SKIPPED: deno not found)"}`, async () => {
    const prefix = `vst-api-${rand6()}`;
    const child = spawn(DENO!, ["run", "-A", "test/api/deno-entry.ts", prefix], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const rl = createInterface({ input: child.stdout });
      const lines: string[] = [];
      const waiters: ((l: string) => void)[] = [];
      rl.on("line", (l) => (waiters.length ? waiters.shift()!(l) : lines.push(l)));
      const nextLine = () =>
        new Promise<string>((resolve, reject) => {
          if (lines.length) return resolve(lines.shift()!);
          waiters.push(resolve);
          child.once("exit", (code) => reject(new Error(`deno exited (${code}): ${stderr}`)));
        });
      const listeners = async () => {
        child.stdin.write("listeners\n");
        return JSON.parse(await nextLine()).listeners as number;
      };
      const first = await nextLine();
      const { url, runtime } = JSON.parse(first);
      expect(runtime).toBe("deno");
      let r = await fetch(url + "/v1/vms");
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ vms: [] });
      r = await fetch(url + "/create", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kernel_path: "vmlinuz-test", resume: false }) });
      expect(r.status).toBe(200);
      const { port } = await r.json();
      r = await fetch(url + "/snapshot", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ cpu_snapshot_path: "d.json", memory_snapshot_path: "d.save", rpc_port: port, resume: true }),
      });
      expect(await r.json()).toBe("Snapshot Taken Successfully");
      r = await fetch(url + "/v1/vms");
      const vms = (await r.json()).vms;
      expect(vms.map((v: any) => [v.port, v.state])).toEqual([[port, "running"]]);
      r = await fetch(url + "/snapshot", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
      expect(r.status).toBe(400);
      expect((await r.json()).error.description).toMatch(/malformed JSON/);
      r = await fetch(url + "/v1/vms", { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(70_000) });
      expect(r.status).toBe(413);
      r = await fetch(url + "/v1/vms", { method: "PUT" });
      expect(r.status).toBe(405);
      r = await fetch(url + "/metrics");
      expect(await r.text()).toContain("virtscale_api_requests_total");
      // Server-sent events over Deno.serve: the first event is a tick.
      const ac = new AbortController();
      r = await fetch(url + "/v1/events", { signal: ac.signal });
      expect(r.headers.get("content-type")).toStartWith("text/event-stream");
      const reader = r.body!.getReader();
      let text = "";
      while (!text.includes("event: tick")) text += new TextDecoder().decode((await reader.read()).value);
      expect(await listeners()).toBe(1);
      ac.abort();
      expect(text).toMatch(/event: tick\ndata: \{"type":"tick"/);
      // The client went away: its subscription ends (the stream's cancel).
      let left = 1;
      for (let i = 0; i < 50 && left !== 0; i++) {
        await new Promise((res) => setTimeout(res, 50));
        left = await listeners();
      }
      expect(left).toBe(0);
    } finally {
      child.stdin.end();
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 15_000))]);
      if (code === "timeout") child.kill("SIGKILL");
    }
    expect(stderr).toBe("");
  }, 120_000);
});
