// What the group is built from (GroupOptions) and what its parts share
// (GroupContext): the group's step is split over files with one job each
// (classify.ts, deaths.ts, adopt.ts, reconcile.ts, host-use.ts, exit.ts, ...),
// and each part gets this narrow context instead of the Group itself, so no
// part reaches into another's state and none writes a member (the actuator
// alone does).
import type { Config } from "../config.ts";
import type { Store } from "../store.ts";
import type { Actuator } from "./actuator.ts";
import type { GroupSummary } from "./group-summary.ts";
import type { ConnectFn } from "./monitor.ts";
import type { BalancerOps, LifecycleSource, VmOps } from "./ports.ts";
import type { HostsLike } from "./hosts/host-set.ts";

export interface GroupOptions {
  config: Config;
  store: Store;
  balancer: BalancerOps;
  vms: VmOps;
  /** Opens the monitor's libvirt connection (ffi Connection.open(uri), or a wrapper that injects failures). */
  connect: ConnectFn;
  /** Group name in our metadata: VMs of other groups are not adopted. */
  group?: string;
  now?: () => number;
  /** A backend the balancer marks unhealthy this long, with no answer at all meanwhile, is replaced (ms). */
  unhealthyGraceMs?: number;
  /** Wait this long after a failed launch before the next one (ms); a launch that keeps failing the same way waits twice as long each time (backoff.ts), up to launchBackoffMaxMs. */
  launchRetryMs?: number;
  /** The longest wait between launches that keep failing the same way (ms; default 60 s). */
  launchBackoffMaxMs?: number;
  shutdownTimeoutMs?: number;
  /** Emit a store tick after every step (the --json writer and SSE read ticks). */
  tick?: boolean;
  /** Do not run steps on a timer: the caller calls step() (tests). */
  manual?: boolean;
  /** How often to look for running VMs of our group that the group does not track (ms; default 10 s). */
  orphanCheckMs?: number;
  /** Subscribes to libvirt's lifecycle events (ffi DomainEvents.open(uri)); without it, or when it fails, deaths are seen by the sample only. */
  events?: () => Promise<LifecycleSource>;
  /** Marks a VM the group adopts as this process's (the lease's owner mark, src/scaler/lease.ts); it reports its own failures. */
  claim?: (name: string) => void;
  /** A group over several libvirt hosts (src/scaler/hosts/ HostSet, which is also `vms`, `connect` and `events`): where each VM is, each host's state. */
  hosts?: HostsLike;
}

/** What every part of the group may use; the Group makes one and hands it to each. */
export interface GroupContext {
  readonly o: GroupOptions;
  /** The only writer of members: parts read `actuator.members` and ask it for changes. */
  readonly actuator: Actuator;
  readonly summary: GroupSummary;
  /** The group's name in our metadata (GroupOptions.group, else the domain prefix). */
  readonly groupName: string;
  readonly now: () => number;
  /** stop() has begun: no new work; late events and results are ignored. */
  stopped(): boolean;
  /** Run p in the background: settle() waits for it, its failure is logged. */
  track(p: Promise<unknown>): void;
  /** Run an event handler: its failure is logged, it never reaches the event source (or the process). */
  guard(what: string, fn: () => void): void;
  /** Launch or retire toward the desired size now (reconcile.ts), not at the next step. */
  reconcile(): void;
  /** Publish the view now (the dashboard, --json, the API). */
  publish(): void;
}
