// Where the next VM of a group spread over several libvirt hosts goes: the
// pure rule, apart from the connections (host-set.ts). Only a host that is up
// takes one. Each host's room is its own cap (config hosts[].max_vms, else
// what its libvirt says it can run busy: capacity.ts's rule on that host's
// cores and memory) minus the group's VMs already on it; the host with the
// most room, scaled by its weight, wins; ties go to the host with fewer of the
// group's VMs, then to the one listed first. So two equal hosts take one VM
// each before either takes a second, and a host twice the weight fills first.
// Every choice carries its reason (the launch's log line says it).

export interface HostFigure {
  uri: string;
  /** "up": its libvirt answers; anything else takes no VM. */
  state: string;
  /** The group's VMs on it now (serving, starting, pool, being made). */
  vms: number;
  /** How many of the group's VMs it may hold: config max_vms, else its capacity (null: not known yet, no cap). */
  cap: number | null;
  /** The cap is the user's max_vms (never passed), not the one computed from its cores (which counts saved pool VMs too). */
  hardCap?: boolean;
  /** config hosts[].weight (default 1). */
  weight: number;
}

export type Placement = { uri: string; reason: string } | { uri: null; reason: string };

export function place(hosts: readonly HostFigure[]): Placement {
  const room = (h: HostFigure) => (h.cap === null ? Number.POSITIVE_INFINITY : h.cap - h.vms);
  const up = hosts.filter((h) => h.state === "up");
  if (!up.length) return { uri: null, reason: `no host is up (${hosts.map((h) => `${h.uri}: ${h.state}`).join(", ")})` };
  const open = up.filter((h) => room(h) > 0);
  if (!open.length) {
    // A computed cap counts every VM there, a saved pool VM too, which takes no CPU: past it the group's own capacity
    // rule (capacity.ts, on busy vCPUs) is what bounds the busy VMs, so the least-loaded such host still takes one.
    const soft = up.filter((h) => !h.hardCap).sort((a, b) => a.vms / (a.cap ?? 1) / a.weight - b.vms / (b.cap ?? 1) / b.weight);
    if (soft[0]) return { uri: soft[0].uri, reason: `${soft[0].uri}: every host is at its computed capacity; the least loaded (${soft[0].vms} of ${soft[0].cap}, a saved pool VM counted too) takes it` };
    return { uri: null, reason: `every host that is up is full (${up.map((h) => `${h.uri}: ${h.vms} of max_vms ${h.cap}`).join(", ")})` };
  }
  // Free room weighted; a host of unknown capacity ranks by weight over its VMs (it is spread onto, never filled first).
  const score = (h: HostFigure) => (h.cap === null ? h.weight / (h.vms + 1) : (room(h) * h.weight) / Math.max(1, h.cap));
  let best = open[0]!;
  for (const h of open.slice(1)) {
    const d = score(h) - score(best);
    if (d > 1e-9 || (Math.abs(d) <= 1e-9 && h.vms < best.vms)) best = h;
  }
  const capText = best.cap === null ? "capacity not known yet" : `${best.vms} of ${best.cap} used`;
  const others = up.filter((h) => h !== best).map((h) => `${h.uri} ${h.cap === null ? `${h.vms} VMs` : `${h.vms}/${h.cap}`}`);
  return { uri: best.uri, reason: `${best.uri}: most free room (${capText}, weight ${best.weight})${others.length ? `; others: ${others.join(", ")}` : ""}` };
}
