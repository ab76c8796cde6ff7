// Measure what one request costs a server VM (cost.ts's model), once per
// image and host, and cache it with the image. Measured as the VM's own
// cpu.time (libvirt) over bursts of sequential requests sent straight to the
// VM, not as round-trip time: on a busy host the round trip is mostly waiting
// for a core. It only measures on an idle group (no VM booting or being saved
// into the warm pool, no load): the first demo measured 856 ms for a request
// that costs 180 ms while a pool VM booted beside it. The first requests of a
// fresh guest run slow (TCG translates, the guest's JIT tiers up), so it warms
// up first, then takes the median of several rounds.
import { readFileSync } from "node:fs";
import { createSocket } from "node:dgram";
import { Connection, DomainStatsTypes, domainStats } from "../../ffi/index.ts";
import { splitHostPort, type Config } from "../config.ts";
import { errorMessage } from "../errors.ts";
import { readImageCosts, writeImageCost, type GuestImage } from "../guest/image.ts";
import { decodeReply, encodeRequest } from "../protocol.ts";
import { serviceCheck, serviceCheckOf, type ServiceCheck } from "../protocol/service.ts";
import type { Store } from "../store.ts";
import { describeCost, median, parseCost, type RequestCost } from "./cost.ts";
import type { LoadGenerator } from "./generator.ts";

/**
 * Send `count` requests for n, `depth` at a time (answers checked); resolves
 * with the time to the last answer in ms. depth > 1 keeps the guest's queue
 * non-empty, so it does not idle between requests, as at full load. (Here the
 * measurement still errs high: 19-20 ms a request, where one VM at 100 % CPU
 * served 62/s, 16 ms each; so the levels come out a little below their share,
 * the safe side for high's scale-out margin, see cost.ts LEVELS.)
 * `check`: virtscale's work scale, or the config's service check (a server
 * of the user's own: its cost is fitted to the same model, linear in n; with
 * "any" every 8-byte answer counts).
 */
export async function sendBurst(target: { host: string; port: number }, n: number, check: number | ServiceCheck, count = 5, depth = 1, timeoutMs = 10_000): Promise<number> {
  const sock = createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, target.host.startsWith("127.") ? "127.0.0.1" : "0.0.0.0", r));
  const want = (typeof check === "number" ? serviceCheck("virtscale", check) : check).expected(n);
  const t0 = performance.now();
  const req = encodeRequest(n);
  try {
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      let answered = 0;
      let timer: ReturnType<typeof setTimeout>;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          sock.off("message", onMsg);
          reject(new Error(`no answer from ${target.host}:${target.port} within ${timeoutMs} ms (${answered} of ${count} answered)`));
        }, timeoutMs);
      };
      const sendOne = () => {
        sent++;
        sock.send(req, target.port, target.host);
      };
      const onMsg = (msg: Uint8Array) => {
        const v = decodeReply(msg);
        if (v === null) return;
        if (want !== null && v !== want) {
          clearTimeout(timer);
          sock.off("message", onMsg);
          reject(new Error(`calibration: wrong answer for n=${n}: ${v} != ${want}`));
          return;
        }
        answered++;
        if (answered >= count) {
          clearTimeout(timer);
          sock.off("message", onMsg);
          resolve();
          return;
        }
        arm();
        if (sent < count) sendOne();
      };
      sock.on("message", onMsg);
      arm();
      for (let i = 0; i < Math.min(depth, count); i++) sendOne();
    });
  } finally {
    sock.close();
  }
  return performance.now() - t0;
}

