// One JSON config. The original assignment's client.conf and message.conf
// are accepted as they are (flat, snake case): every key they define is used
// (or checked), and keys starting with "_" are comments, ignored at any
// depth (client.conf's "__** COMMENT logging_level", "___server_ip").
// virtscale's own settings live in sections. Unknown keys and wrong types are
// errors that name the key, one line each, with a did-you-mean (zod strict
// objects); a JSON syntax error names its line and column.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_WORK_SCALE, GUEST_PORT } from "./protocol.ts";
import { SERVICE_CHECKS } from "./protocol/service.ts";
import { errorMessage } from "./errors.ts";
import { didYouMean } from "./util/suggest.ts";
import { jsonSyntaxError } from "./util/json-where.ts";

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "expected HOST:PORT");
const port = z.number().int().min(1).max(65535);
const pct = z.number().min(0).max(100);

export const ScalerSchema = z.strictObject({
  /**
   * "threshold" (default): the assignment's rule, average CPU above / below the
   * thresholds for the window. "target": CPU target tracking like Kubernetes'
   * HPA. "concurrency": requests in flight per serving VM as the balancer sees
   * them, like Knative's KPA (stable + panic windows) plus a latency guard: it
   * sees a queue before the CPU sample does (src/scaler/policy.ts).
   */
  policy: z.enum(["threshold", "target", "concurrency"]).default("threshold"),
  /** Fewest serving VMs; 0 lets an idle group scale to zero (idle_timeout_s). */
  min: z.number().int().min(0).default(1),
  /** Most VMs the group runs (the host's capacity may cap it lower). */
  max: z.number().int().min(1).default(3),
  /** Target tracking: desired = ceil(current * avg / target) outside the tolerance band. */
  target: pct.default(60),
  /** Target policy: no change while the average is within target x (1 ± tolerance). */
  tolerance: z.number().min(0).max(1).default(0.1),
  /** Target and concurrency policies: a scale-out takes the lowest recommendation over this many seconds (HPA's scale-up stabilization; 0: at once). */
  scale_up_stabilization_s: z.number().min(0).default(0),
  /** Target and concurrency policies: a scale-in takes the highest recommendation over this many seconds (HPA's scale-down stabilization). */
  scale_down_stabilization_s: z.number().min(0).default(5),
  /** Seconds after a scale action before the next automatic one. */
  cooldown_s: z.number().min(0).default(5),
  /**
   * Concurrency policy: the requests in flight (sent, not yet answered: the
   * balancer's count, queued ones included) each serving VM should carry;
   * desired = ceil(group in flight / target) over the stable window. A guest
   * serves one request at a time, so 1 is one VM kept busy, ~75 % CPU with
   * this load generator's even pacing; the demo's high load (120 % of one
   * VM) settles at ~0.7 per VM on two VMs, its low load at ~0.2.
   */
  concurrency_target: z.number().positive().default(1),
  /** Concurrency policy: seconds the in-flight average is taken over for the normal decision (KPA's stable window, 60 s there; scaled to a demo's load steps). */
  stable_window_s: z.number().positive().default(6),
  /** Concurrency policy: the short window (KPA's panic window): when its average reaches panic_threshold x target per serving VM, the group scales out at once and does not scale in until a stable window has passed without panic. */
  panic_window_s: z.number().positive().default(1),
  /** Concurrency policy: the multiple of the target that starts panic mode (KPA's 200 %). */
  panic_threshold: z.number().min(1).default(2),
  /** Concurrency policy's latency guard: one more VM when the slowest serving VM's p99 (balancer, last 10 s) stays above this many ms for latency_window_s. 0 turns the guard off. */
  latency_p99_ms: z.number().min(0).default(500),
  /** Latency guard: seconds the p99 must stay above latency_p99_ms (counted once the balancer's 10 s latency window holds only answers from after the last scale action). */
  latency_window_s: z.number().positive().default(3),
  /**
   * Host capacity: the group runs at most (host cores - virtscale's own share)
   * x overcommit vCPUs at normal CPU weight, rounded to the nearest whole
   * vCPU (src/scaler/capacity.ts: on 2 cores with virtscale using under half a
   * core, 2 one-vCPU VMs fit). Beyond it a scale-out is refused and the
   * decision says "at host capacity: 2 of 2 cores". Memory: the running VMs'
   * vm.memory_mib stay within 90 % of the host's. 1.0: never more busy vCPUs
   * than cores; above 1 allows overcommit.
   */
  overcommit: z.number().positive().default(1),
  /** Cores kept for virtscale itself (balancer, load generator, dashboard). Unset: its own CPU use is measured (/proc/self/stat, smoothed over ~10 s). */
  reserve_cores: z.number().min(0).optional(),
  /**
   * CPU weight of a warm-pool refill (boot and managed save) relative to a
   * serving VM: its cgroup cpu shares are the serving VMs' x this (1024 x
   * 1/16 = 64), so it only gets CPU the serving VMs leave; it is raised to the
   * serving weight when the VM joins. Needs libvirt's cgroup CPU controller
   * (checked on the first serving VM); without it, or at 0, a refill waits
   * for headroom instead (its vCPUs must fit under the capacity above).
   */
  refill_weight: z.number().min(0).max(1).default(1 / 16),
  /** Sampling period of the monitor. */
  period_s: z.number().positive().default(1),
  /** Where new capacity comes from. */
  source: z.enum(["template", "predefined", "warm"]).default("template"),
  /**
   * A shut-off libvirt domain of your own (`up --template DOMAIN`) that new VMs
   * are linked clones of, instead of booting virtscale's guest image: each
   * writable disk gets a qcow2 overlay backed by the template's disk (a volume
   * of its storage pool, else a file beside it made by qemu-img), the clone a
   * new name (PREFIX-NNNN), UUID and MAC and the ownership metadata; its <os>
   * (direct kernel boot or disk boot) and the rest are the template's. The
   * template's guest serves on server_port by itself; in vm.network "user" the
   * clone's NICs are replaced by the group's loopback UDP forward. The clone and
   * its overlays are removed on scale-in and at exit; the template is never
   * started or changed. With source "template" or "warm".
   */
  template: z.string().min(1).optional(),
  /** The warm pool's size (kept as an alias of pool.warm; counted only with source "warm", as before pool existed). */
  warm_pool: z.number().int().min(0).default(0),
  /**
   * Pool tiers of ready VMs a scale-out takes from, fastest first
   * (src/scaler/pool.ts): hot = booted and serving-ready, kept paused
   * (virDomainSuspend: their memory, no CPU; joining is a resume and one
   * answer); warm = managed-saved (no memory; joining is a restore). A
   * scale-out takes the fastest tier that has a VM, else boots from the
   * template (cold), and the tiers are refilled in the background. Used with
   * source "template" or "warm" (not "predefined"). Unset warm: warm_pool.
   */
  pool: z
    .strictObject({
      /** Paused VMs kept ready (each keeps its memory: ~900 MiB of host RSS for a 512 MiB TCG guest here, no CPU); a scale-out from it answers in ~25 ms here. */
      hot: z.number().int().min(0).default(0),
      /** Managed-saved VMs kept ready (disk, no memory); a scale-out from it answers in ~0.5 s here. Unset: scaler.warm_pool. */
      warm: z.number().int().min(0).optional(),
    })
    .optional(),
  /** With min 0: after this many seconds without a request the group goes to 0 VMs (the last ones into the pool: hot first); a request then wakes one (the balancer holds it meanwhile, lb.hold_queue). */
  idle_timeout_s: z.number().positive().default(60),
  /** A VM restored from a snapshot while the group runs (dashboard restore, POST /create with resume true, POST /v1/vms/{name}/restore) joins the group as a serving member (within max); false: it stays a one-off VM. POST /create's ?join=true|false decides per request. */
  restored_join: z.boolean().default(true),
  /** A new VM that has not answered the protocol after this long is failed and replaced. */
  ready_timeout_s: z.number().positive().default(60),
  /** Start with automatic decisions paused (the pause / resume commands; dead VMs are still replaced). */
  paused: z.boolean().default(false),
});

