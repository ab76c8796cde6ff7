// The VM table's model: which rows, in what order, which slice fits the
// screen. Pure functions; the Ink component only draws what these return.
import type { BackendView, VmView } from "../src/events.ts";
import type { StoreState } from "../src/store.ts";

/** A table row: the VM, with the balancer's figures for it when the producer did not fill them, and its backend state. */
export interface VmRow extends VmView {
  backend?: BackendView["state"];
  /** CPU seconds used over the store's CPU history (the T sort and the TIME column); null without any sample. */
  cpuTimeS?: number | null;
}

/**
 * CPU seconds a VM used over its recorded history: each sample's CPU % of its
 * vCPUs times the sample period. The store keeps CPU %, not libvirt's
 * cumulative cpu.time, so this covers the history window (300 samples by
 * default), not the domain's whole life as virt-top's TIME does.
 */
export function cpuSeconds(history: ReadonlyArray<number | null> | undefined, vcpus: number, sampleSeconds: number): number | null {
  let sum = 0;
  let n = 0;
  for (const v of history ?? []) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += (v / 100) * Math.max(1, vcpus) * sampleSeconds;
    n++;
  }
  return n ? sum : null;
}

/**
 * Join each VM with the balancer backend of the same name (the scaler adds
 * backends under the VM's name): requests/s, in flight and p99 come from there
 * unless the VM view already carries them.
 */
export function withBackends(vms: Iterable<VmView>, backends: readonly BackendView[] | undefined): VmRow[] {
  const byId = new Map((backends ?? []).map((b) => [b.id, b]));
  return [...vms].map((vm) => {
    const b = byId.get(vm.name);
    if (!b) return vm;
    return { ...vm, rps: vm.rps ?? b.rpsIn, inFlight: vm.inFlight ?? b.inFlight, p99Ms: vm.p99Ms ?? b.p99Ms, backend: b.state };
  });
}

export type SortKey = "name" | "cpu" | "mem" | "time" | "rps" | "p99" | "state" | "role";
/** `o` cycles through these, in this order. */
export const SORT_KEYS: readonly SortKey[] = ["name", "cpu", "mem", "time", "rps", "p99", "state", "role"];
/** Keys whose natural order is A→Z (the others put the biggest number first). */
export const ASCENDING: ReadonlySet<SortKey> = new Set(["name", "state", "role"]);

/** How the table is ordered: a column, and whether its natural order is reversed (R). */
export interface SortOrder {
  key: SortKey;
  reverse?: boolean;
}

const ROLE_ORDER: Record<string, number> = { serving: 0, starting: 1, draining: 2, hot: 3, warm: 3, stopped: 4, failed: 5, unmanaged: 6 };

/** Numbers sort high first (the busiest VM on top); missing values always last. */
function numDesc(a: number | null | undefined, b: number | null | undefined): number {
  const an = a === null || a === undefined || !Number.isFinite(a);
  const bn = b === null || b === undefined || !Number.isFinite(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return (b as number) - (a as number);
}

/**
 * The order of two rows: the key's natural order (reversed with `reverse`),
 * then the name. Missing numbers stay last either way: reversing CPU puts the
 * idlest VM first, not the ones without a sample.
 */
export function compareVms(key: SortKey, reverse = false): (a: VmRow, b: VmRow) => number {
  const byName = (a: VmView, b: VmView) => a.name.localeCompare(b.name, "en", { numeric: true });
  const missingLast = (a: number | null | undefined, b: number | null | undefined) => {
    const d = numDesc(a, b);
    const an = a === null || a === undefined || !Number.isFinite(a);
    const bn = b === null || b === undefined || !Number.isFinite(b);
    return reverse && !an && !bn ? -d : d;
  };
  const dir = (d: number) => (reverse ? -d : d);
  const primary: (a: VmRow, b: VmRow) => number = {
    name: (a: VmRow, b: VmRow) => dir(byName(a, b)),
    cpu: (a: VmRow, b: VmRow) => missingLast(a.cpuPct, b.cpuPct),
    mem: (a: VmRow, b: VmRow) => missingLast(a.memoryKiB, b.memoryKiB),
    time: (a: VmRow, b: VmRow) => missingLast(a.cpuTimeS, b.cpuTimeS),
    rps: (a: VmRow, b: VmRow) => missingLast(a.rps, b.rps),
    p99: (a: VmRow, b: VmRow) => missingLast(a.p99Ms, b.p99Ms),
    state: (a: VmRow, b: VmRow) => dir(a.state.localeCompare(b.state)),
    role: (a: VmRow, b: VmRow) => dir((ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9)),
  }[key];
  return (a, b) => primary(a, b) || byName(a, b);
}

/** Case-insensitive substring on name, state, role and address; empty filter keeps all. */
export function matchesFilter(vm: VmView, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [vm.name, vm.state, vm.role, vm.address ?? ""].some((s) => s.toLowerCase().includes(f));
}

const orderOf = (sort: SortKey | SortOrder): SortOrder => (typeof sort === "string" ? { key: sort } : sort);

export function visibleVms<T extends VmRow>(vms: Iterable<T>, sort: SortKey | SortOrder, filter: string): T[] {
  const o = orderOf(sort);
  return [...vms].filter((v) => matchesFilter(v, filter)).sort(compareVms(o.key, o.reverse));
}

/**
 * The table's rows for one read of the store: every VM joined with its
 * backend and its CPU time over the history, filtered, sorted.
 */
export function visibleRows(state: StoreState, sort: SortKey | SortOrder, filter: string, sampleSeconds = 1): VmRow[] {
  const rows = withBackends(state.vms.values(), state.lb?.backends).map((r) => ({ ...r, cpuTimeS: cpuSeconds(state.cpuHistory.get(r.name), r.vcpus, sampleSeconds) }));
  return visibleVms(rows, sort, filter);
}

/** Index of the selected VM by name; falls back to the first row (or -1 when empty). */
export function selectedIndex(rows: readonly { name: string }[], selected: string | undefined): number {
  if (rows.length === 0) return -1;
  const i = selected === undefined ? -1 : rows.findIndex((r) => r.name === selected);
  return i < 0 ? 0 : i;
}

/**
 * First row to show so that `selected` stays on screen, moving the window as
 * little as possible from `prevStart` (no jumping while you scroll).
 */
export function windowStart(prevStart: number, selected: number, total: number, height: number): number {
  if (height <= 0 || total <= height) return 0;
  let start = Math.max(0, Math.min(prevStart, total - height));
  if (selected < start) start = selected;
  else if (selected >= start + height) start = selected - height + 1;
  return Math.max(0, Math.min(start, total - height));
}
