// `virtscale top` against a real `virtscale up` (test:///default, its own
// process, HTTP API on loopback with a token): the real HTTP client reads
// /v1/state and follows /v1/events into a mirror store, and the dashboard
// draws it (ink-testing-library) with no commands registered.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import React from "react";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { cleanup, render } from "ink-testing-library";
import { Dashboard } from "../../tui/Dashboard.tsx";
import { ApiClientError, fetchState, followEvents, SseParser, type ApiTarget } from "../../src/commands/top/client.ts";
import { MirrorStore } from "../../src/commands/top/mirror.ts";
import { live, plain, resize, sleep, until } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..", "..");
const TOKEN = "vst-top-test-token-0123456789";
const lbPort = 36100 + Math.floor(Math.random() * 400);
const apiPort = lbPort + 400;
const target: ApiTarget = { base: `http://127.0.0.1:${apiPort}`, token: TOKEN };
let up: ChildProcess | undefined;
let upOut = "";

async function waitForApi(ms = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      const s = await fetchState(target);
      if (s.tick.vms.length > 0) return;
    } catch (e) {
      if (Date.now() - t0 > ms) throw new Error(`virtscale up's API did not come up: ${(e as Error).message}\n${upOut}`);
    }
    if (Date.now() - t0 > ms) throw new Error(`no VM in virtscale up's state after ${ms} ms\n${upOut}`);
    await sleep(200);
  }
}

beforeAll(async () => {
  // stdout is a pipe: up runs headless (NDJSON), as it would under a service manager.
  up = spawn(process.execPath, ["src/main.ts", "up", "-c", "test:///default", "--listen", `127.0.0.1:${lbPort}`, "--api", `127.0.0.1:${apiPort}`, "--json"], {
    cwd: ROOT,
    env: { ...process.env, VIRTSCALE_API_TOKEN: TOKEN },
    stdio: ["pipe", "pipe", "pipe"],
  });
  up.stdout!.on("data", (d) => (upOut = (upOut + d).slice(-4000)));
  up.stderr!.on("data", (d) => (upOut = (upOut + d).slice(-4000)));
  await waitForApi();
}, 40_000);

afterAll(async () => {
  cleanup();
  if (up && up.exitCode === null) {
    up.kill("SIGTERM");
    await new Promise((r) => up!.once("exit", r));
  }
});