export const LbSchema = z.strictObject({
  /** Which backend gets a request: round_robin, least_outstanding (the one owing fewest answers) or p2c (the better of two at random). */
  policy: z.enum(["round_robin", "least_outstanding", "p2c"]).default("round_robin"),
  /** A request unanswered after this long counts as timed out. */
  timeout_ms: z.number().int().positive().default(2000),
  /** Timeouts that take a backend out of rotation, counted while it is silent (no answer at all, on time or late, for timeout_ms with requests outstanding): busy is not dead. */
  unhealthy_after: z.number().int().positive().default(3),
  /** Requests a backend may owe at once (in flight + timed out and still queued in it); at the cap a backend gets no new request, and with every backend at its cap requests are dropped as backend_full. 0 = no cap. */
  max_in_flight_per_backend: z.number().int().min(0).default(32),
  /** A backend out of rotation (unhealthy) is sent a probe request this often; a correct answer (service.check) puts it back. */
  probe_interval_ms: z.number().int().positive().default(250),
  /** Idle upstream sockets (per client and backend) are closed after this long. */
  idle_evict_s: z.number().positive().default(30),
  /** A draining backend leaves when its requests are answered or timed out, or after this long. */
  drain_timeout_s: z.number().positive().default(10),
  /** Upstream sessions (one socket each, per client and backend) at most; requests beyond are dropped as session_limit. */
  max_sessions: z.number().int().positive().default(4096),
  /**
   * The UDP engine of the front and upstream sockets. "batch": libc's
   * recvmmsg/sendmmsg and epoll through FFI, many datagrams per system call
   * (Linux; the fastest). "bun": Bun.udpSocket upstream. "node": node:dgram.
   * "auto" (default): $VIRTSCALE_UDP if set, else batch where libc loads,
   * else bun on Bun, else node. With bun or node the front is node:dgram.
   */
  engine: z.enum(["auto", "batch", "bun", "node"]).default("auto"),
  /**
   * Overrides the front socket's engine. "node" (node:dgram) and "batch" set a
   * 4 MiB receive buffer for client bursts; "bun" (Bun.udpSocket) cannot, and
   * a burst past ~256 datagrams is dropped by the kernel (counted as kernelDrops).
   */
  front_engine: z.enum(["node", "bun", "batch"]).optional(),
  /**
   * Requests held while no backend is in rotation and the scaler wakes one
   * (scale from zero, or the last VM being replaced); more are dropped as
   * no_backend_queue_full. Only with a scaler attached (virtscale up): the
   * static `virtscale lb` drops them as no_backend. 0: never held.
   */
  hold_queue: z.number().int().min(0).default(1024),
  /** A held request not forwarded after this long is dropped as no_backend_timeout. */
  hold_timeout_ms: z.number().int().positive().default(5000),
});

