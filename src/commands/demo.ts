// `virtscale demo`: the whole product on real VMs on this machine. Checks (and
// as root installs) libvirt and QEMU, starts libvirtd when no service manager
// does, builds the guest image, then runs the group with the built-in load
// generator stepping low -> high -> low so that a VM is added and removed.
// On a TTY the dashboard shows it and the cycle repeats until q / Ctrl-C;
// headless (--json or no TTY) it ends after one cycle with a summary line.
// Every VM it made is removed when it ends.
import { Connection } from "../../ffi/index.ts";
import { intArg, type CommandContext, type CommandSpec } from "../cli.ts";
import { measureRequestCpuMs, ratesFor } from "./demo/calibrate.ts";
import { DemoCycle } from "./demo/cycle.ts";
import { ensureHost } from "./setup/host.ts";
import * as up from "./up.ts";

export const spec: CommandSpec = {
  name: "demo",
  summary: "everything on real VMs on this machine, with load",
  usage: `[options]

  --max N            most VMs (default: 2 on a 2-core machine, else 3)
  --source S         warm (default: scale-out resumes a managed-saved VM) | template (cold boot)
  --cycles N         headless: low -> high -> low cycles before it ends (default 1)
  --no-install       only check the host; do not apt-get install or start libvirtd
  --listen HOST:PORT the balancer's front (default 127.0.0.1:21001)
  --api HOST:PORT    also serve the HTTP API`,
  options: {
    max: { type: "string" },
    source: { type: "string" },
    cycles: { type: "string" },
    "no-install": { type: "boolean" },
    listen: { type: "string" },
    api: { type: "string" },
  },
};

/** Load relative to what one VM can serve: high keeps one VM past 80 %, low lets two drop under 35 %. */
const HIGH_LOAD = 1.6;
const LOW_LOAD = 0.3;

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.values;
  const headless = ctx.json || !process.stdout.isTTY;
  const log = (s: string) => process.stderr.write(`virtscale demo: ${s}\n`);
  const cycles = intArg("cycles", v.cycles, 1) ?? 1;
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
  const upCtx: CommandContext = {
    ...ctx,
    values: {
      ...v,
      // No load until a VM serves: requests sent while the first VM boots would only be dropped (no_backend).
      load: "off",
      min: "1",
      max,
      source: (v.source as string | undefined) ?? "warm",
      policy: "threshold",
    },
  };
  const code = await up.run(upCtx, {
    title: `virtscale demo ${ctx.uri}`,
    onStarted: (run, store, config) => {
      const scale = config.vm.work_scale;
      let rates = { high: 0, low: 0 };
      const setRate = (which: "low" | "high") => run.load?.setRate(`${rates[which]}/s`);
      const waitServing = async () => {
        while ((store.state.scaler?.current ?? 0) < 1) await new Promise((r) => setTimeout(r, 250));
      };
      (async () => {
        store.log("demo: waiting for the first VM to serve");
        await waitServing();
        const n = Math.round((config.req_num_low + config.req_num_high) / 2);
        const vm = [...store.state.vms.values()].find((x) => x.role === "serving");
        if (!vm) throw new Error("no serving VM to calibrate on");
        let cpuMs: number;
        {
          using conn = Connection.open(ctx.uri, { readOnly: true });
          using dom = conn.lookupByName(vm.name);
          cpuMs = await measureRequestCpuMs(run.front, n, scale, () => dom.info().cpuTimeNs);
        }
        rates = ratesFor(cpuMs, { high: HIGH_LOAD, low: LOW_LOAD });
        store.log(`demo: one request of n=${n} costs ${cpuMs.toFixed(1)} ms of CPU on ${vm.name} -> low ${rates.low}/s, high ${rates.high}/s`);
        const first = cycle.begin(Date.now());
        if (first.rate) setRate(first.rate);
        if (first.log) store.log(`demo: ${first.log}`);
        const timer = setInterval(() => {
          const step = cycle.step(store.state.scaler, Date.now());
          if (step.rate) setRate(step.rate);
          if (step.log) store.log(`demo: ${step.log}`);
          if (step.done) {
            cyclesDone++;
            if (cyclesDone < cycles) {
              const again = cycle.begin(Date.now());
              if (again.rate) setRate(again.rate);
            } else {
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
  const line = { type: "demo", ts: Date.now(), scaledOut: o.scaledOut, scaledIn: o.scaledIn, cycles: o.cycles, problems: o.timeouts };
  if (headless) process.stdout.write(JSON.stringify(line) + "\n");
  log(`scaled out: ${o.scaledOut ? "yes" : "no"}, scaled in: ${o.scaledIn ? "yes" : "no"}${o.timeouts.length ? ` (${o.timeouts.join("; ")})` : ""}`);
  if (code !== 0) return code;
  return o.scaledOut && o.scaledIn ? 0 : 1;
}
