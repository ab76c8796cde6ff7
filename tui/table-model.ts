// The VM table's model: which rows, in what order, which slice fits the
// screen. Pure functions; the Ink component only draws what these return.
import type { BackendView, VmView } from "../src/events.ts";
import type { StoreState } from "../src/store.ts";

/** A table row: the VM, with the balancer's figures for it when the producer did not fill them, and its backend state. */
export interface VmRow extends VmView {
  backend?: BackendView["state"];
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

export type SortKey = "name" | "cpu" | "rps" | "p99" | "state" | "role";
/** `o` cycles through these, in this order. */
export const SORT_KEYS: readonly SortKey[] = ["name", "cpu", "rps", "p99", "state", "role"];

const ROLE_ORDER: Record<string, number> = { serving: 0, starting: 1, draining: 2, warm: 3, stopped: 4, failed: 5, unmanaged: 6 };

/** Numbers sort high first (the busiest VM on top); missing values always last. */
function numDesc(a: number | null | undefined, b: number | null | undefined): number {
  const an = a === null || a === undefined || !Number.isFinite(a);
  const bn = b === null || b === undefined || !Number.isFinite(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return (b as number) - (a as number);
}

export function compareVms(key: SortKey): (a: VmView, b: VmView) => number {
  const byName = (a: VmView, b: VmView) => a.name.localeCompare(b.name, "en", { numeric: true });
  const primary: (a: VmView, b: VmView) => number = {
    name: byName,
    cpu: (a: VmView, b: VmView) => numDesc(a.cpuPct, b.cpuPct),
    rps: (a: VmView, b: VmView) => numDesc(a.rps, b.rps),
    p99: (a: VmView, b: VmView) => numDesc(a.p99Ms, b.p99Ms),
    state: (a: VmView, b: VmView) => a.state.localeCompare(b.state),
    role: (a: VmView, b: VmView) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9),
  }[key];
  return (a, b) => primary(a, b) || byName(a, b);
}

/** Case-insensitive substring on name, state, role and address; empty filter keeps all. */
export function matchesFilter(vm: VmView, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [vm.name, vm.state, vm.role, vm.address ?? ""].some((s) => s.toLowerCase().includes(f));
}

export function visibleVms<T extends VmView>(vms: Iterable<T>, sort: SortKey, filter: string): T[] {
  return [...vms].filter((v) => matchesFilter(v, filter)).sort(compareVms(sort));
}

/** The table's rows for one read of the store: every VM joined with its backend, filtered, sorted. */
export function visibleRows(state: StoreState, sort: SortKey, filter: string): VmRow[] {
  return visibleVms(withBackends(state.vms.values(), state.lb?.backends), sort, filter);
}

/** Index of the selected VM by name; falls back to the first row (or -1 when empty). */
export function selectedIndex(rows: readonly VmView[], selected: string | undefined): number {
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
