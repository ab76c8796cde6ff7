// `virtscale up`: the group: balancer + monitor + scaler (+ load generator with
// --load, + HTTP API with --api), shown on the dashboard on a TTY and as NDJSON
// with --json or when stdout is not a TTY. SIGINT / SIGTERM / `quit`: stop
// scaling, drain, remove every VM this run created.
import { Connection } from "../../ffi/index.ts";
import { hostPortArg, secondsArg, type CommandContext, type CommandSpec } from "../cli.ts";
import { applyOverrides } from "./overrides.ts";
import { splitHostPort } from "../config.ts";
import { checkBind } from "../api/auth.ts";
import { Balancer } from "../lb/balancer.ts";
import { LoadGenerator, registerLoadCommands } from "../load/index.ts";
import { runJson } from "../output/ndjson.ts";
import { runGroup, type RunSummary, type RunningGroup } from "../scaler/run.ts";
import type { Config } from "../config.ts";
import { Store } from "../store.ts";
import { buildImage, defaultImageDir, findImage } from "../guest/image.ts";
import { VmManager } from "../vm/manager.ts";
import { registerVmCommands } from "../vm/commands.ts";

export { applyOverrides } from "./overrides.ts";
export { runGroup, startGroup, type RunGroupOptions, type RunSummary, type StartGroupOptions, type RunningGroup } from "../scaler/run.ts";

export const spec: CommandSpec = {
  name: "up",
  summary: "run the group: balancer + monitor + scaler (+ API with --api)",
  usage: `[options]

  --listen HOST:PORT   the balancer's front address (default: config listen, 127.0.0.1:21001)
  --api HOST:PORT      also serve the HTTP API there (loopback; token from config api.token / $VIRTSCALE_API_TOKEN)
  --min N, --max N     group size bounds (config scaler.min / scaler.max)
  --policy P           threshold (the assignment's 80 % / 35 % for 5 s) | target (target tracking)
  --source S           template (boot new VMs) | warm (resume managed-saved VMs) | predefined (start PREFIX-NNNN)
  --warm-pool N        warm pool size (with --source warm)
  --load RATE          run the built-in load generator against the front: low | mid | high | N/s
  --duration S         stop after S seconds (default: until q, Ctrl-C, SIGTERM or the quit command)
  --keep               leave the VMs this run created running when it ends`,
  options: {
    listen: { type: "string" },
    api: { type: "string" },
    min: { type: "string" },
    max: { type: "string" },
    policy: { type: "string" },
    source: { type: "string" },
    "warm-pool": { type: "string" },
    load: { type: "string" },
    duration: { type: "string" },
    keep: { type: "boolean" },
  },
};

/** How `virtscale demo` (and other front ends) hook into a run of the group. */
export interface UpHooks {
  /** Called once the group runs and the view is attached; must not block (start async work and return). */
  onStarted?: (run: RunningGroup, store: Store, config: Config) => void;
  /** Dashboard title. */
  title?: string;
}

export async function run(ctx: CommandContext, hooks: UpHooks = {}): Promise<number> {
  const v = ctx.values;
  const config = applyOverrides(ctx.config, v);
  const durationS = secondsArg("duration", v.duration);
  // --api wins; else config api.listen (the API's own key); else no API.
  const api = v.api !== undefined ? hostPortArg("api", v.api as string) : config.api.listen ? splitHostPort(config.api.listen) : undefined;
  const apiToken = config.api.token ?? process.env.VIRTSCALE_API_TOKEN;
  // Refuse an exposed API without a token now, before anything boots.
  if (api) checkBind(api.host, apiToken);
  const json = ctx.json || !process.stdout.isTTY;
  const log = (s: string) => process.stderr.write(`virtscale up: ${s}\n`);

  const store = new Store();
  const workScale = config.vm.work_scale;

  // The guest image (only booting VMs need one; predefined domains bring their own).
  const imageDir = config.vm.image_dir ?? defaultImageDir();
  let image = findImage(imageDir);
  if (!image && config.scaler.source !== "predefined") {
    log(`building the guest image in ${imageDir} (once) ...`);
    image = await buildImage({ cacheDir: imageDir, onProgress: (step) => log(`image: ${step}`) });
  }
  const group = config.auto_scaler_domain_prefix;
  const vms = new VmManager({ uri: ctx.uri, config, image, group });
  // snapshot NAME resume|halt, restore PATH: the dashboard's s/S/r keys, --json stdin lines.
  registerVmCommands(store, vms);
  const balancer = new Balancer({ listen: splitHostPort(config.listen), config: config.lb, store, workScale });

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  store.register({ name: "quit", help: "stop: drain and remove the VMs this run created, then exit", run: () => abort.abort() });

  let stopJson: (() => void) | undefined;
  let closeApi: (() => Promise<void>) | undefined;
  let dashboardDone: Promise<void> | undefined;
  let summary: RunSummary;
  // NDJSON from the first event on (adoption, the first boots), not only once the group runs.
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  if (json) stopJson = runJson(store, { ready }).stop;
  try {
    summary = await runGroup({
      config,
      store,
      vms,
      balancer,
      connect: () => Connection.open(ctx.uri, { readOnly: true }),
      group,
      load: v.load as string | undefined,
      makeLoad: (target, rate) => new LoadGenerator({ target, config, rate, scale: workScale }),
      registerLoad: (s, gen) => registerLoadCommands(s, gen as LoadGenerator),
      durationS,
      signal: abort.signal,
      removeVms: !v.keep,
      onStarted: async (run) => {
        if (api) {
          const { startApi } = await import("../api/server.ts");
          const server = await startApi({ listen: api, store, vms, scaler: run.group, config, token: apiToken });
          closeApi = () => server.close();
          store.log(`api: ${server.url}`);
        }
        markReady();
        store.log(`balancer front ${run.front.host}:${run.front.port}; ${config.scaler.policy} policy, source ${config.scaler.source}, ${config.scaler.min}..${config.scaler.max} VMs`);
        if (!json) {
          const { runDashboard } = await import("../../tui/run.tsx");
          dashboardDone = runDashboard(store, { title: hooks.title ?? `virtscale up ${ctx.uri} ${run.front.host}:${run.front.port}`, sampleSeconds: config.scaler.period_s, signal: abort.signal }).finally(() => abort.abort());
        }
        hooks.onStarted?.(run, store, config);
      },
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await closeApi?.();
    await vms.close();
  }
  await dashboardDone;
  stopJson?.();
  if (!json) {
    const g = summary.group;
    log(
      `done after ${summary.durationS.toFixed(0)} s: ${g.scaleEvents.length} scale action(s), ${g.replaced} VM(s) replaced, removed ${g.removed.length ? g.removed.join(", ") : "none"}${g.left.length ? `, left ${g.left.join(", ")}` : ""}; balancer answered ${summary.lb.answered} of ${summary.lb.requestsIn}`,
    );
  }
  return 0;
}
