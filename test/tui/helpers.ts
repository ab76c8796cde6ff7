// Helpers for rendering the dashboard with ink-testing-library.
import type { VmView } from "../../src/events.ts";
import { Store } from "../../src/store.ts";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `pred` holds (frames arrive at the capped frame rate), or fail naming what was awaited. */
export async function until(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function vm(i: number, extra: Partial<VmView> = {}): VmView {
  return {
    name: `vst-tui-${String(i).padStart(4, "0")}`,
    state: "running",
    role: "serving",
    vcpus: 1,
    memoryKiB: 262144,
    cpuPct: (i * 7) % 100,
    address: `127.0.0.1:${35000 + i}`,
    rps: i,
    inFlight: 0,
    p99Ms: 1 + i / 10,
    ...extra,
  };
}

/** A store with `n` VMs and `samples` CPU samples each. */
export function storeWith(n: number, samples = 30): Store {
  const store = new Store();
  for (let s = 0; s < samples; s++) store.setVms(Array.from({ length: n }, (_, i) => vm(i + 1, { cpuPct: (i * 7 + s) % 100 })));
  return store;
}

/** Give ink-testing-library's stdout a size and tell Ink it changed. */
export function resize(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, "columns", { value: columns, configurable: true });
  Object.defineProperty(stdout, "rows", { value: rows, configurable: true });
  stdout.emit("resize");
}

/** The live area of the last frame (ink-testing-library frames start with everything <Static> printed). */
export function live(frame: string | undefined): string {
  const f = frame ?? "";
  const i = f.indexOf(" virtscale ");
  return i >= 0 ? f.slice(i) : f;
}

export const ANSI = /\x1b\[[0-9;]*m/g;
export const plain = (s: string) => s.replace(ANSI, "");

const COUNTERS = { requestsIn: 1200, forwarded: 1190, answered: 1180, timedOut: 3, inFlight: 2, dropped: { size: 1 }, p50Ms: 1.2, p90Ms: 2.5, p99Ms: 4.2, rpsIn: 120, rpsOut: 119 };

/** A store as `up` fills it: VMs, the scaler, the balancer (one backend per VM) and the load generator. */
export function fullStore(n = 3): Store {
  const store = storeWith(n);
  store.setScaler({ policy: "threshold", paused: false, current: n, desired: n, min: 1, max: 4, high: 80, low: 35, avgCpu: 47, windowRemainingS: null, warmPool: 0 });
  store.setLb({
    listen: "127.0.0.1:21001",
    policy: "round_robin",
    total: COUNTERS,
    backends: Array.from({ length: n }, (_, i) => ({ ...COUNTERS, id: vm(i + 1).name, address: vm(i + 1).address!, state: "active" as const })),
  });
  store.setLoad({ rate: "mid", perSecond: 120, sent: 1200, answered: 1180, wrong: 0, timedOut: 3, p50Ms: 1.3, p99Ms: 4.5 });
  return store;
}
