// `virtscale load`: the assignment's client. Open-loop requests to a target,
// answers checked, a line per second; the rate can be changed on stdin.
// low / mid / high follow the request cost measured for this host's newest
// guest image (cached beside it by `virtscale demo` or `up --load`), unless
// the config pins them.
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { hostPortArg, intArg, secondsArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import type { Config } from "../config.ts";
import { defaultImageDir, findImage, readImageCosts } from "../guest/image.ts";
import { parseCost, type RequestCost } from "../load/cost.ts";
import { LoadGenerator, type LoadViewExt } from "../load/generator.ts";
import { parseRate } from "../load/rate.ts";
import { DEFAULT_WORK_SCALE } from "../protocol.ts";
import { errorMessage } from "../errors.ts";

export const spec: CommandSpec = {
  name: "load",
  summary: "load generator (the assignment's client)",
  usage: `--target HOST:PORT [--rate low|mid|high|N/s] [options]

  --target HOST:PORT  where to send requests (default: config listen)
  --rate R            low | mid | high, off, or N/s (default low). low / mid / high: 30 / 50 / 120 % of
                      one VM, from the request cost cached with this host's newest guest image (measured
                      by virtscale demo or up --load); 1 / load_request_time_period_seconds_* when the
                      config sets it; else the assignment's 1, 10 and 50 requests a second
  --duration S        stop after S seconds (default: until SIGINT/SIGTERM or 'quit' on stdin)
  --scale K           work scale answers are checked at (default: config vm.work_scale, else the
                      guest server's default, ${DEFAULT_WORK_SCALE}; must match the servers' --scale)
  --sockets N         client sockets in the pool (default 4)
  --timeout-ms MS     a request unanswered this long is timed out (default: config lb.timeout_ms)

stdin lines change the rate while it runs: low, mid, high, off, N/s (also 'load mid'); 'quit' stops.
Prints a line per second on stdout, or with --json one NDJSON line per second
({"type":"tick","load":{...}}) and a final {"type":"summary","load":{...}}.
Exit status 1 when any answer was wrong.`,
  options: {
    target: { type: "string" },
    rate: { type: "string" },
    duration: { type: "string" },
    scale: { type: "string" },
    sockets: { type: "string" },
    "timeout-ms": { type: "string" },
  },
};

function human(v: LoadViewExt): string {
  const ms = (x: number | null) => (x === null ? "-" : `${x}ms`);
  return `t=${v.elapsedS}s rate=${v.rate} sent=${v.sent} (${v.sentPerS}/s) answered=${v.answered} (${v.answeredPerS}/s) wrong=${v.wrong} late=${v.late} timeout=${v.timedOut} inflight=${v.inFlight} p50=${ms(v.p50Ms)} p99=${ms(v.p99Ms)}`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.values;
  const target = hostPortArg("target", (v.target as string | undefined) ?? ctx.config.listen);
  const rate = (v.rate as string | undefined) ?? "low";
  try {
    parseRate(rate, ctx.config);
  } catch (e) {
    throw new UsageError(`load: --${errorMessage(e)}`);
  }
  const duration = secondsArg("duration", v.duration);
  const gen = new LoadGenerator({
    target,
    config: ctx.config,
    rate,
    scale: intArg("scale", v.scale, 0),
    sockets: intArg("sockets", v.sockets, 1),
    timeoutMs: intArg("timeout-ms", v["timeout-ms"], 1),
    cost: cachedCost(ctx.config),
  });
  const r = gen.currentRate;
  if (r.basis) process.stderr.write(`virtscale load: ${r.label} = ${r.perSecond}/s: ${r.basis}\n`);
  await gen.start();
  const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + "\n");
  const timer = setInterval(() => {
    const view = gen.view();
    if (ctx.json) out({ type: "tick", ts: Date.now(), vms: [], load: view });
    else process.stdout.write(human(view) + "\n");
  }, 1000);

  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (duration !== undefined) setTimeout(stop, duration * 1000);
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words[0] === "load") words.shift();
    const cmd = words[0];
    if (!cmd) return;
    if (cmd === "quit") return stop();
    try {
      gen.setRate(cmd);
      const msg = `load: rate ${gen.currentRate.label} (${gen.currentRate.perSecond}/s)`;
      if (ctx.json) out({ type: "log", ts: Date.now(), level: "info", message: msg });
      else process.stderr.write(msg + "\n");
    } catch (e) {
      const msg = errorMessage(e);
      if (ctx.json) out({ type: "error", ts: Date.now(), source: "stdin", message: msg });
      else process.stderr.write(`virtscale load: ${msg}\n`);
    }
  });
  rl.on("error", () => {});

  await stopped;
  rl.close();
  clearInterval(timer);
  const final = await gen.stop();
  if (ctx.json) out({ type: "summary", ts: Date.now(), load: final });
  else process.stdout.write(`summary: ${human(final)} p90=${final.p90Ms ?? "-"}ms\n`);
  return final.wrong > 0 ? 1 : 0;
}

/** The cost measured on this host for the newest guest image, if any (the newest measurement when there are several, KVM and TCG). */
function cachedCost(config: Config): RequestCost | undefined {
  const img = findImage(config.vm.image_dir ?? defaultImageDir());
  if (!img) return undefined;
  const mine = Object.entries(readImageCosts(img))
    .filter(([key]) => key.endsWith(`@${hostname()}`))
    .map(([, raw]) => parseCost(raw))
    .filter((c): c is RequestCost => c !== null)
    .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  return mine[0];
}
