// `virtscale up`: the group: balancer + monitor + scaler (+ load generator with
// --load, + HTTP API with --api), shown on the dashboard on a TTY and as NDJSON
// with --json or when stdout is not a TTY. SIGINT / SIGTERM / SIGHUP / `quit`:
// stop scaling, drain, remove every VM of the group (adopted ones and those
// made through the API included) unless --keep. One owner per group: a second
// `up` on the same group refuses at once, naming the owner (src/scaler/lease.ts).
import { AsyncConnection, Connection, DomainEvents } from "../../ffi/index.ts";
import { hostPortArg, secondsArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { applyOverrides } from "./overrides.ts";
import { chartHistorySamples, configNotes, splitHostPort } from "../config.ts";
import { attachLogFile, configureLog } from "../output/log.ts";
import { serviceCheckOf } from "../protocol/service.ts";
import { checkBind } from "../api/auth.ts";
import { Balancer } from "../lb/balancer.ts";
import { LoadGenerator, registerLoadCommands } from "../load/index.ts";
import { parseRate } from "../load/rate.ts";
import { errorMessage } from "../errors.ts";
import { attachRequestCost } from "../load/calibrate.ts";
import { runJson } from "../output/ndjson.ts";
import { runGroup, type RunSummary, type RunningGroup } from "../scaler/run.ts";
import type { Config } from "../config.ts";
import { Store } from "../store.ts";
import { buildImage, defaultImageDir, findImage } from "../guest/image.ts";
import { GroupLease } from "../scaler/lease.ts";
import { hostSpecsOf, vmLayer } from "./up-hosts.ts";
import type { HostSpec } from "../scaler/hosts/host-set.ts";
import { registerVmCommands } from "../vm/commands.ts";
import { readTemplate } from "../vm/template.ts";

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
                       | concurrency (requests in flight per VM, Knative KPA, + latency guard)
  --source S           template (boot new VMs) | warm (resume managed-saved VMs) | predefined (start PREFIX-NNNN)
  --warm-pool N        warm pool size (with --source warm)
  --template DOMAIN    new VMs are linked clones of this shut-off domain of yours (qcow2 overlays on its
                       disks; its own kernel/disk boot and server on server_port) instead of the guest image
                       (config scaler.template); clones and overlays are removed on scale-in and at exit
  --load RATE          run the built-in load generator against the front: low | mid | high | N/s
                       (low / mid / high: 30 / 50 / 120 % of one VM, from the request cost measured once
                       per image and host on an idle group, unless load_request_time_period_seconds_* is set)
  --recalibrate        measure that cost again (else the one cached with the image is used)
  --duration S         stop after S seconds (default: until q, Ctrl-C, SIGTERM, SIGHUP or the quit command)
  --keep               leave the group's VMs as they are when it ends (the next \`up\` adopts them); without it
                       every VM of the group is removed, adopted ones and those made through the API included
  --force              take the group over although owner marks on its VMs name a virtscale on another host
                       (which this host cannot check: use it when that one is gone); a live owner on this
                       host is never overridden

One owner per group: a second \`up\` (or \`demo\`) on the same group and libvirt refuses at once, naming the
owner's pid, host and start; an owner that is gone (even by kill -9) is taken over and its VMs adopted.`,
  options: {
    listen: { type: "string" },
    api: { type: "string" },
    min: { type: "string" },
    max: { type: "string" },
    policy: { type: "string" },
    source: { type: "string" },
    "warm-pool": { type: "string" },
    template: { type: "string" },
    load: { type: "string" },
    recalibrate: { type: "boolean" },
    duration: { type: "string" },
    keep: { type: "boolean" },
    force: { type: "boolean" },
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
  // A wrong --load is a usage error now, not a failure once the group has booted.
  if (v.load !== undefined) {
    try {
      parseRate(v.load as string, config);
    } catch (e) {
      throw new UsageError(`--load: ${errorMessage(e).replace(/^rate: /, "")}`);
    }
  }
  // --api wins; else config api.listen (the API's own key); else no API.
  const api = v.api !== undefined ? hostPortArg("api", v.api as string) : config.api.listen ? splitHostPort(config.api.listen) : undefined;
  const apiToken = config.api.token ?? process.env.VIRTSCALE_API_TOKEN;
  // Refuse an exposed API without a token now, before anything boots.
  if (api) checkBind(api.host, apiToken);
  const json = ctx.json || !process.stdout.isTTY;
  const group = config.auto_scaler_domain_prefix;
  // One owner per group, checked before anything is built or booted: the lock file refuses a second `up` on this
  // host at once; the owner marks on the group's VMs, one that reaches libvirt from elsewhere.
  const hosts = hostSpecsOf(ctx, config);
  const lease = GroupLease.acquire({ group, uri: hosts[0]!.uri });
  // One lease per host: a second `up` naming any of them for this group is refused as at once as on the first.
  const others: GroupLease[] = [];
  try {
    for (const h of hosts.slice(1)) others.push(GroupLease.acquire({ group, uri: h.uri }));
  } catch (e) {
    for (const l of others) l.giveBack();
    lease.giveBack();
    throw e;
  }
  try {
    // Another owner's marks on any host refuse the run; a host other than the first that does not answer now is
    // checked by its marks when the group reaches it (it starts lost, and its VMs are adopted only if unowned).
    for (const h of hosts.slice(1)) {
      let other: Connection;
      try {
        other = Connection.open(h.uri);
      } catch {
        continue;
      }
      try {
        lease.checkMarks(other, { force: Boolean(v.force) });
      } catch (e) {
        lease.giveBack();
        throw e;
      } finally {
        other.close();
      }
    }
    const conn = Connection.open(hosts[0]!.uri);
    try {
      lease.checkMarks(conn, { force: Boolean(v.force) });
      // A template that cannot be cloned (missing, running, of the group, a block disk) fails now, before anything boots.
      if (config.scaler.template) readTemplate(conn, config.scaler.template, { group, prefix: config.auto_scaler_domain_prefix, digits: config.auto_scaler_vm_num_digits });
    } catch (e) {
      lease.giveBack();
      throw e;
    } finally {
      conn.close();
    }
    return await owned(ctx, hooks, { config, durationS, api, apiToken, json, group, lease, hosts });
  } finally {
    for (const l of others) l.release();
    lease.release();
  }
}

interface OwnedRun {
  config: Config;
  durationS: number | undefined;
  api: { host: string; port: number } | undefined;
  apiToken: string | undefined;
  json: boolean;
  group: string;
  lease: GroupLease;
  hosts: HostSpec[];
}

/** The run, once this process owns the group. */
async function owned(ctx: CommandContext, hooks: UpHooks, p: OwnedRun): Promise<number> {
  const { config, durationS, api, apiToken, json, group, lease } = p;
  const v = ctx.values;
  // After a hang-up the terminal is gone and writing to it fails: the cleanup must not die of that.
  const log = (s: string) => {
    try {
      process.stderr.write(`virtscale up: ${s}\n`);
    } catch {
      /* no terminal left */
    }
  };

  // graph_history_seconds: the chart's span; logging_level / logging_file: the log (src/output/log.ts).
  const store = new Store({ historyLength: chartHistorySamples(config) });
  configureLog(config);
  attachLogFile(store);
  for (const note of configNotes(config)) store.log(`config: ${note}`);
  const workScale = config.vm.work_scale;

  // The guest image (only booting VMs need one; predefined domains bring their own).
  const imageDir = config.vm.image_dir ?? defaultImageDir();
  // A template of the user's own brings its guest: no image (and no request cost cached with one).
  let image = config.scaler.template ? null : findImage(imageDir);
  if (!image && config.scaler.source !== "predefined" && !config.scaler.template) {
    log(`building the guest image in ${imageDir} (once) ...`);
    image = await buildImage({ cacheDir: imageDir, onProgress: (step) => log(`image: ${step}`) });
  }
  // Every VM made, resumed or restored through it carries this process's owner mark (written through its host's
  // connection); a mark that fails is a warning.
  const mark = (conn: Connection, name: string) => {
    try {
      lease.claim(conn, name);
    } catch (e) {
      store.error(`owner mark on ${name}`, e);
    }
  };
  // One host, or one group over several (-c repeated, config hosts): src/scaler/hosts/.
  const layer = await vmLayer({ hosts: p.hosts, config, image, group, store, mark });
  const vms = layer.vms;
  const claim = (name: string) => mark(layer.connOf(name), name);
  if (layer.hostSet) store.log(`one group over ${p.hosts.length} hosts: ${layer.hostSet.views().map((h) => `${h.uri} (${h.state}${h.reason ? `: ${h.reason}` : ""})`).join(", ")}`);
  // snapshot NAME resume|halt, restore PATH: the dashboard's s/S/r keys, --json stdin lines (on the first host).
  registerVmCommands(store, layer.primary, (name) => layer.vmsFor(name));
  const balancer = new Balancer({ listen: splitHostPort(config.listen), config: config.lb, store, workScale, check: serviceCheckOf(config) });

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  // The terminal closed: the same cleanup as SIGTERM, then exit 129 (128 + SIGHUP), so a supervisor still sees a hang-up.
  let hungUp = false;
  const onHangup = () => {
    if (!hungUp) for (const s of [process.stdout, process.stderr]) s.on("error", () => {});
    hungUp = true;
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onHangup);
  store.register({ name: "quit", help: `stop: drain and remove the group's VMs${v.keep ? " (--keep: they are left)" : ""}, then exit`, run: () => abort.abort() });

  let stopJson: (() => void) | undefined;
  let closeApi: (() => Promise<void>) | undefined;
  let dashboardDone: Promise<void> | undefined;
  let summary: RunSummary;
  // NDJSON from the first event on (adoption, the first boots), not only once the group runs.
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  if (json) stopJson = runJson(store, { ready }).stop;
  // Which libvirt, and why that one (-c, $LIBVIRT_DEFAULT_URI, libvirt.conf or libvirt's default): before anything connects.
  const uri = p.hosts[0]!.uri;
  if (p.hosts.length === 1) store.log(`libvirt ${uri} (${ctx.uris.length ? "-c" : config.hosts ? "config hosts" : (ctx.uriSource ?? "-c")})`);
  // A lease or owner marks taken over from a process that is gone: said once, before the adoption they lead to.
  for (const note of lease.notes) store.log(note, "warn");
  try {
    summary = await runGroup({
      config,
      store,
      vms,
      balancer,
      // Samples on a worker thread, deaths from libvirt's events: the balancer's thread never waits for libvirt.
      connect: layer.connect,
      events: layer.events,
      hosts: layer.hostSet ?? undefined,
      group,
      claim,
      // No VM is made once the run ends (an API create would escape the exit sweep); those under way finish first.
      beforeStop: () => layer.endNew(),
      load: v.load as string | undefined,
      // Named levels wait for one VM's measured capacity (attachRequestCost below).
      makeLoad: (target, rate) => new LoadGenerator({ target, config, rate, scale: workScale, awaitCost: true }),
      registerLoad: (s, gen) => registerLoadCommands(s, gen as LoadGenerator),
      durationS,
      signal: abort.signal,
      removeVms: !v.keep,
      onStarted: async (run) => {
        if (api) {
          const { startApi } = await import("../api/server.ts");
          const server = await startApi({ listen: api, store, vms: layer.primary, scaler: run.group, lb: balancer, config, token: apiToken });
          closeApi = () => server.close();
          // A second `up` names this address in its refusal, for `virtscale top --api`.
          lease.update({ api: server.url.replace(/^http:\/\//, "") });
          store.log(`api: ${server.url}`);
        }
        markReady();
        store.log(`balancer front ${run.front.host}:${run.front.port}; ${config.scaler.policy} policy, source ${config.scaler.source}, ${config.scaler.min}..${config.scaler.max} VMs`);
        if (!json) {
          const { runDashboard } = await import("../../tui/run.tsx");
          dashboardDone = runDashboard(store, { title: hooks.title ?? `virtscale up ${p.hosts.length > 1 ? `${p.hosts.length} hosts` : uri} ${run.front.host}:${run.front.port}`, sampleSeconds: config.scaler.period_s, signal: abort.signal, quitRemovesVms: !v.keep }).finally(() => abort.abort());
        }
        if (run.load) void attachRequestCost(run.load as LoadGenerator, { store, uri, config, image, remeasure: Boolean(v.recalibrate), signal: abort.signal });
        hooks.onStarted?.(run, store, config);
      },
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onHangup);
    await closeApi?.();
    await layer.close();
  }
  await dashboardDone;
  stopJson?.();
  if (!json) {
    const g = summary.group;
    log(
      `done after ${summary.durationS.toFixed(0)} s: ${g.scaleEvents.length} scale action(s), ${g.replaced} VM(s) replaced, removed ${g.removed.length ? g.removed.join(", ") : "none"}${g.left.length ? `, left ${g.left.map((n) => `${n} (${g.leftReasons[n] ?? "?"})`).join(", ")}` : ""}; balancer answered ${summary.lb.answered} of ${summary.lb.requestsIn}`,
    );
  }
  return hungUp ? 129 : 0;
}
