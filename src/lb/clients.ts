// The client table (Envoy's UDP proxy keeps the same map): for each client
// address ("host:port"), its session towards each backend it used. Opening is
// bounded by lb.max_sessions (each session holds a socket, a file descriptor:
// many source addresses must not exhaust them). Closing a session accounts
// what it still had: pending requests count as timed out, owed ones are
// forgotten (their answer can no longer arrive).
import type { Backend } from "./cluster.ts";
import { Session, type ClientAddr } from "./session.ts";

export interface Client {
  addr: ClientAddr;
  sessions: Map<Backend, Session>;
}

export class ClientTable {
  private readonly byKey = new Map<string, Client>();
  /** Open sessions over every client. */
  sessions = 0;

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The client at host:port (an entry made on first sight; it goes with its last session). */
  get(host: string, port: number): Client {
    const key = host + ":" + port;
    let c = this.byKey.get(key);
    if (!c) {
      c = { addr: { host, port, key }, sessions: new Map() };
      this.byKey.set(key, c);
    }
    return c;
  }

  /** A new session of `c` towards `b` (its socket still to open), or null at lb.max_sessions. */
  add(c: Client, b: Backend, now: number): Session | null {
    if (this.sessions >= this.maxSessions) {
      if (c.sessions.size === 0) this.byKey.delete(c.addr.key);
      return null;
    }
    const s = new Session(c.addr, b.id, now);
    c.sessions.set(b, s);
    b.sessions.add(s);
    this.sessions++;
    return s;
  }

  close(s: Session, b: Backend): void {
    if (s.closed && !b.sessions.has(s)) return;
    const n = s.pending.length;
    if (n > 0) {
      b.stats.inFlight -= n;
      b.stats.timedOut += n;
      while (s.pending.length) s.pending.shift();
    }
    b.owed -= s.owed.length;
    while (s.owed.length) s.owed.shift();
    s.close();
    b.sessions.delete(s);
    this.sessions--;
    const c = this.byKey.get(s.client.key);
    if (c && c.sessions.get(b) === s) {
      c.sessions.delete(b);
      if (c.sessions.size === 0) this.byKey.delete(s.client.key);
    }
  }

  /** Close every session of `b` (it is removed). */
  closeAll(b: Backend): void {
    for (const s of [...b.sessions]) this.close(s, b);
  }

  /** Close sessions idle for `idleMs` (lb.idle_evict_s). */
  evictIdle(backends: Iterable<Backend>, now: number, idleMs: number): void {
    for (const b of backends) for (const s of b.sessions) if (s.idle(now, idleMs)) this.close(s, b);
  }

  /** The balancer closes: every socket, without accounting (nothing reads the counters afterwards but the last view). */
  clear(backends: Iterable<Backend>): void {
    for (const b of backends) {
      for (const s of b.sessions) s.close();
      b.sessions.clear();
    }
    this.byKey.clear();
    this.sessions = 0;
  }
}
