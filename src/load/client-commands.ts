// The assignment's client commands, as its FIFO (and virtscale load's stdin)
// carries them, one a line:
//   low | mid | high            the named load levels (rate.ts)
//   custom S                    one request every S seconds (the assignment's
//                               load_request_time_period_seconds_custom)
//   + IP PORT / - IP PORT       add / remove a server of the generator's list
//   clear_servers (or clear)    empty the list: nothing is sent until one is added
//   refresh                     the list from libvirt: the group's running VMs
// and virtscale's own `off`, `N/s` (also as `load RATE`). The server-list
// commands need a generator that spreads requests itself: behind up's
// balancer the group owns the backends, and they are refused saying so.
import type { LoadGenerator } from "./generator.ts";
import { formatTarget, type Target } from "./servers.ts";

export interface ClientCommandContext {
  gen: LoadGenerator;
  /** Why the server list cannot be changed here (up: the balancer's backends are the group's); undefined: it can. */
  serverListRefused?: string;
  /** `refresh`: the servers to use now (virtscale load: the group's running VMs from libvirt). */
  refresh?: () => Promise<Target[]>;
}

const SERVER_COMMANDS = new Set(["+", "-", "clear_servers", "clear", "refresh"]);

/** Run one command line; resolves with what it did, in words. Throws an Error naming what is wrong. */
export async function runClientCommand(line: string, ctx: ClientCommandContext): Promise<string> {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words[0] === "load") words.shift();
  const cmd = words[0];
  if (!cmd) throw new Error("empty command");
  const { gen } = ctx;
  if (SERVER_COMMANDS.has(cmd)) {
    if (ctx.serverListRefused) throw new Error(`${cmd}: ${ctx.serverListRefused}`);
    if (cmd === "+" || cmd === "-") {
      const t = parseServer(words.slice(1), cmd);
      if (cmd === "+") return gen.addServer(t) ? `+ ${formatTarget(t)}: servers ${list(gen)}` : `+ ${formatTarget(t)}: already in the list (${list(gen)})`;
      return gen.removeServer(t) ? `- ${formatTarget(t)}: servers ${list(gen)}` : `- ${formatTarget(t)}: not in the list (${list(gen)})`;
    }
    if (cmd === "refresh") {
      if (!ctx.refresh) throw new Error("refresh: no source for the server list here");
      gen.setServers(await ctx.refresh());
      return `refresh: servers ${list(gen)}`;
    }
    gen.setServers([]);
    return "clear_servers: no servers; nothing is sent until one is added (+ IP PORT)";
  }
  const level = cmd.toLowerCase();
  if (level === "custom") {
    const period = Number(words[1]);
    if (words[1] === undefined || !Number.isFinite(period) || period <= 0) throw new Error(`custom: give the seconds between requests (custom 0.5), got '${words[1] ?? ""}'`);
    gen.setRate(`${1 / period}/s`, "custom");
    return `custom: one request every ${period} s (${gen.currentRate.perSecond}/s)`;
  }
  gen.setRate(level === "low" || level === "mid" || level === "high" ? level : cmd);
  const r = gen.currentRate;
  return `load: rate ${r.label} (${r.perSecond}/s${r.basis ? `: ${r.basis}` : ""})`;
}

function parseServer(args: string[], cmd: string): Target {
  const [host, portText] = args;
  const port = Number(portText);
  if (!host || args.length !== 2 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${cmd}: expected '${cmd} IP PORT' (PORT 1..65535), got '${[cmd, ...args].join(" ")}'`);
  return { host: host.replace(/^\[|\]$/g, ""), port };
}

const list = (gen: LoadGenerator) => (gen.serverList.length ? gen.serverList.map(formatTarget).join(", ") : "none");