export interface MeasureOptions {
  /** Sends `count` sequential requests for n and resolves when all were answered (checked). */
  send: (n: number, count: number) => Promise<unknown>;
  /** The VM's cumulative CPU time (libvirt cpu.time). */
  cpuTimeNs: () => bigint;
  scale: number;
  /** LCG steps of the reference request (default 4 M: ~20 ms under TCG, long enough to dwarf the overhead). */
  refSteps?: number;
  /** Warm rounds whose median is taken (default 5; as many again when they spread more than 1.5x). */
  rounds?: number;
  /** Guest CPU a warm round should take at least (default 500 ms). */
  minRoundMs?: number;
  /** Why the measurement must wait now (a VM boots), null when the group is idle; a round it interrupts is sent again. */
  busy?: () => string | null;
  log?: (s: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Ends the measurement (the run stops). */
  signal?: AbortSignal;
}

export interface Measured {
  overheadMs: number;
  nsPerStep: number;
  samplesMs: number[];
  refSteps: number;
  spread: number;
}

/** The cost model's two terms, measured on one VM. */
export async function measureCost(o: MeasureOptions): Promise<Measured> {
  if (!(o.scale > 0)) throw new Error(`calibration: work scale ${o.scale}: a request does no work to measure (vm.work_scale must be >= 1)`);
  const refSteps = o.refSteps ?? 4_000_000;
  const nRef = Math.min(0xffffffff, Math.max(1, Math.ceil(refSteps / o.scale)));
  const steps = nRef * o.scale;
  const rounds = o.rounds ?? 5;
  const minRoundMs = o.minRoundMs ?? 500;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const perRequestMs = async (n: number, count: number): Promise<number | null> => {
    for (;;) {
      const why = o.busy?.();
      if (!why) break;
      o.log?.(`calibration waits: ${why}`);
      while (o.busy?.()) {
        if (o.signal?.aborted) throw new Error("calibration: the run ended while it measured");
        await sleep(500);
      }
    }
    const before = o.cpuTimeNs();
    await o.send(n, count);
    const ms = Number(o.cpuTimeNs() - before) / 1e6 / count;
    // Something started during the round: its figure is not the idle guest's.
    return o.busy?.() ? null : ms;
  };

  // Warm up until two requests in a row agree within 25 % (at least 3 measured, at most 15 sent).
  let prev = Infinity;
  let estimate = NaN;
  for (let sent = 0, valid = 0; sent < 15; sent++) {
    const ms = await perRequestMs(nRef, 1);
    if (ms === null) continue;
    valid++;
    if (valid >= 3 && Math.abs(ms - prev) <= 0.25 * Math.min(ms, prev)) {
      estimate = Math.min(ms, prev);
      break;
    }
    prev = ms;
    estimate = ms;
  }
  const count = Math.min(200, Math.max(2, Math.ceil(minRoundMs / Math.max(estimate, 0.1))));
  const samples: number[] = [];
  const take = async (k: number) => {
    for (let got = 0, tries = 0; got < k && tries < 4 * k; tries++) {
      const ms = await perRequestMs(nRef, count);
      if (ms !== null) {
        samples.push(ms);
        got++;
      }
    }
  };
  await take(rounds);
  const spreadOf = (xs: number[]) => (xs.length ? Math.max(...xs) / Math.max(1e-9, Math.min(...xs)) : Infinity);
  if (spreadOf(samples) > 1.5) {
    o.log?.(`calibration: warm rounds spread ${spreadOf(samples).toFixed(2)}x (${samples.map((x) => x.toFixed(1)).join(", ")} ms); measuring ${rounds} more`);
    await take(rounds);
  }
  if (!samples.length) throw new Error("calibration: the group never stayed idle for a whole round");
  // The overhead: requests that do (almost) no work, 100 per round, median of 3 rounds.
  const over: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ms = await perRequestMs(1, 100);
    if (ms !== null) over.push(ms);
  }
  const work = median(samples);
  const overheadMs = over.length ? Math.min(median(over), work) : 0;
  return {
    overheadMs: round(overheadMs, 4),
    nsPerStep: round(((work - overheadMs) * 1e6) / steps, 4),
    samplesMs: samples.map((x) => round(x, 3)),
    refSteps: steps,
    spread: round(spreadOf(samples), 3),
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Host CPU busy % between two /proc/stat readings (all cores, every process), null off Linux. */
function hostCpu(): { busy: number; total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Why the group is not idle for a measurement, from the store (null: idle). */
export function groupBusy(store: Store, warmPoolWanted: number, loadInFlight: () => number = () => 0): string | null {
  const vms = [...store.state.vms.values()];
  const starting = vms.find((v) => v.role === "starting");
  if (starting) return `${starting.name} is starting`;
  // A warm-pool VM is shut off (managed-saved) once in the pool: running or paused, it is still booting or being saved.
  const filling = vms.find((v) => v.role === "warm" && v.state !== "shutoff");
  if (filling) return `${filling.name} boots into the warm pool`;
  const s = store.state.scaler;
  if (s && s.warmPool < warmPoolWanted) return `the warm pool fills (${s.warmPool} of ${warmPoolWanted})`;
  if (vms.some((v) => v.role === "draining")) return "a VM is draining";
  const inFlight = loadInFlight();
  if (inFlight > 0) return `${inFlight} load request(s) in flight`;
  return null;
}

/** `kvm@HOST` or `tcg@HOST` for a running domain: whose cost a measurement is. */
export function hostKey(hostname: string, domainXml: string): string {
  const type = /<domain\b[^>]*\btype=['"]([a-z]+)['"]/.exec(domainXml)?.[1] ?? "unknown";
  return `${type === "qemu" ? "tcg" : type}@${hostname}`;
}

export interface ResolveCostOptions {
  store: Store;
  uri: string;
  config: Config;
  /** The group's image (the cache lives beside it); without one the cost is measured and not kept. */
  image: GuestImage | null;
  /** Measure again even when the image has a cost for this host. */
  remeasure?: boolean;
  /** Only read the cache: null when the image has no cost for this host (a run whose load runs at an explicit rate never idles). */
  cacheOnly?: boolean;
  /** In-flight load requests (the measurement waits for none). */
  loadInFlight?: () => number;
  /** Give up waiting for an idle group after this long (default 300 s): a cost measured beside a boot or under load means nothing. */
  idleWaitS?: number;
  signal?: AbortSignal;
}

/** The request cost for this group's image on this host: cached, else measured on the first serving VM once the group is idle. */
export async function resolveRequestCost(o: ResolveCostOptions & { cacheOnly: true }): Promise<RequestCost | null>;
export async function resolveRequestCost(o: ResolveCostOptions): Promise<RequestCost>;
export async function resolveRequestCost(o: ResolveCostOptions): Promise<RequestCost | null> {
  const { store } = o;
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const stopped = () => o.signal?.aborted === true;
  let vm = [...store.state.vms.values()].find((v) => v.role === "serving" && v.address);
  while (!vm) {
    if (stopped()) throw new Error("calibration: the run ended before a VM served");
    await sleep(250);
    vm = [...store.state.vms.values()].find((v) => v.role === "serving" && v.address);
  }
  using conn = Connection.open(o.uri, { readOnly: true });
  using dom = conn.lookupByName(vm.name);
  const host = hostKey(conn.hostname(), dom.xmlDesc());
  if (o.image && !o.remeasure) {
    const cached = parseCost(readImageCosts(o.image)[host]);
    if (cached) return { ...cached, source: "cached" };
  }
  if (o.cacheOnly) return null;
  const warmWanted = o.config.scaler.source === "warm" ? o.config.scaler.warm_pool : 0;
  const busy = () => groupBusy(store, warmWanted, o.loadInFlight);
  const waitS = o.idleWaitS ?? 300;
  const waitUntil = Date.now() + waitS * 1000;
  if (busy()) store.log(`calibration: waiting for an idle group (${busy()})`);
  while (busy()) {
    if (stopped()) throw new Error("calibration: the run ended before the group was idle");
    if (Date.now() > waitUntil)
      throw new Error(`calibration: the group was not idle within ${waitS} s (${busy()}), so one request's cost was not measured (a run with load off measures it: virtscale demo)`);
    await sleep(250);
  }
  const target = splitHostPort(vm.address!);
  const scale = o.config.vm.work_scale;
  const meanSteps = ((o.config.req_num_low + o.config.req_num_high) / 2) * scale;
  store.log(`calibration: measuring one request's cost on ${vm.name} (${host})`);
  const cpu0 = hostCpu();
  const m = await measureCost({
    // 4 in flight: the guest serves them one after another without idling in between (full-load cost).
    send: (n, count) => sendBurst(target, n, serviceCheckOf(o.config), count, Math.min(4, count)),
    // The bulk stats' cpu.time (the cgroup's, in ns), what the scaler's CPU % is made of; virDomainGetInfo's
    // counts in 10 ms ticks (a 300 ms round read 270..330) and is only the fallback.
    cpuTimeNs: () => domainStats(conn.domainListGetStats([dom], DomainStatsTypes.CPU_TOTAL)[0]!).cpu?.time ?? dom.info().cpuTimeNs,
    scale,
    refSteps: Math.max(meanSteps, 2_000_000),
    busy,
    log: (s) => store.log(s),
    signal: o.signal,
  });
  const cpu1 = hostCpu();
  const hostBusyPct = cpu0 && cpu1 && cpu1.total > cpu0.total ? round(((cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total)) * 100, 1) : undefined;
  const cost: RequestCost = { ...m, host, imageId: o.image?.id, measuredAt: new Date().toISOString(), hostBusyPct };
  if (o.image) {
    try {
      writeImageCost(o.image, host, cost);
    } catch (e) {
      store.log(`calibration: cannot cache the cost beside the image: ${errorMessage(e)}`, "warn");
    }
  }
  return { ...cost, source: "measured" };
}

/**
 * Resolve the cost for a run's load generator and hand it over (its named
 * levels wait for it); logs what the levels mean now. A failure is reported
 * and the levels fall back (rate.ts), the run goes on.
 */
export async function attachRequestCost(gen: LoadGenerator, o: ResolveCostOptions): Promise<RequestCost | undefined> {
  try {
    // Load at an explicit rate (up --load 200/s) never lets the group idle: then only a cached cost is used.
    const r0 = gen.currentRate;
    const explicit = !r0.pending && r0.basis === undefined && r0.perSecond > 0;
    const cost = await resolveRequestCost({ ...o, cacheOnly: explicit && !o.remeasure, loadInFlight: () => gen.view().inFlight });
    if (!cost) {
      gen.setCost(null);
      return undefined;
    }
    gen.setCost(cost);
    const r = { nLow: o.config.req_num_low, nHigh: o.config.req_num_high, scale: o.config.vm.work_scale };
    const why = cost.source === "cached" ? `cached with image ${cost.imageId ?? "?"}, measured ${cost.measuredAt}` : `measured now, warm rounds spread ${cost.spread}x${cost.hostBusyPct !== undefined ? `, host ${cost.hostBusyPct} % busy` : ""}`;
    o.store.log(`request cost (${cost.host}): ${describeCost(cost, r)} (${why})`);
    return cost;
  } catch (e) {
    if (o.signal?.aborted) return undefined;
    o.store.error("calibration", e);
    gen.setCost(null);
    o.store.log(`load: one VM's capacity is unknown; named levels use ${gen.currentRate.basis ?? "their fallback"}`, "warn");
    return undefined;
  }
}