export const VmSchema = z.strictObject({
  /** 512: the guest's initramfs (~115 MB, the server binary) unpacks into RAM next to its own copy. */
  memory_mib: z.number().int().min(64).default(512),
  /** vCPUs of each VM. */
  vcpus: z.number().int().min(1).default(1),
  /** "auto": KVM when it works here, TCG otherwise (detected and reported). */
  accel: z.enum(["auto", "kvm", "tcg"]).default("auto"),
  /** "user": QEMU user networking with a loopback UDP forward per VM; "network": a libvirt network, address from virDomainInterfaceAddresses. */
  network: z.enum(["user", "network"]).default("user"),
  /** The libvirt network with network "network". */
  network_name: z.string().default("default"),
  /** Host ports for loopback forwards are taken from here upwards. */
  port_base: port.default(22001),
  /** Where the guest image is built and cached. Unset: /var/lib/virtscale/images as root, else $XDG_CACHE_HOME/virtscale/images. */
  image_dir: z.string().optional(),
  /** Where snapshots are written and restore and the API's paths must resolve. Unset: /var/lib/virtscale/snapshots as root, else $XDG_DATA_HOME/virtscale/snapshots. */
  snapshot_dir: z.string().optional(),
  /** Where POST /create's kernel_path must resolve. Unset: the guest image's directory. */
  kernel_dir: z.string().optional(),
  /** Iterations of the work function per unit of n (guest server); at the default 200, a request at the default req_num_high (20000) costs ~35 ms of guest CPU under TCG here (measured per image and host, src/load/cost.ts). */
  work_scale: z.number().int().min(0).default(DEFAULT_WORK_SCALE),
  /** How long to wait for a new VM's first correct protocol answer. */
  boot_timeout_s: z.number().positive().default(90),
});

