// `virtscale lb`: the balancer alone, with static backends (no libvirt).
import { hostPortArg, intArg, secondsArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { LbSchema } from "../config.ts";
import { Balancer, type LbViewExt } from "../lb/balancer.ts";
import { serviceCheckOf } from "../protocol/service.ts";
import { errorMessage } from "../errors.ts";

export const spec: CommandSpec = {
  name: "lb",
  summary: "balancer only, static backends",
  usage: `--backend HOST:PORT [--backend HOST:PORT ...] [options]

  --listen HOST:PORT    front address (default: config listen, 127.0.0.1:21001; port 0 = any)
  --backend HOST:PORT   a backend (repeatable); its id is its address
  --policy P            round_robin | least_outstanding | p2c (default: config lb.policy)
  --timeout-ms MS       request timeout (default: config lb.timeout_ms)
  --max-in-flight N     requests a backend may owe at once, beyond: dropped as backend_full
                        (default: config lb.max_in_flight_per_backend, 32; 0 = no cap)
  --engine E            UDP engine (config lb.engine): auto (default) | batch (libc recvmmsg/
                        sendmmsg through FFI, Linux) | bun (Bun.udpSocket) | node (node:dgram);
                        auto = batch where libc loads, else bun on Bun, else node
  --front-engine E      the front socket only (config lb.front_engine): batch | node (4 MiB
                        receive buffer for bursts) | bun (kernel-default buffer: bursts past
                        ~256 datagrams are dropped by the kernel and counted)

Probes of unhealthy backends check the answer at config vm.work_scale when the
config sets it; otherwise any 8-byte answer brings a backend back.
  --duration S          stop after S seconds (default: run until SIGINT/SIGTERM)

Prints a status line per second on stderr, or with --json one NDJSON tick per
second on stdout ({"type":"tick","lb":{...}}) and a final {"type":"summary"}.`,
  options: {
    listen: { type: "string" },
    backend: { type: "string", multiple: true },
    policy: { type: "string" },
    "timeout-ms": { type: "string" },
    "max-in-flight": { type: "string" },
    engine: { type: "string" },
    "front-engine": { type: "string" },
    duration: { type: "string" },
  },
};

/** Like hostPortArg, but port 0 (any free port) is allowed for the front. */
export function listenArg(s: string): { host: string; port: number } {
  const m = /^(.+):0$/.exec(s);
  if (m) return { ...hostPortArg("listen", `${m[1]}:1`), port: 0 };
  return hostPortArg("listen", s);
}

/** The flag that set a config lb key, for error messages; keys only the config sets keep their config name. */
function flagOf(key: string): string {
  const flags: Record<string, string> = { policy: "--policy", timeout_ms: "--timeout-ms", max_in_flight_per_backend: "--max-in-flight", engine: "--engine", front_engine: "--front-engine" };
  return flags[key] ?? `config lb.${key}`;
}

function line(v: LbViewExt): string {
  const t = v.total;
  const ms = (x: number | null) => (x === null ? "-" : `${x}ms`);
  const drops = Object.entries(t.dropped).map(([k, n]) => `${k}=${n}`).join(",") || "0";
  const bs = v.backends.map((b) => `${b.id}:${b.state}:${b.rpsOut}/s:${b.inFlight}`).join(" ");
  return `lb ${v.listen} in ${t.rpsIn}/s out ${t.rpsOut}/s inflight ${t.inFlight} p50 ${ms(t.p50Ms)} p99 ${ms(t.p99Ms)} timeouts ${t.timedOut} dropped ${drops} | ${bs}`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const v = ctx.values as Record<string, string | string[] | undefined>;
  const backends = ((v.backend as string[] | undefined) ?? []).map((s) => hostPortArg("backend", s));
  if (backends.length === 0) throw new UsageError("lb: at least one --backend HOST:PORT is needed");
  const listen = listenArg((v.listen as string | undefined) ?? ctx.config.listen);
  const lbRaw: Record<string, unknown> = { ...ctx.config.lb };
  if (v.policy !== undefined) lbRaw.policy = v.policy;
  const timeoutMs = intArg("timeout-ms", v["timeout-ms"], 1);
  const maxInFlight = intArg("max-in-flight", v["max-in-flight"], 0);
  if (timeoutMs !== undefined) lbRaw.timeout_ms = timeoutMs;
  if (maxInFlight !== undefined) lbRaw.max_in_flight_per_backend = maxInFlight;
  if (v["front-engine"] !== undefined) lbRaw.front_engine = v["front-engine"];
  if (v.engine !== undefined) lbRaw.engine = v.engine;
  const parsed = LbSchema.safeParse(lbRaw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${flagOf(i.path.join("."))}: ${i.message}`).join("; "));
  const duration = secondsArg("duration", v.duration);

  let lb: Balancer;
  try {
    lb = new Balancer({ listen, config: parsed.data, workScale: ctx.config.vm.work_scale, check: serviceCheckOf(ctx.config) });
  } catch (e) {
    throw new UsageError(`lb: ${errorMessage(e)}`);
  }
  const addr = await lb.start();
  backends.forEach((b) => lb.addBackend(`${b.host}:${b.port}`, b));
  const where = `${addr.host}:${addr.port}`;
  const hello = `lb: listening on ${where} policy=${parsed.data.policy} engine=${lb.engine} front=${lb.frontEngine} backends=${backends.length}`;
  if (ctx.json) process.stdout.write(JSON.stringify({ type: "log", ts: Date.now(), level: "info", message: hello, listen: where }) + "\n");
  else process.stderr.write(`virtscale ${hello}\n`);

  const timer = setInterval(() => {
    const view = lb.view();
    if (ctx.json) process.stdout.write(JSON.stringify({ type: "tick", ts: Date.now(), vms: [], lb: view }) + "\n");
    else process.stderr.write(line(view) + "\n");
  }, 1000);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (duration !== undefined) setTimeout(stop, duration * 1000);
  });
  clearInterval(timer);
  const final = lb.view();
  await lb.close();
  if (ctx.json) process.stdout.write(JSON.stringify({ type: "summary", ts: Date.now(), lb: final }) + "\n");
  else process.stderr.write(`final: ${line(final)}\n`);
  return 0;
}
