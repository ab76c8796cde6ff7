#!/usr/bin/env bun
// How long one dashboard frame takes with 1, 10, 100 and 1000 VMs (each with
// a full CPU history), side by side in one run: React render + Ink layout +
// output, measured around synchronous re-renders into an in-memory terminal
// of 120x40. Not a test (no speed assertions); run: bun tui/bench-render.tsx
import React from "react";
import { EventEmitter } from "node:events";
import { render } from "ink";
import { Store } from "../src/store.ts";
import { Dashboard } from "./Dashboard.tsx";

class FakeTerm extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = false;
  bytes = 0;
  write = (s: string) => {
    this.bytes += s.length;
    return true;
  };
}

function storeWith(n: number): Store {
  const store = new Store({ historyLength: 300 });
  store.setScaler({ policy: "threshold", paused: false, current: n, desired: n, min: 1, max: n, high: 80, low: 35, avgCpu: 50, windowRemainingS: null, warmPool: 0 });
  for (let s = 0; s < 300; s++)
    store.setVms(
      Array.from({ length: n }, (_, i) => ({
        name: `web-${String(i).padStart(4, "0")}`,
        state: "running",
        role: "serving" as const,
        vcpus: 1,
        memoryKiB: 262144,
        cpuPct: 50 + 45 * Math.sin(s / 9 + i),
        address: `127.0.0.1:${31000 + i}`,
        rps: i,
        inFlight: 1,
        p99Ms: 2,
      })),
    );
  return store;
}

const rows: string[] = [];
let base = 0;
for (const n of [1, 10, 100, 1000]) {
  const store = storeWith(n);
  const term = new FakeTerm();
  const inst = render(<Dashboard store={store} fps={1000} title="bench 0" />, { stdout: term as never, patchConsole: false, maxFps: 1000, debug: false });
  const frames = 60;
  const times: number[] = [];
  // Warm-up frames (JIT) are not counted.
  for (let i = 1; i <= 30; i++) inst.rerender(<Dashboard store={store} fps={1000} title={`warm ${i}`} />);
  for (let i = 1; i <= frames; i++) {
    const t0 = performance.now();
    inst.rerender(<Dashboard store={store} fps={1000} title={`bench ${i}`} />);
    times.push(performance.now() - t0);
  }
  inst.unmount();
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)]!;
  if (n === 1) base = med;
  rows.push(`| ${n} | ${med.toFixed(2)} ms | ${times[Math.floor(times.length * 0.9)]!.toFixed(2)} ms | ${(med / base).toFixed(1)}× |`);
}
console.log("| VMs | median frame | p90 frame | vs 1 VM |\n|---|---|---|---|\n" + rows.join("\n"));
