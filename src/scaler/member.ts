// What a group member is, what one scale-out records, and the errors that end
// a launch early. Only types and error classes: the actuator's files, the
// group's and the pool's plans all speak of members without importing one
// another (the actuator alone writes a Member; everyone else reads it).
import type { VmRole } from "../events.ts";

export type MemberKind = "template" | "warm" | "predefined" | "adopted";
export type Address = { host: string; port: number };

export interface Member {
  name: string;
  role: VmRole;
  kind: MemberKind;
  /** This run defined the domain (it is removed when the run ends). */
  createdByRun: boolean;
  /** This run started a domain it did not define (predefined): shut down when the run ends. */
  startedByRun: boolean;
  address?: Address;
  /** libvirt has started it (from then on a dead state means it died). */
  booted: boolean;
  /** When this run saw it started (launch, pool fill): a sample taken before then says nothing of it (absent: known running from the start). */
  bootedAt?: number;
  /** In the balancer. */
  inBalancer: boolean;
  /** An operation runs on it (launch, retire, fill): the reconciler leaves it alone. */
  busy: boolean;
  /** Paused (the hot pool): no graceful shutdown (a paused guest cannot see the power button), it is destroyed. */
  paused?: boolean;
  /** Pool member still being prepared (booting before its managed save or pause, or promoted from warm to hot). */
  filling?: boolean;
  unhealthySince?: number;
  /** Taken out of the balancer because its QEMU process ended (takeOut), until libvirt's verdict: fail, release, or putBack. */
  outSince?: number;
  /** Answers (on time + late) the balancer has counted from it, and when that last grew. */
  answers?: number;
  lastAnswerAt?: number;
  roleSince: number;
}

/** One scale-out, for the summary and the bench. */
export interface LaunchRecord {
  name: string;
  /** clone: a cold boot of a linked clone of the user's template domain (scaler.template). */
  how: "cold" | "clone" | "hot" | "warm" | "predefined" | "adopted";
  decisionAt: number;
  /** Retired while starting (a scale-in took it): not an error, nothing to retry. */
  cancelled?: boolean;
  startedAt?: number;
  servingAt?: number;
  /** Decision to first correct protocol answer (ms). */
  decisionToServingMs?: number;
  error?: string;
}

export class StoppedError extends Error {
  constructor() {
    super("group stopping");
    this.name = "StoppedError";
  }
}

/** A launch whose VM was retired before it served (the scale-in took it): ends the launch quietly. */
export class CancelledError extends Error {
  constructor(name: string, why: string) {
    super(`launch of ${name} cancelled: ${why}`);
    this.name = "CancelledError";
  }
}
