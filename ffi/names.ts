// Short lower-case names for domain states, as virsh prints them.
const STATE_NAMES = ["nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended"] as const;

/** "running" | "paused" | "shutoff" | ... ; "unknown(N)" outside libvirt's range. */
export function domainStateName(state: number): string {
  return STATE_NAMES[state] ?? `unknown(${state})`;
}
