// The run's report (GroupSummary): launches, scale events, replacements, and
// which VMs the run adopted, removed or left on the host, each left one with
// its reason. Several parts of the group write into it (deaths, adoption, the
// exit cleanup): these helpers keep `left`, `leftReasons` and `removed`
// consistent with one another.
import type { LaunchRecord } from "./member.ts";

export interface GroupSummary {
  launches: LaunchRecord[];
  scaleEvents: { ts: number; action: "out" | "in"; from: number; to: number; reason: string }[];
  replaced: number;
  adopted: string[];
  removed: string[];
  left: string[];
  /** Why each VM in `left` is still there (kept with --keep, halted by a snapshot, under another process's operation, a removal that failed). */
  leftReasons: Record<string, string>;
}

export function newSummary(): GroupSummary {
  return { launches: [], scaleEvents: [], replaced: 0, adopted: [], removed: [], left: [], leftReasons: {} };
}

/** The VM stays on the host as the run ends, and why. */
export function leave(s: GroupSummary, name: string, why: string): void {
  if (!s.left.includes(name)) s.left.push(name);
  s.leftReasons[name] = why;
}

/** The VM was removed: no longer left. */
export function markRemoved(s: GroupSummary, name: string): void {
  if (!s.removed.includes(name)) s.removed.push(name);
  s.left = s.left.filter((n) => n !== name);
  delete s.leftReasons[name];
}

/** A VM that had left the group is a member again (restored, joined): no longer left. */
export function rejoined(s: GroupSummary, name: string): void {
  delete s.leftReasons[name];
  s.left = s.left.filter((n) => n !== name);
}
