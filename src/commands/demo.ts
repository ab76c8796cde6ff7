// `virtscale demo`: the whole product on real VMs on this machine. Checks (and
// as root installs) libvirt and QEMU, starts libvirtd when no service manager
// does, builds the guest image, then runs the group with the built-in load
// generator stepping low -> high -> low so that a VM is added and removed.
// low and high are the load levels of every run (30 % and 120 % of one VM,
// src/load/cost.ts), from the request cost measured once per image and host
// on an idle group (up.ts hands it to the generator). On a TTY the dashboard
// shows it and the cycle repeats until q / Ctrl-C; headless (--json or no
// TTY) it ends after one cycle with a summary: per phase, what was sent and
// how it was answered; it exits non-zero when an answer was wrong or too few
// came in time. Every VM it made is removed when it ends.
import { Connection } from "../../ffi/index.ts";
import { intArg, type CommandContext, type CommandSpec } from "../cli.ts";
import { ConfigSchema } from "../config.ts";
import type { LoadPhaseView } from "../events.ts";
import { groupBusy } from "../load/calibrate.ts";
import { meanRequestMs, type RequestCost } from "../load/cost.ts";
import type { LoadGenerator, LoadViewExt } from "../load/generator.ts";
import { parseRate } from "../load/rate.ts";
import { DemoCycle } from "./demo/cycle.ts";
import { verdict } from "./demo/verdict.ts";
import { ensureHost } from "./setup/host.ts";
import * as up from "./up.ts";

export const spec: CommandSpec = {
  name: "demo",
  summary: "everything on real VMs on this machine, with load",
  usage: `[options]

  --max N            most VMs (default: 2 on a 2-core machine, else 3)
  --source S         warm (default: scale-out resumes a managed-saved VM) | template (cold boot)
  --policy P         threshold (default: the assignment's 80 % / 35 % CPU for 5 s) | concurrency
                     (requests in flight per VM as the balancer sees them, KPA panic window)
  --cycles N         headless: low -> high -> low cycles before it ends (default 1)
  --recalibrate      measure one request's cost again (else the one cached with the image for this host)
  --min-in-time PCT  headless: exit 1 when fewer than PCT % of the requests were answered in time (default 95)
  --no-install       only check the host; do not apt-get install or start libvirtd
  --listen HOST:PORT the balancer's front (default 127.0.0.1:21001)
  --api HOST:PORT    also serve the HTTP API

Headless it exits 1 when an answer was wrong, fewer than --min-in-time % were
answered within lb.timeout_ms, or the group did not scale out and back in;
the last line ({"type":"demo"}) lists the figures per phase and the problems.`,
  options: {
    max: { type: "string" },
    source: { type: "string" },
    policy: { type: "string" },
    cycles: { type: "string" },
    recalibrate: { type: "boolean" },
    "min-in-time": { type: "string" },
    "no-install": { type: "boolean" },
    listen: { type: "string" },
    api: { type: "string" },
  },
};