/** What the servers are: how readiness, health probes and the load generator check an answer (src/protocol/service.ts). */
export const ServiceSchema = z.strictObject({
  /** "virtscale": virtscale's guest (checked exactly); "pow2mod1021": the assignment's server.py (2**n mod 1021); "any": any 8-byte answer (unverified). */
  check: z.enum(SERVICE_CHECKS).default("virtscale"),
});

export const ApiSchema = z.strictObject({
  /** The HTTP API's address when --api is not given; unset: no API. */
  listen: hostPort.optional(),
  /** Required when listen is not loopback; also read from VIRTSCALE_API_TOKEN. */
  token: z.string().min(16).optional(),
  /** Largest request body the API reads (413 beyond). */
  max_body_bytes: z.number().int().positive().default(64 * 1024),
});

export const ConfigSchema = z.strictObject({
  // --- the assignment's client.conf, as it was ---
  /** Threshold policy: % CPU (the serving VMs' average) above which, held for auto_scaler_load_minimum_seconds, one VM is added. */
  auto_scaler_threshold_load_high: pct.default(80),
  /** Threshold policy: % CPU below which, held for the window, one VM is removed (drained first). */
  auto_scaler_threshold_load_low: pct.default(35),
  /** Threshold policy: the window, seconds the average must stay above the high or below the low threshold. */
  auto_scaler_load_minimum_seconds: z.number().positive().default(5),
  /** VM names are PREFIX-0000, PREFIX-0001, ...; also the group's name in each VM's metadata (one owner per group and libvirt). */
  auto_scaler_domain_prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.', '-'").default("virtscale"),
  /** Digits of the VM number in names (the assignment's client.conf has 9); 12 keeps every number exact. */
  auto_scaler_vm_num_digits: z.number().int().min(1).max(12).default(4),
  /** The guest server's UDP port inside a VM (and `virtscale serve`'s default port). */
  server_port: port.default(GUEST_PORT),
  /**
   * The range of request values n (uniform). A request costs n * vm.work_scale
   * LCG steps: 2000..20000 at scale 200 is 0.4 M..4 M steps, ~5..35 ms of guest
   * CPU under TCG here (~20 ms on average, measured 19-20 ms per image and
   * host, see src/load/cost.ts). Small requests keep the load smooth (one VM serves
   * ~50 of them a second, so a one-second CPU sample averages many) and far
   * from the balancer's 2 s timeout even behind a queue; the assignment's
   * 20000..200000 cost ~0.2 s each, five a second made a noisy CPU signal.
   */
  req_num_low: z.number().int().min(0).max(0xffffffff).default(2000),
  /** The upper end of req_num_low's range. */
  req_num_high: z.number().int().min(0).max(0xffffffff).default(20000),
  /**
   * Seconds between requests at each named load level. Unset (the default),
   * low / mid / high are 30 % / 50 % / 120 % of what one VM serves, from the
   * request cost measured once per image and host (src/load/cost.ts LEVELS:
   * high is above 80 % on one VM and 60 % on two, so it drives one scale-out
   * that two VMs carry). Set one to pin that level to 1 / period requests a
   * second whatever the VMs cost (the assignment's client.conf had 1, 0.1 and
   * 0.02 s; those are also the fallback when no cost was measured).
   */
  load_request_time_period_seconds_low: z.number().positive().optional(),
  /** As load_request_time_period_seconds_low, for the mid level. */
  load_request_time_period_seconds_mid: z.number().positive().optional(),
  /** As load_request_time_period_seconds_low, for the high level. */
  load_request_time_period_seconds_high: z.number().positive().optional(),
  /** Seconds after its start before a new server joins the balancer (the assignment's grace): it joins once it answers the service check and this long has passed. Unset: at its first correct answer. */
  server_up_time: z.number().positive().optional(),
  /** The load generator's starting rate when no --rate / --load gives one (the assignment's req_load). */
  req_load: z.string().regex(/^(low|mid|high|off|\d+(\.\d+)?(\/s)?)$/, "expected low, mid, high, off or N/s").optional(),
  /** `virtscale load`'s target server (with server_port) instead of the balancer's front; "none" (the assignment's default): the front. */
  server_ip: z.string().min(1).optional(),
  /** Seconds of CPU history the dashboard's chart spans (the store keeps this many seconds of samples). */
  graph_history_seconds: z.number().positive().optional(),
  /** Log lines below this level are left out: DEBUG and INFO keep all, WARNING warnings and errors, ERROR / CRITICAL errors only. */
  logging_level: z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])).optional(),
  /** Log lines go to this file (appended) instead of stderr; "/dev/stdout" and "/dev/stderr" mean the console (stderr: stdout carries the figures). */
  logging_file: z.string().min(1).optional(),
  /** A FIFO `virtscale load` (and up's built-in load) reads the assignment's commands from (low, mid, high, custom S, + IP PORT, - IP PORT, clear_servers, refresh); made when missing, removed at exit if made. "/dev/stdin": stdin only. */
  fifo_communication_file: z.string().min(1).optional(),
  // --- message.conf, checked ---
  /** message.conf: a request is 4 bytes; checked, any other value is an error. */
  client_request_bytes: z.literal(4).default(4),
  /** message.conf: an answer is 8 bytes; checked, any other value is an error. */
  server_reply_bytes: z.literal(8).default(8),
  // --- virtscale ---
  /** The balancer's front address, where clients send requests (--listen). */
  listen: hostPort.default("127.0.0.1:21001"),
  scaler: ScalerSchema.default(ScalerSchema.parse({})),
  lb: LbSchema.default(LbSchema.parse({})),
  vm: VmSchema.default(VmSchema.parse({})),
  api: ApiSchema.default(ApiSchema.parse({})),
  service: ServiceSchema.default(ServiceSchema.parse({})),
}).superRefine((c, ctx) => {
  if (c.auto_scaler_threshold_load_low >= c.auto_scaler_threshold_load_high)
    ctx.addIssue({ code: "custom", path: ["auto_scaler_threshold_load_low"], message: "must be below auto_scaler_threshold_load_high" });
  if (c.req_num_low > c.req_num_high)
    ctx.addIssue({ code: "custom", path: ["req_num_low"], message: "must not exceed req_num_high" });
  if (c.scaler.pool?.warm !== undefined && c.scaler.warm_pool !== 0 && c.scaler.pool.warm !== c.scaler.warm_pool)
    ctx.addIssue({ code: "custom", path: ["scaler", "warm_pool"], message: `is an alias of scaler.pool.warm, which says ${c.scaler.pool.warm}: give one` });
  if (c.scaler.min > c.scaler.max)
    ctx.addIssue({ code: "custom", path: ["scaler", "min"], message: "must not exceed scaler.max" });
  if (c.scaler.template !== undefined && c.scaler.source === "predefined")
    ctx.addIssue({ code: "custom", path: ["scaler", "template"], message: "clones are made with scaler.source template or warm; predefined starts existing domains" });
});

