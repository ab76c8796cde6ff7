// The config's `scaler` section: the autoscaler (policy, bounds, windows,
// host capacity, where new VMs come from, the pool tiers).
// docs/config.md is generated from this schema and its doc comments
// (src/commands/config-doc.ts); src/config/schema.ts puts the sections together.
import { z } from "zod";
import { pct } from "./fields.ts";

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
   * 1/16 = 64), so it only gets CPU the serving VMs leave; its managed-save
   * image is given the serving weight (a scale-out restores it at that
   * weight). Needs libvirt's cgroup CPU controller (checked on the first
   * serving VM); without it, or at 0, a refill waits for headroom instead
   * (its vCPUs must fit under the capacity above). Either way a refill waits
   * while a VM starts and while the policy is on the scale-out side.
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
