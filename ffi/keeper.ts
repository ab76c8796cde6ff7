// A Connection that comes back: opened on first use, dropped when libvirt says
// the transport is gone (a failed call, isAlive false), reopened on the next
// use with exponential backoff. Without an event loop nobody reads the socket
// of an idle connection, so after a libvirtd restart isAlive() still says yes
// and only the next call notices ("Cannot write data: Broken pipe"): run()
// catches that, reopens once and runs the call again when that is safe.
// Used by the worker behind AsyncConnection and by VmManager's quick calls.
import { Connection } from "./connection.ts";
import { isConnectionLost, isUnsent } from "./errors.ts";

export interface KeeperOptions {
  readOnly?: boolean;
  /** Reopen attempts after a failed open: the first after initialMs, doubling up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** Monotonic clock (ms), for tests. */
  now?: () => number;
  /** How to open (tests wrap it to inject failures). */
  open?: (uri: string | null, readOnly: boolean) => Connection;
  /** Keepalive on each connection opened (Connection.setKeepAlive): a call to a peer gone silent fails after about interval x (count + 1) s. */
  keepAlive?: { intervalS: number; count: number };
}

/** What VmManager's connections use: a silent host ends a call within ~8 s, not the minutes TCP takes. */
export const KEEPALIVE = { intervalS: 2, count: 3 } as const;

/**
 * When a call may run again on a new connection after the old one was found lost:
 *  always  reads, and anything idempotent;
 *  unsent  only when the request never left (a write on a dead socket), the default;
 *  never   do not retry.
 */
export type Retry = "always" | "unsent" | "never";

export class ConnectionKeeper {
  #conn: Connection | null = null;
  #retryAt = 0;
  #backoffMs: number;
  #lastOpenError: unknown = null;
  #closed = false;
  readonly #now: () => number;
  /** Successful opens after the first (the connection was lost and came back). */
  reopens = 0;
  #opened = 0;

  constructor(
    readonly uri: string | null,
    private readonly opts: KeeperOptions = {},
  ) {
    this.#now = opts.now ?? (() => performance.now());
    this.#backoffMs = opts.backoff?.initialMs ?? 100;
  }

  /** The connection now, if one is open (no reopen attempt). */
  get current(): Connection | null {
    return this.#conn;
  }

  /**
   * The open connection: reopened when lost. Inside the backoff window after a
   * failed open it throws that failure again at once, without asking libvirt.
   */
  get(): Connection {
    if (this.#closed) throw new Error(`connection to '${this.uri ?? "default"}' is closed`);
    if (this.#conn && !this.#alive(this.#conn)) this.drop();
    if (this.#conn) return this.#conn;
    if (this.#lastOpenError !== null && this.#now() < this.#retryAt) throw this.#lastOpenError;
    try {
      this.#conn = (this.opts.open ?? ((u, ro) => Connection.open(u, { readOnly: ro })))(this.uri, this.opts.readOnly ?? false);
    } catch (e) {
      this.#lastOpenError = e;
      this.#retryAt = this.#now() + this.#backoffMs;
      this.#backoffMs = Math.min(this.#backoffMs * 2, this.opts.backoff?.maxMs ?? 1000);
      throw e;
    }
    if (this.opts.keepAlive) this.#conn.setKeepAlive?.(this.opts.keepAlive.intervalS, this.opts.keepAlive.count);
    if (this.#opened++ > 0) this.reopens++;
    this.#lastOpenError = null;
    this.#backoffMs = this.opts.backoff?.initialMs ?? 100;
    return this.#conn;
  }

  /**
   * fn on the connection. A failure that means the connection is lost drops
   * it (the next use reopens); with `retry` allowing it, fn runs once more on
   * a fresh connection at once, so a daemon that restarted meanwhile is not
   * seen at all. Other failures are fn's own and pass through.
   */
  run<T>(fn: (c: Connection) => T, retry: Retry = "unsent"): T {
    const c = this.get();
    try {
      return fn(c);
    } catch (e) {
      if (!isConnectionLost(e)) throw e;
      this.drop(c);
      if (retry === "never" || (retry === "unsent" && !isUnsent(e))) throw e;
      let again: Connection;
      try {
        again = this.get();
      } catch {
        throw e; // still down: the call's own error says what happened
      }
      try {
        return fn(again);
      } catch (e2) {
        if (isConnectionLost(e2)) this.drop(again);
        throw e2;
      }
    }
  }

  /** Forget the connection (lost, or a close callback said so); the next use reopens. */
  drop(which: Connection | null = this.#conn): void {
    if (!which || which !== this.#conn) return;
    this.#conn = null;
    try {
      which.close();
    } catch {
      /* closing a dead connection may fail: it is gone either way */
    }
  }

  close(): void {
    this.#closed = true;
    this.drop();
  }

  #alive(c: Connection): boolean {
    try {
      return c.isAlive();
    } catch {
      return false;
    }
  }
}