export type Config = z.infer<typeof ConfigSchema>;

/** Samples of CPU history the store keeps for the chart: graph_history_seconds over the sampling period, undefined when unset (the store's default). */
export function chartHistorySamples(c: Config): number | undefined {
  return c.graph_history_seconds === undefined ? undefined : Math.max(2, Math.ceil(c.graph_history_seconds / c.scaler.period_s));
}

/** virtscale's work function steps for the mean request above which the note below warns (~0.5 s of TCG guest CPU). */
const HEAVY_MEAN_STEPS = 5e7;

/**
 * One line for each key the config sets that virtscale takes otherwise than
 * the assignment did, saying why and what it does here (every key is used or
 * checked; these are the ones a user of client.conf would be surprised by).
 */
export function configNotes(c: Config): string[] {
  const notes: string[] = [];
  if (c.logging_level === "DEBUG") notes.push("logging_level DEBUG: virtscale writes no debug lines; info, warnings and errors are logged");
  if (c.logging_level === "CRITICAL") notes.push("logging_level CRITICAL: virtscale's most severe lines are errors; errors only are logged");
  if (c.logging_file === "/dev/stdout") notes.push("logging_file /dev/stdout: log lines go to stderr (stdout carries the figures and NDJSON)");
  if (c.fifo_communication_file === "/dev/stdin") notes.push("fifo_communication_file /dev/stdin: commands are read from stdin (as always); no FIFO is made");
  if (c.server_up_time !== undefined)
    notes.push(`server_up_time ${c.server_up_time}: a new VM joins once it answers the service check and ${c.server_up_time} s after its start (the assignment's fixed wait; drop the key to join at its first correct answer)`);
  const meanSteps = ((c.req_num_low + c.req_num_high) / 2) * c.vm.work_scale;
  if (c.service.check === "virtscale" && meanSteps > HEAVY_MEAN_STEPS)
    notes.push(
      `req_num_low..req_num_high ${c.req_num_low}..${c.req_num_high} at vm.work_scale ${c.vm.work_scale}: a request is ${meanSteps.toExponential(1)} steps of virtscale's work function on average (the default range: 2.2e+6), many seconds of guest CPU each; these numbers fit the assignment's server.py (service.check pow2mod1021), virtscale's guest wants a smaller range or vm.work_scale`,
    );
  return notes;
}

