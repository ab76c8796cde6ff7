// The servers the load generator sends to, round robin: the balancer's
// front alone, or, without a balancer (the assignment's client), a list of
// its own that the FIFO commands change while it runs (+ IP PORT, - IP PORT,
// ...). Apart from the generator so that the list's rules (one address
// family, no duplicates, empty means "send nothing") live in one place.

export interface Target {
  host: string;
  port: number;
}

export function formatTarget(t: Target): string {
  return t.host.includes(":") ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

function sameTarget(a: Target, b: Target): boolean {
  return a.port === b.port && a.host === b.host;
}

export class ServerList {
  private list: Target[];
  private nextServer = 0;
  /** The family of the first server, which the generator's sockets are bound in; every server must share it. */
  readonly ipv6: boolean;

  constructor(first: Target, more: readonly Target[] = []) {
    this.list = [first, ...more];
    this.ipv6 = first.host.includes(":");
  }

  /** The servers now (replaced, not changed, by set()). */
  get items(): readonly Target[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  /** The next server, round robin (the list must not be empty). */
  next(): Target {
    return this.list[this.nextServer++ % this.list.length]!;
  }

  /** Add a server (false when it is in the list already). */
  add(t: Target): boolean {
    this.checkFamily(t);
    if (this.list.some((s) => sameTarget(s, t))) return false;
    this.list.push({ host: t.host, port: t.port });
    return true;
  }

  /** Remove a server (false when it was not in the list). */
  remove(t: Target): boolean {
    const i = this.list.findIndex((s) => sameTarget(s, t));
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  /** Replace the list (an empty one sends nothing until a server is added); duplicates are kept once. */
  set(list: readonly Target[]): void {
    const next: Target[] = [];
    for (const t of list) {
      this.checkFamily(t);
      if (!next.some((s) => sameTarget(s, t))) next.push({ host: t.host, port: t.port });
    }
    this.list = next;
  }

  private checkFamily(t: Target): void {
    if (t.host.includes(":") !== this.ipv6) throw new Error(`load: ${formatTarget(t)}: the generator's sockets are ${this.ipv6 ? "IPv6" : "IPv4"}`);
  }
}
