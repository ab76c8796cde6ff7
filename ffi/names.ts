// Short lower-case names for domain states (as virsh prints them) and for
// lifecycle events and their details.
import * as enums from "./generated/enums.ts";

const STATE_NAMES = ["nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended"] as const;

/** "running" | "paused" | "shutoff" | ... ; "unknown(N)" outside libvirt's range. */
export function domainStateName(state: number): string {
  return STATE_NAMES[state] ?? `unknown(${state})`;
}

// Per lifecycle event type (virDomainEventType order), the enum naming its detail.
const DETAIL_ENUMS = ["Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown", "PMSuspended", "Crashed"] as const;
const DETAIL_NAMES: readonly Readonly<Record<number, string>>[] = DETAIL_ENUMS.map((k) => enums[`DomainEvent${k}DetailType_NAMES`]);

/** The lower-case tail of a C enum name after `prefix`: VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT -> "from-snapshot". */
const tail = (name: string | undefined, prefix: string) => (name?.startsWith(prefix) ? name.slice(prefix.length).toLowerCase().replace(/_/g, "-") : undefined);

/** A lifecycle event's type as a word: "stopped", "crashed", "started", ...; "event(N)" when libvirt is newer than the binding. */
export function lifecycleEventName(event: number): string {
  return tail(enums.DomainEventType_NAMES[event], "VIR_DOMAIN_EVENT_") ?? `event(${event})`;
}

/** Its detail as a word, e.g. stopped + 1 -> "destroyed", stopped + 5 -> "failed", crashed + 0 -> "panicked". */
export function lifecycleDetailName(event: number, detail: number): string {
  const type = enums.DomainEventType_NAMES[event];
  return (type && tail(DETAIL_NAMES[event]?.[detail], `${type}_`)) ?? `detail(${detail})`;
}
