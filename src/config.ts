// One JSON config. The original assignment's client.conf keys (flat, snake
// case) are accepted as they are, and message.conf's two keys are checked;
// virtscale's own settings live in sections. Unknown keys and wrong types are
// errors that name the key (zod strict objects).
import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_WORK_SCALE, GUEST_PORT } from "./protocol.ts";
import { errorMessage } from "./errors.ts";

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "expected HOST:PORT");
const port = z.number().int().min(1).max(65535);
const pct = z.number().min(0).max(100);

export const ScalerSchema = z.strictObject({
  /** "threshold": the assignment's rule; "target": target tracking like Kubernetes' HPA. */
  policy: z.enum(["threshold", "target"]).default("threshold"),
  min: z.number().int().min(0).default(1),
  max: z.number().int().min(1).default(3),
  /** Target tracking: desired = ceil(current * avg / target) outside the tolerance band. */
  target: pct.default(60),
  tolerance: z.number().min(0).max(1).default(0.1),
  scale_up_stabilization_s: z.number().min(0).default(0),
  scale_down_stabilization_s: z.number().min(0).default(5),
  cooldown_s: z.number().min(0).default(5),
  /** Sampling period of the monitor. */
  period_s: z.number().positive().default(1),
  /** Where new capacity comes from. */
  source: z.enum(["template", "predefined", "warm"]).default("template"),
  warm_pool: z.number().int().min(0).default(0),
  /** A new VM that has not answered the protocol after this long is failed and replaced. */
  ready_timeout_s: z.number().positive().default(60),
  paused: z.boolean().default(false),
});

export const LbSchema = z.strictObject({
  policy: z.enum(["round_robin", "least_outstanding", "p2c"]).default("round_robin"),
  /** A request unanswered after this long counts as timed out. */
  timeout_ms: z.number().int().positive().default(2000),
  /** Timeouts that take a backend out of rotation, counted while it is silent (no answer at all, on time or late, for timeout_ms with requests outstanding): busy is not dead. */
  unhealthy_after: z.number().int().positive().default(3),
  /** Requests a backend may owe at once (in flight + timed out and still queued in it); at the cap a backend gets no new request, and with every backend at its cap requests are dropped as backend_full. 0 = no cap. */
  max_in_flight_per_backend: z.number().int().min(0).default(32),
  probe_interval_ms: z.number().int().positive().default(250),
  /** Idle upstream sockets (per client and backend) are closed after this long. */
  idle_evict_s: z.number().positive().default(30),
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
});

export const VmSchema = z.strictObject({
  /** 512: the guest's initramfs (~115 MB, the server binary) unpacks into RAM next to its own copy. */
  memory_mib: z.number().int().min(64).default(512),
  vcpus: z.number().int().min(1).default(1),
  /** "auto": KVM when it works here, TCG otherwise (detected and reported). */
  accel: z.enum(["auto", "kvm", "tcg"]).default("auto"),
  /** "user": QEMU user networking with a loopback UDP forward per VM; "network": a libvirt network, address from virDomainInterfaceAddresses. */
  network: z.enum(["user", "network"]).default("user"),
  network_name: z.string().default("default"),
  /** Host ports for loopback forwards are taken from here upwards. */
  port_base: port.default(22001),
  image_dir: z.string().optional(),
  snapshot_dir: z.string().optional(),
  kernel_dir: z.string().optional(),
  /** Iterations of the work function per unit of n (guest server); at the default 200, a request at the default req_num_high (20000) costs ~35 ms of guest CPU under TCG here (measured per image and host, src/load/cost.ts). */
  work_scale: z.number().int().min(0).default(DEFAULT_WORK_SCALE),
  /** How long to wait for a new VM's first correct protocol answer. */
  boot_timeout_s: z.number().positive().default(90),
});

export const ApiSchema = z.strictObject({
  listen: hostPort.optional(),
  /** Required when listen is not loopback; also read from VIRTSCALE_API_TOKEN. */
  token: z.string().min(16).optional(),
  max_body_bytes: z.number().int().positive().default(64 * 1024),
});

export const ConfigSchema = z.strictObject({
  // --- the assignment's client.conf, as it was ---
  auto_scaler_threshold_load_high: pct.default(80),
  auto_scaler_threshold_load_low: pct.default(35),
  auto_scaler_load_minimum_seconds: z.number().positive().default(5),
  auto_scaler_domain_prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.', '-'").default("virtscale"),
  auto_scaler_vm_num_digits: z.number().int().min(1).max(8).default(4),
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
  load_request_time_period_seconds_mid: z.number().positive().optional(),
  load_request_time_period_seconds_high: z.number().positive().optional(),
  /** The assignment waited this long before telling the client of a new server; virtscale waits for a protocol answer instead, so this is only a ceiling. */
  server_up_time: z.number().positive().optional(),
  // --- message.conf, checked ---
  client_request_bytes: z.literal(4).default(4),
  server_reply_bytes: z.literal(8).default(8),
  // --- virtscale ---
  listen: hostPort.default("127.0.0.1:21001"),
  scaler: ScalerSchema.default(ScalerSchema.parse({})),
  lb: LbSchema.default(LbSchema.parse({})),
  vm: VmSchema.default(VmSchema.parse({})),
  api: ApiSchema.default(ApiSchema.parse({})),
}).superRefine((c, ctx) => {
  if (c.auto_scaler_threshold_load_low >= c.auto_scaler_threshold_load_high)
    ctx.addIssue({ code: "custom", path: ["auto_scaler_threshold_load_low"], message: "must be below auto_scaler_threshold_load_high" });
  if (c.req_num_low > c.req_num_high)
    ctx.addIssue({ code: "custom", path: ["req_num_low"], message: "must not exceed req_num_high" });
  if (c.scaler.min > c.scaler.max)
    ctx.addIssue({ code: "custom", path: ["scaler", "min"], message: "must not exceed scaler.max" });
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Turn zod issues into one line per key: `scaler.max: expected number, received string`. */
export function describeIssues(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const key = i.path.join(".") || "(top level)";
      if (i.code === "unrecognized_keys") return `${[...i.path, ...i.keys].join(".") || i.keys.join(", ")}: unknown key`;
      return `${key}: ${i.message}`;
    })
    .join("\n");
}

export function parseConfig(raw: unknown, file?: string): Config {
  const r = ConfigSchema.safeParse(raw ?? {});
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
      throw new ConfigError(`${f}: not valid JSON: ${errorMessage(e)}`, f);
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
