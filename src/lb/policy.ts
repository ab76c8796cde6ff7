// Backend choice per request. Each picker sees only the backends in rotation
// (active) and their in-flight counts; none allocates on the hot path. The
// optional `accept` filter (the balancer's per-backend cap) makes a picker
// choose among the accepted backends only; undefined when none is accepted.
export type PolicyName = "round_robin" | "least_outstanding" | "p2c";

export interface Pickable {
  inFlight(): number;
}

export interface Picker<B extends Pickable> {
  pick(active: readonly B[], accept?: (b: B) => boolean): B | undefined;
}

/** The assignment's client: each request to the next backend in turn. */
export class RoundRobin<B extends Pickable> implements Picker<B> {
  private i = 0;
  pick(active: readonly B[], accept?: (b: B) => boolean): B | undefined {
    const n = active.length;
    if (n === 0) return undefined;
    if (this.i >= n) this.i = 0;
    if (!accept) return active[this.i++];
    // The next accepted backend in turn.
    for (let k = 0; k < n; k++) {
      const idx = (this.i + k) % n;
      const b = active[idx]!;
      if (accept(b)) {
        this.i = idx + 1;
        return b;
      }
    }
    return undefined;
  }
}

/** Fewest requests in flight; ties go round robin so equal backends share evenly. */
export class LeastOutstanding<B extends Pickable> implements Picker<B> {
  private i = 0;
  pick(active: readonly B[], accept?: (b: B) => boolean): B | undefined {
    const n = active.length;
    if (n === 0) return undefined;
    const start = this.i++ % n;
    let best: B | undefined;
    let bestN = Infinity;
    for (let k = 0; k < n; k++) {
      const b = active[(start + k) % n]!;
      const f = b.inFlight();
      if (f < bestN && (!accept || accept(b))) {
        best = b;
        bestN = f;
      }
    }
    return best;
  }
}

/** Power of two choices: two distinct random backends, the one with fewer in flight. */
export class PowerOfTwo<B extends Pickable> implements Picker<B> {
  constructor(private random: () => number = Math.random) {}
  pick(active: readonly B[], accept?: (b: B) => boolean): B | undefined {
    const n = active.length;
    if (n <= 1) return active[0] && (!accept || accept(active[0])) ? active[0] : undefined;
    const a = Math.floor(this.random() * n);
    let b = Math.floor(this.random() * (n - 1));
    if (b >= a) b++;
    const x = active[a]!;
    const y = active[b]!;
    const pick = y.inFlight() < x.inFlight() ? y : x;
    if (!accept || accept(pick)) return pick;
    const other = pick === x ? y : x;
    if (accept(other)) return other;
    // Both choices are full: the first accepted backend after them, if any.
    for (let k = 1; k <= n; k++) {
      const c = active[(a + k) % n]!;
      if (accept(c)) return c;
    }
    return undefined;
  }
}

export function makePicker<B extends Pickable>(name: PolicyName, random?: () => number): Picker<B> {
  switch (name) {
    case "round_robin":
      return new RoundRobin<B>();
    case "least_outstanding":
      return new LeastOutstanding<B>();
    case "p2c":
      return new PowerOfTwo<B>(random);
    default:
      throw new Error(`lb.policy: unknown policy '${name as string}' (round_robin, least_outstanding, p2c)`);
  }
}