export class ConfigError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Turn zod issues into one line per key: `scaler.max: expected number,
 * received string`; each unknown key on its own line with the closest known
 * key of its object: `scaler.maxx: unknown key; did you mean 'max'?`.
 */
export function describeIssues(err: z.ZodError): string {
  return err.issues
    .flatMap((i) => {
      if (i.code === "unrecognized_keys") {
        const known = objectKeysAt(i.path);
        return i.keys.map((k) => `${[...i.path, k].join(".")}: unknown key${didYouMean(k, known)}`);
      }
      return [`${i.path.join(".") || "(top level)"}: ${i.message}`];
    })
    .join("\n");
}

/** The keys the schema knows for the object at `path` (empty when the path leads to no object). */
function objectKeysAt(path: readonly PropertyKey[]): string[] {
  let s: z.core.$ZodType = ConfigSchema;
  for (const seg of path) {
    s = unwrapSchema(s);
    if (s instanceof z.ZodArray) s = s.element;
    else if (s instanceof z.ZodObject) {
      const next: z.core.$ZodType | undefined = s.shape[String(seg)];
      if (!next) return [];
      s = next;
    } else return [];
  }
  s = unwrapSchema(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrapSchema(s: z.core.$ZodType): z.core.$ZodType {
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  return s;
}

/** JSON has no comments: client.conf writes them as keys starting with "_". They are dropped at any depth (objects in arrays too). */
export function stripCommentKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripCommentKeys);
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("_")) out[k] = stripCommentKeys(x);
  return out;
}

export function parseConfig(raw: unknown, file?: string): Config {
  const r = ConfigSchema.safeParse(stripCommentKeys(raw ?? {}));
  if (!r.success) throw new ConfigError(`${file ? file + ": " : ""}${describeIssues(r.error)}`, file);
  return r.data;
}

/** Merge several files left to right (client.conf then message.conf, say); later keys win. */
export function loadConfig(files: string[] = []): Config {
  let merged: Record<string, unknown> = {};
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch (e) {
      throw new ConfigError(`${f}: cannot read: ${errorMessage(e)}`, f);
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      // The runtimes' messages rarely say where (Bun: "JSON Parse error: Unexpected identifier"): find the spot ourselves.
      const where = jsonSyntaxError(text);
      throw new ConfigError(`${f}: not valid JSON: ${where ? `line ${where.line}, column ${where.column}: ${where.message}` : errorMessage(e)}`, f);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new ConfigError(`${f}: expected a JSON object`, f);
    // Validate each file on its own too, so an error names the file it is in.
    parseConfig({ ...merged, ...obj }, f);
    merged = deepMerge(merged, obj as Record<string, unknown>);
  }
  return parseConfig(merged, files.at(-1));
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? deepMerge(prev, v) : v;
  }
  return out;
}
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function splitHostPort(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(":");
  const host = s.slice(0, i).replace(/^\[|\]$/g, "");
  return { host, port: Number(s.slice(i + 1)) };
}