const DEFAULT_PREFIX = ConfigSchema.parse({}).auto_scaler_domain_prefix;
const DEMO_PREFIX = "virtscale-demo";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.values;
  const headless = ctx.json || !process.stdout.isTTY;
  const log = (s: string) => process.stderr.write(`virtscale demo: ${s}\n`);
  const cycles = intArg("cycles", v.cycles, 1) ?? 1;
  const minInTime = intArg("min-in-time", v["min-in-time"], 0, 100) ?? 95;
  const { availableParallelism } = await import("node:os");
  const max = v.max !== undefined ? String(v.max) : String(availableParallelism() <= 2 ? 2 : 3);

  await ensureHost({
    uri: ctx.uri,
    install: !v["no-install"],
    progress: log,
    answers: () => {
      try {
        Connection.open(ctx.uri).close();
        return true;
      } catch {
        return false;
      }
    },
  });

  const cycle = new DemoCycle({ lowHoldS: 15, highHoldS: 20, cooldownHoldS: 10, phaseTimeoutS: 300, repeat: !headless });
  let cyclesDone = 0;
  let finalLoad: LoadViewExt | undefined;
  let cost: RequestCost | undefined;
  const rates = { low: 0, high: 0 };
  const setupProblems: string[] = [];
  // Its own VM names (virtscale-demo-NNNN) unless the config names a group: the demo never adopts, nor removes, the VMs of a `virtscale up` group.
  const prefix = ctx.config.auto_scaler_domain_prefix === DEFAULT_PREFIX ? DEMO_PREFIX : ctx.config.auto_scaler_domain_prefix;
  const upCtx: CommandContext = {
    ...ctx,
    config: { ...ctx.config, auto_scaler_domain_prefix: prefix },
    values: {
      ...v,
      // No load until the request cost is known: it is measured on an idle VM (up.ts, src/load/calibrate.ts).
      load: "off",
      min: "1",
      max,
      source: (v.source as string | undefined) ?? "warm",
      policy: (v.policy as string | undefined) ?? "threshold",
    },
  };
  const code = await up.run(upCtx, {
    title: `virtscale demo ${ctx.uri}`,
    onStarted: (run, store, config) => {
      const gen = run.load as LoadGenerator | undefined;
      store.subscribe((e) => {
        if (e.type === "summary" && e.load) finalLoad = e.load as LoadViewExt;
      });
      const warmWanted = config.scaler.source === "warm" ? config.scaler.warm_pool : 0;
      (async () => {
        if (!gen) throw new Error("demo: the run has no load generator");
        store.log("demo: waiting for the first VM to serve and one request's cost");
        cost = await gen.whenCost();
        if (!cost) {
          setupProblems.push("one request's cost could not be measured (see the calibration error)");
          throw new Error("demo: no request cost, so no load level means anything here");
        }
        // Start the cycle from a settled group: the warm-pool VM booted and saved (its boot would compete with the load).
        for (let t = 0; groupBusy(store, warmWanted) && t < 1200; t++) await sleep(250);
        const capacityPerS = gen.view().vmCapacityPerS ?? undefined;
        rates.low = parseRate("low", config, { capacityPerS }).perSecond;
        rates.high = parseRate("high", config, { capacityPerS }).perSecond;
        const ms = meanRequestMs(cost, { nLow: config.req_num_low, nHigh: config.req_num_high, scale: config.vm.work_scale });
        store.log(`demo: a request costs ${ms.toFixed(1)} ms of guest CPU (${cost.source}) -> low ${rates.low}/s, high ${rates.high}/s`);
        const apply = (step: { rate?: "low" | "high"; phase?: string }) => {
          if (step.rate) gen.setRate(step.rate, step.phase);
        };
        const first = cycle.begin(Date.now());
        apply(first);
        if (first.log) store.log(`demo: ${first.log}`);
        const timer = setInterval(() => {
          const step = cycle.step(store.state.scaler, Date.now());
          apply(step);
          if (step.log) store.log(`demo: ${step.log}`);
          if (step.done) {
            cyclesDone++;
            if (cyclesDone < cycles) apply(cycle.begin(Date.now()));
            else {
              clearInterval(timer);
              void store.run("quit");
            }
          }
        }, 500);
      })().catch((e) => {
        store.error("demo", e);
        void store.run("quit");
      });
    },
  });
  const o = cycle.outcome;
  const ver = verdict(finalLoad, minInTime);
  const problems = [...setupProblems, ...o.timeouts, ...ver.problems];
  if (!o.scaledOut && !o.timeouts.some((t) => t.includes("scale-out"))) problems.push("the group did not scale out");
  else if (o.scaledOut && !o.scaledIn && !o.timeouts.some((t) => t.includes("scale-in"))) problems.push("the group did not scale back in");
  const line = {
    type: "demo",
    ts: Date.now(),
    scaledOut: o.scaledOut,
    scaledIn: o.scaledIn,
    cycles: o.cycles,
    // The config's service check, which up hands to readiness, the balancer's probes and the load generator.
    check: ctx.config.service.check,
    requestCost: cost
      ? { host: cost.host, source: cost.source, measuredAt: cost.measuredAt, overheadMs: cost.overheadMs, nsPerStep: cost.nsPerStep, spread: cost.spread, vmCapacityPerS: finalLoad?.vmCapacityPerS ?? null }
      : null,
    rates,
    minInTimePct: minInTime,
    total: ver.total,
    phases: ver.phases,
    problems,
  };
  if (headless) process.stdout.write(JSON.stringify(line) + "\n");
  for (const p of ver.phases) log(phaseLine(p));
  const t = ver.total;
  log(`total: sent ${t.sent}, in time ${t.answered} (${t.inTimePct ?? "-"} %), late ${t.late}, timed out ${t.timedOut}, wrong ${t.wrong}`);
  log(`scaled out: ${o.scaledOut ? "yes" : "no"}, scaled in: ${o.scaledIn ? "yes" : "no"}${problems.length ? `; problems: ${problems.join("; ")}` : ""}`);
  if (code !== 0) return code;
  return o.scaledOut && o.scaledIn && problems.length === 0 ? 0 : 1;
}

function phaseLine(p: LoadPhaseView): string {
  const ms = (x: number | null) => (x === null ? "-" : `${x} ms`);
  return `phase ${p.phase} (${p.perSecond}/s, ${p.durationS} s): sent ${p.sent}, in time ${p.answered} (${p.inTimePct ?? "-"} %), late ${p.late}, timed out ${p.timedOut}, wrong ${p.wrong}, p50 ${ms(p.p50Ms)}, p99 ${ms(p.p99Ms)}`;
}
