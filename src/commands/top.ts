// `virtscale top`: a read-only dashboard attached to a running `virtscale up`
// over its HTTP API, so a second terminal can watch a group without becoming
// a second owner. It reads /v1/state once and then follows /v1/events; it
// registers no commands, so every key that would change the run is greyed
// out, and q only leaves. Without a terminal (or with --json) it prints the
// run's events as NDJSON instead.
import { hostPortArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { splitHostPort } from "../config.ts";
import { jsonLine } from "../output/json-line.ts";
import { fetchState, followEvents, type ApiTarget } from "./top/client.ts";
import { MirrorStore } from "./top/mirror.ts";

export const spec: CommandSpec = {
  name: "top",
  summary: "watch a running `virtscale up` (read-only dashboard over its HTTP API)",
  usage: `--api HOST:PORT [--token TOKEN] [--json]

  --api HOST:PORT   where \`virtscale up --api\` serves (default: config api.listen)
  --token TOKEN     the API's bearer token (default: config api.token, else $VIRTSCALE_API_TOKEN)

Nothing is changed: the keys that would run a command (snapshot, scale, pause,
load, restore) are greyed out, and q leaves without stopping the group. With
--json or without a terminal, the run's events are printed as NDJSON.`,
  options: {
    api: { type: "string" },
    token: { type: "string" },
  },
};

export function apiTarget(ctx: CommandContext): ApiTarget {
  const v = ctx.values;
  const listen = v.api !== undefined ? hostPortArg("api", v.api as string) : ctx.config.api.listen ? splitHostPort(ctx.config.api.listen) : undefined;
  if (!listen) throw new UsageError("top: --api HOST:PORT is required (the address `virtscale up --api HOST:PORT` serves on)");
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  const token = (v.token as string | undefined) ?? ctx.config.api.token ?? process.env.VIRTSCALE_API_TOKEN;
  return { base: `http://${host}:${listen.port}`, ...(token ? { token } : {}) };
}

export async function run(ctx: CommandContext): Promise<number> {
  const target = apiTarget(ctx);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    // Fails at once, naming the address and the API's answer, when no `up` serves there or the token is wrong.
    const state = await fetchState(target, abort.signal);
    const store = new MirrorStore();
    store.seed(state);
    const json = ctx.json || !process.stdout.isTTY;
    if (json) {
      process.stdout.write(jsonLine(state.tick) + "\n");
      store.subscribe((ev) => {
        // The mirror re-emits each remote tick after applying it: that one, not a second copy, is printed.
        process.stdout.write(jsonLine(ev) + "\n");
      });
    }
    const following = followEvents(target, {
      signal: abort.signal,
      onEvent: (ev) => (ev.type === "tick" ? store.applyTick(ev) : store.emit(ev)),
      onLost: (why) => store.log(`lost the event stream: ${why}; retrying every 2 s (what happens meanwhile is not shown)`, "warn"),
      onBack: () => store.log(`event stream from ${target.base} back`),
    });
    if (json) {
      await following;
      return 0;
    }
    const { runDashboard } = await import("../../tui/run.tsx");
    await runDashboard(store, { title: `top ${target.base} (read-only)`, sampleSeconds: state.period_s, signal: abort.signal, quitRemovesVms: false });
    abort.abort();
    await following;
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
