// `virtscale load`: the assignment's client. Open-loop requests to a target
// (or round robin over a server list of its own), answers checked with the
// config's service check, a line per second; the rate and the server list
// change on stdin and through the assignment's FIFO (fifo_communication_file).
// low / mid / high follow the request cost measured for this host's newest
// guest image (cached beside it by `virtscale demo` or `up --load`), unless
// the config pins them.
import { hostname } from "node:os";
import { createInterface } from "node:readline";
import { hostPortArg, intArg, secondsArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { configNotes, type Config } from "../config.ts";
import { defaultImageDir, findImage, readImageCosts } from "../guest/image.ts";
import { runClientCommand } from "../load/client-commands.ts";
import { parseCost, type RequestCost } from "../load/cost.ts";
import { openFifo, type FifoReader } from "../load/fifo.ts";
import { LoadGenerator, type LoadViewExt, type Target } from "../load/generator.ts";
import { parseRate } from "../load/rate.ts";
import { configureLog, error as logError, info as logInfo, warn as logWarn } from "../output/log.ts";
import { DEFAULT_WORK_SCALE } from "../protocol.ts";
import { errorMessage } from "../errors.ts";

export const spec: CommandSpec = {
  name: "load",
  summary: "load generator (the assignment's client)",
  usage: `--target HOST:PORT [--rate low|mid|high|N/s] [options]

  --target HOST:PORT  where to send requests (default: config server_ip:server_port when server_ip is
                      set and not "none", else config listen, the balancer's front)
  --rate R            low | mid | high, off, or N/s (default config req_load, else low). low / mid / high: 30 / 50 / 120 % of
                      one VM, from the request cost cached with this host's newest guest image (measured
                      by virtscale demo or up --load); 1 / load_request_time_period_seconds_* when the
                      config sets it; else the assignment's 1, 10 and 50 requests a second
  --duration S        stop after S seconds (default: until SIGINT/SIGTERM or 'quit' on stdin)
  --scale K           work scale answers are checked at (default: config vm.work_scale, else the
                      guest server's default, ${DEFAULT_WORK_SCALE}; must match the servers' --scale)
  --sockets N         client sockets in the pool (default 4)
  --timeout-ms MS     a request unanswered this long is timed out (default: config lb.timeout_ms)

stdin lines, and lines written into the config's fifo_communication_file (a FIFO, made when missing and
removed at exit if made here), are the assignment's client commands: low, mid, high, off, N/s (also
'load mid'), custom S (one request every S s), + IP PORT / - IP PORT (add / remove a server: requests go
round robin over the list), clear_servers, refresh (the list = the group's running VMs, from libvirt);
'quit' on stdin stops. Answers are checked with the config's service.check (virtscale, pow2mod1021, or
any: taken unchecked and counted as unverified).
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
  const unverified = v.check === "any" ? ` unverified=${v.unverified}` : "";
  return `t=${v.elapsedS}s rate=${v.rate} sent=${v.sent} (${v.sentPerS}/s) answered=${v.answered} (${v.answeredPerS}/s)${unverified} wrong=${v.wrong} late=${v.late} timeout=${v.timedOut} inflight=${v.inFlight} p50=${ms(v.p50Ms)} p99=${ms(v.p99Ms)}`;
}

/** The default target: the assignment's server_ip:server_port when it names a server, else the balancer's front. */
export function defaultTarget(config: Config): string {
  const ip = config.server_ip;
  if (ip === undefined || ip.toLowerCase() === "none") return config.listen;
  return ip.includes(":") ? `[${ip}]:${config.server_port}` : `${ip}:${config.server_port}`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.values;
  configureLog(ctx.config);
  const target = hostPortArg("target", (v.target as string | undefined) ?? defaultTarget(ctx.config));
  const rate = (v.rate as string | undefined) ?? ctx.config.req_load ?? "low";
  try {
    parseRate(rate, ctx.config);
  } catch (e) {
    throw new UsageError(`load: --${errorMessage(e)}`);
  }
  const duration = secondsArg("duration", v.duration);
  const gen = new LoadGenerator({
    target,
    // stdin and the FIFO may add servers anywhere (+ IP PORT): the sockets bind the wildcard address.
    serverList: true,
    config: ctx.config,
    rate,
    scale: intArg("scale", v.scale, 0),
    sockets: intArg("sockets", v.sockets, 1),
    timeoutMs: intArg("timeout-ms", v["timeout-ms"], 1),
    cost: cachedCost(ctx.config),
  });
  const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + "\n");
  // --json: log lines are NDJSON on stdout; else log.ts lines on stderr (or logging_file), at logging_level.
  const say = (message: string, level: "info" | "warn" = "info") => {
    if (ctx.json) out({ type: "log", ts: Date.now(), level, message });
    else (level === "warn" ? logWarn : logInfo)(`load: ${message}`);
  };
  const fail = (source: string, message: string) => {
    if (ctx.json) out({ type: "error", ts: Date.now(), source, message });
    else logError(`load: ${source}: ${message}`);
  };
  for (const note of configNotes(ctx.config)) say(`config: ${note}`);
  const r = gen.currentRate;
  if (r.basis) say(`${r.label} = ${r.perSecond}/s: ${r.basis}`);
  if (gen.serviceCheck.name !== "virtscale") say(`answers checked as ${gen.serviceCheck.description}`);
  await gen.start();
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
  const commands = { gen, refresh: () => groupServers(ctx.uri, ctx.config) };
  // One command at a time, in the order read (a refresh that asks libvirt finishes before the next line).
  let queue = Promise.resolve();
  const command = (line: string, source: string) => {
    if (!line.trim()) return;
    queue = queue.then(() =>
      runClientCommand(line, commands).then(
        (msg) => say(source === "stdin" ? msg : `${source}: ${msg}`),
        (e) => fail(source, errorMessage(e)),
      ),
    );
  };
  const rl = createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    if (/^\s*quit\s*$/.test(line)) return stop();
    command(line, "stdin");
  });
  rl.on("error", () => {});
  let fifo: FifoReader | undefined;
  const fifoPath = ctx.config.fifo_communication_file;
  if (fifoPath !== undefined && fifoPath !== "/dev/stdin") {
    try {
      fifo = openFifo(fifoPath, (line) => command(line, "fifo"), { onError: (e) => fail("fifo", errorMessage(e)) });
      say(`reading commands from the FIFO ${fifoPath}${fifo.created ? " (made here, removed at exit)" : ""}`);
    } catch (e) {
      await gen.stop();
      rl.close();
      clearInterval(timer);
      throw e;
    }
  }

  await stopped;
  rl.close();
  fifo?.close();
  clearInterval(timer);
  await queue;
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

/**
 * `refresh`: the running VMs of the group and their service addresses, as
 * libvirt lists them: virtscale's own (its metadata: group and forward), and
 * the assignment's pre-made PREFIX-NNN domains without it (on a libvirt
 * network: the leased address on server_port), in name order.
 */
async function groupServers(uri: string, config: Config): Promise<Target[]> {
  const { VmManager } = await import("../vm/manager.ts");
  const { namePattern } = await import("../vm/ports.ts");
  const vms = new VmManager({ uri, config });
  try {
    const group = config.auto_scaler_domain_prefix;
    const byName = new Map<string, Target>();
    for (const vm of vms.listOwned()) if (vm.group === group && vm.state === "running" && vm.address.port > 0) byName.set(vm.name, vm.address);
    const pattern = namePattern(group, config.auto_scaler_vm_num_digits);
    for (const d of vms.conn.listAllDomains()) {
      try {
        const name = d.name();
        if (byName.has(name) || !pattern.test(name) || !d.isActive()) continue;
        const addr = vms.addressOf(name);
        if (addr && addr.port > 0) byName.set(name, addr);
      } finally {
        d.free();
      }
    }
    return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
  } finally {
    await vms.close();
  }
}
