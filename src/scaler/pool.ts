// The pool tiers a scale-out takes from, fastest first, and which tier to
// refill or to retire into. Pure: the actuator and the group ask, they act.
//
//   hot   booted, answered once, then paused (virDomainSuspend): it keeps its
//         memory and uses no CPU; joining is virDomainResume + one protocol
//         answer (tens of ms).
//   warm  managed-saved (virDomainManagedSave): no memory; joining is a
//         start, which restores the saved state (~0.7 s here).
//   cold  no pool VM: define + boot from the template (~10 s under TCG).
//
// Sizes come from scaler.pool ({hot, warm}); scaler.warm_pool is the older
// name of pool.warm and counts only with source "warm", as it always did. A
// predefined group has no pool (its domains are the user's). The hot tier
// needs suspend/resume from the VM layer; without them its size is 0.
import type { Config } from "../config.ts";
import type { VmRole } from "../events.ts";

export type Tier = "hot" | "warm" | "cold";
export type PoolTier = Exclude<Tier, "cold">;

export interface PoolSizes {
  hot: number;
  warm: number;
}

/** One pool member as the plans see it (Actuator's Member). */
export interface PoolMemberLike {
  name: string;
  role: VmRole;
  busy: boolean;
  /** Being prepared (booting, or being promoted from warm to hot): not ready yet. */
  filling?: boolean;
}

/** The tier sizes this group keeps (0 each without a pool). */
export function poolSizes(c: Config, canPause: boolean): PoolSizes {
  if (c.scaler.source === "predefined") return { hot: 0, warm: 0 };
  const hot = canPause ? (c.scaler.pool?.hot ?? 0) : 0;
  const warm = c.scaler.pool?.warm ?? (c.scaler.source === "warm" ? c.scaler.warm_pool : 0);
  return { hot, warm };
}

/** Whether the group keeps any pool at all. */
export const hasPool = (s: PoolSizes): boolean => s.hot + s.warm > 0;

const isTier = (role: VmRole): role is PoolTier => role === "hot" || role === "warm";

export interface PoolCounts {
  /** Members of the tier, filling ones included (what refills count against the size). */
  hot: number;
  warm: number;
  /** Ready to join now (not filling, no operation on them). */
  hotReady: number;
  warmReady: number;
  /** Being filled (booting or promoting), any tier. */
  filling: number;
}

export function poolCounts(members: Iterable<PoolMemberLike>): PoolCounts {
  const c: PoolCounts = { hot: 0, warm: 0, hotReady: 0, warmReady: 0, filling: 0 };
  for (const m of members) {
    if (!isTier(m.role)) continue;
    c[m.role]++;
    if (m.filling) c.filling++;
    else if (!m.busy) c[m.role === "hot" ? "hotReady" : "warmReady"]++;
  }
  return c;
}

/** The member a scale-out takes: a ready hot one, else a ready warm one; none: boot cold. */
export function pickForLaunch<M extends PoolMemberLike>(members: Iterable<M>): M | undefined {
  let warm: M | undefined;
  for (const m of members) {
    if (m.filling || m.busy || !isTier(m.role)) continue;
    if (m.role === "hot") return m;
    warm ??= m;
  }
  return warm;
}

/**
 * The next refill, one at a time (boots are CPU-heavy): the hot tier first
 * (it answers fastest), then warm. A hot refill promotes a ready warm VM
 * when there is one (a start and a pause, ~1 s, instead of a ~10 s boot);
 * warm is then short by one and boots next. null: every tier is full.
 */
export function nextFill(counts: PoolCounts, sizes: PoolSizes): { tier: PoolTier; from: "boot" | "warm" } | null {
  if (counts.hot < sizes.hot) return { tier: "hot", from: counts.warmReady > 0 ? "warm" : "boot" };
  if (counts.warm < sizes.warm) return { tier: "warm", from: "boot" };
  return null;
}

/**
 * Where a VM leaving the serving set goes: the fastest tier below its size,
 * else nowhere (it is stopped). `toZero`: the group goes to zero VMs, and its
 * last VMs go to the best tier the config keeps even when that tier is full
 * (hot if it has a hot tier, else warm), so the first request wakes one fast;
 * a group without a pool stops them (its wake is a cold boot, as configured).
 */
export function retireTier(counts: PoolCounts, sizes: PoolSizes, opts: { toZero?: boolean } = {}): PoolTier | null {
  if (counts.hot < sizes.hot) return "hot";
  if (counts.warm < sizes.warm) return "warm";
  if (opts.toZero && sizes.hot > 0) return "hot";
  if (opts.toZero && sizes.warm > 0) return "warm";
  return null;
}
