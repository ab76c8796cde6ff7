// The whole config's schema: the assignment's client.conf and message.conf
// keys at the top level (as they were), virtscale's sections (one file each
// beside this one) and the checks across keys. docs/config.md is generated
// from these schemas and their doc comments (src/commands/config-doc.ts).
import { z } from "zod";
import { GUEST_PORT } from "../protocol.ts";
import { hostPort, port, pct } from "./fields.ts";
import { ApiSchema } from "./api.ts";
import { LbSchema } from "./lb.ts";
import { ScalerSchema } from "./scaler.ts";
import { ServiceSchema } from "./service.ts";
import { VmSchema } from "./vm.ts";

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
  /**
   * One group over several libvirt hosts (`virtscale up`; -c given more than
   * once lists them too, and wins): each a libvirt URI, the most of the
   * group's VMs it may hold (default: what its cores and memory fit, by
   * scaler.overcommit) and its weight (default 1; a host of weight 2 fills
   * twice as fast). New VMs go to the host with the most free room; a host
   * that is lost has its VMs replaced on the others. Unset: the one -c URI.
   */
  hosts: z
    .array(
      z.strictObject({
        /** The host's libvirt URI (qemu+tcp://HOST/system, qemu+ssh://..., qemu:///system). */
        uri: z.string().min(1),
        /** The most of the group's VMs this host may hold. */
        max_vms: z.number().int().positive().optional(),
        /** Its share of new VMs against the others' (default 1). */
        weight: z.number().positive().optional(),
      }),
    )
    .min(1)
    .optional(),
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
  const uris = (c.hosts ?? []).map((h) => h.uri);
  uris.forEach((u, i) => {
    if (uris.indexOf(u) !== i) ctx.addIssue({ code: "custom", path: ["hosts", i, "uri"], message: `${u} is listed twice` });
  });
  if (c.scaler.min > c.scaler.max)
    ctx.addIssue({ code: "custom", path: ["scaler", "min"], message: "must not exceed scaler.max" });
  if (c.scaler.template !== undefined && c.scaler.source === "predefined")
    ctx.addIssue({ code: "custom", path: ["scaler", "template"], message: "clones are made with scaler.source template or warm; predefined starts existing domains" });
});

export type Config = z.infer<typeof ConfigSchema>;