describe("virtscale top over the HTTP API of a real up", () => {
  test("/v1/state: the tick, CPU histories, the last events and the registered commands; the token is checked", async () => {
    const s = await fetchState(target);
    expect(s.tick.type).toBe("tick");
    const name = s.tick.vms[0]!.name;
    expect(name).toMatch(/^virtscale-\d{4}$/);
    expect(Array.isArray(s.history[name])).toBe(true);
    expect(s.commands).toEqual(expect.arrayContaining(["quit", "scale+1", "scale-1", "pause", "resume", "snapshot"]));
    expect(s.events.some((e) => e.type === "log" && String(e.message).startsWith("api: http://127.0.0.1:"))).toBe(true);
    expect(s.period_s).toBeGreaterThan(0);
    const without = await fetchState({ base: target.base }).catch((e: unknown) => e);
    expect(without).toBeInstanceOf(ApiClientError);
    expect((without as ApiClientError).status).toBe(401);
    expect((without as Error).message).toContain("missing Authorization: Bearer token (give the token `up` uses: --token or VIRTSCALE_API_TOKEN)");
    const wrong = await fetchState({ ...target, token: "x".repeat(20) }).catch((e: unknown) => e);
    expect((wrong as Error).message).toContain("wrong token");
  });

  test("the dashboard draws the mirrored run, with every command key greyed out", async () => {
    const state = await fetchState(target);
    const store = new MirrorStore();
    store.seed(state);
    const abort = new AbortController();
    const lost: string[] = [];
    const following = followEvents(target, {
      signal: abort.signal,
      onEvent: (ev) => (ev.type === "tick" ? store.applyTick(ev) : store.emit(ev)),
      onLost: (why) => {
        lost.push(why);
        store.log(`lost the event stream: ${why}`, "warn");
      },
      onBack: () => undefined,
      retryMs: 200,
    });
    const r = render(<Dashboard store={store} fps={50} title={`top ${target.base} (read-only)`} sampleSeconds={state.period_s} quitRemovesVms={false} />);
    resize(r.stdout, 120, 40);
    const frame = () => plain(live(r.lastFrame()));
    const name = state.tick.vms[0]!.name;
    await until(() => new RegExp(`${name}\\s+running\\s+starting`).test(frame()) && frame().includes("Autoscaler · threshold"), `the remote VM ${name} in the table, at 120x40`, 10_000);
    const f = frame();
    expect(f).toContain(`top ${target.base} (read-only)`);
    expect(f).toContain("Autoscaler · threshold"); // the remote's scaler view
    expect(f).toContain(`Balancer · 127.0.0.1:${lbPort}`);
    expect(f).toContain(`api: http://127.0.0.1:${apiPort}`); // its event log, from /v1/state
    // Watching only: no command is registered, the footer offers none, the keys say why.
    expect(store.listCommands()).toEqual([]);
    expect(f.split("\n").at(-1)).toBe(" ↑↓ select · P/M/T/N/R sort · / filter · ? help · q quit");
    r.stdin.write("+");
    await until(() => frame().includes("+: not available in this mode (scale out by one VM)"), "+ refused");
    r.stdin.write("?");
    await until(() => frame().includes("Keys ("), "help");
    expect(frame()).toMatch(/\+\s+scale out by one VM \[scale\+1\] \(not available in this mode\)/);
    expect(frame()).toMatch(/s\s+snapshot the selected VM, keep it running \[snapshot\] \(not available in this mode\)/);
    r.stdin.write("x");
    // Follows the stream: the remote's own ticks keep coming (CPU history grows), and its events arrive.
    const before = store.state.cpuHistory.get(name)?.length ?? 0;
    await until(() => (store.state.cpuHistory.get(name)?.length ?? 0) > before, "a new remote tick", 10_000);
    // The owner goes away: the watcher says so and keeps trying, it does not crash.
    up!.kill("SIGTERM");
    await new Promise((res) => up!.once("exit", res));
    await until(() => frame().includes("lost the event stream"), "the lost stream in the event log", 10_000);
    expect(lost.length).toBe(1); // said once per outage, not at every retry
    await sleep(600);
    expect(lost.length).toBe(1);
    abort.abort();
    await following;
  }, 30_000);
});

test("SSE parser: events split across chunks, comments skipped, multi-line data joined", () => {
  const p = new SseParser();
  expect(p.push(": virtscale events\nretry: 2000\n\nid: 1\nevent: tick\nda")).toEqual([]);
  expect(p.push('ta: {"type":"tick"}\n\nevent: log\ndata: a\ndata: b\n\n')).toEqual([
    { event: "tick", data: '{"type":"tick"}' },
    { event: "log", data: "a\nb" },
  ]);
});

test("mirror: the remote's VM events are not doubled by the local sample replay; histories are seeded", () => {
  const store = new MirrorStore();
  const vm = (name: string, cpuPct: number | null, state = "running") => ({ name, state, role: "serving" as const, vcpus: 1, memoryKiB: 1024, cpuPct });
  store.seed({
    tick: { type: "tick", ts: 3, vms: [vm("a", 30), vm("b", 20)] },
    history: { a: [10, 20, 30], b: [20] },
    events: [{ type: "log", ts: 1, level: "info", message: "hello" }],
    commands: ["quit"],
    busy: {},
    period_s: 1,
  });
  expect(store.state.cpuHistory.get("a")).toEqual([10, 20, 30]);
  expect(store.state.cpuHistory.get("b")).toEqual([20]);
  store.applyTick({ type: "tick", ts: 4, vms: [vm("a", 40, "paused")] });
  // The remote sends its own "vm" events for a's pause and b's removal; the mirror adds none of its own.
  expect(store.events().map((e) => e.type)).toEqual(["log"]);
  expect(store.state.vms.has("b")).toBe(false);
  expect(store.state.cpuHistory.get("a")).toEqual([10, 20, 30, 40]);
});
