// `virtscale serve`: the guest server (also runs on the host, for tests and lb-only setups).
import { intArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { readyLine, SERVE_FUNCTIONS, startServer, warmUp, type ServeFunction } from "../guest/serve.ts";
import { DEFAULT_WORK_SCALE } from "../protocol.ts";

export const spec: CommandSpec = {
  name: "serve",
  summary: "the guest server (UDP, 4-byte request, 8-byte answer)",
  usage: `[--port N] [--host ADDR] [--scale N] [--function F] [--report S]

  -p, --port N  UDP port (default: config server_port, 21001)
  --host ADDR   bind address (default 0.0.0.0)
  --scale N     work-function iterations per unit of n (default: config vm.work_scale, ${DEFAULT_WORK_SCALE})
  --function F  what the answer to n is: virtscale (default; n * scale steps of virtscale's work function)
                or pow2mod1021 (2**n mod 1021 as the assignment's server.py: a server that is not virtscale's,
                for service.check tests; the guest image takes it from the kernel command line, virtscale.function=F)
  --report S    print counters every S seconds when they changed (default 10; 0 = only on SIGUSR1)
  --warmup MS   before serving, run the work function until the JIT has compiled it, at most MS ms
                (default 0; the guest image uses 3000: cold answers under TCG are ~5x slower)

Counters are printed on SIGUSR1 too. Prints "virtscale-serve: ready udp/PORT scale=N" (or "function=F") once serving.`,
  options: {
    port: { type: "string", short: "p" },
    host: { type: "string" },
    scale: { type: "string" },
    function: { type: "string" },
    report: { type: "string" },
    warmup: { type: "string" },
  },
};

function functionArg(v: unknown): ServeFunction {
  if (v === undefined) return "virtscale";
  const hit = SERVE_FUNCTIONS.find((f) => f === v);
  if (!hit) throw new UsageError(`--function must be one of ${SERVE_FUNCTIONS.join(", ")}, got '${String(v)}'`);
  return hit;
}

export async function run(ctx: CommandContext): Promise<number> {
  const port = intArg("port", ctx.values.port, 0, 65535) ?? ctx.config.server_port;
  const scale = intArg("scale", ctx.values.scale, 0, 1_000_000) ?? ctx.config.vm.work_scale;
  const reportS = intArg("report", ctx.values.report, 0, 86400) ?? 10;
  const host = (ctx.values.host as string | undefined) ?? "0.0.0.0";
  const warmupMs = intArg("warmup", ctx.values.warmup, 0, 600_000) ?? 0;
  const fn = functionArg(ctx.values.function);
  // Only virtscale's work function has a JIT worth warming (pow2mod1021 is a few dozen multiplications).
  const warm = warmUp(scale, fn === "virtscale" ? warmupMs : 0);
  const server = await startServer({ port, host, scale, function: fn });
  const print = (line: string) => {
    if (ctx.json) process.stdout.write(JSON.stringify({ type: "serve", ts: Date.now(), line, ...server.counters() }) + "\n");
    else process.stdout.write(line + "\n");
  };
  // Handlers first: whoever reads the ready line may signal at once (SIGUSR1's default is to exit).
  process.on("SIGUSR1", () => print(server.report()));
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.once("SIGINT", () => stop());
  process.once("SIGTERM", () => stop());
  if (warm.chunks) print(`virtscale-serve: warmed up in ${warm.ms} ms (${warm.chunks} chunks)`);
  print(readyLine(server));
  let last = "";
  const timer =
    reportS > 0
      ? setInterval(() => {
          const c = server.counters();
          const key = `${c.received}/${c.answered}/${c.malformed}/${c.queueFull}`;
          if (key !== last) print(server.report());
          last = key;
        }, reportS * 1000)
      : undefined;
  await stopped;
  if (timer) clearInterval(timer);
  print(server.report());
  await server.close();
  return 0;
}
