// Backend choice per request. Each picker sees only the backends in rotation
// (active) and their in-flight counts; none allocates on the hot path.
export type PolicyName = "round_robin" | "least_outstanding" | "p2c";

export interface Pickable {
  inFlight(): number;
}

export interface Picker<B extends Pickable> {
  pick(active: readonly B[]): B | undefined;
}

/** The assignment's client: each request to the next backend in turn. */
export class RoundRobin<B extends Pickable> implements Picker<B> {
  private i = 0;
  pick(active: readonly B[]): B | undefined {
    const n = active.length;
    if (n === 0) return undefined;
    if (this.i >= n) this.i = 0;
    return active[this.i++];
  }
}

/** Fewest requests in flight; ties go round robin so equal backends share evenly. */
export class LeastOutstanding<B extends Pickable> implements Picker<B> {
  private i = 0;
  pick(active: readonly B[]): B | undefined {
    const n = active.length;
    if (n === 0) return undefined;
    const start = this.i++ % n;
    let best = active[start]!;
    let bestN = best.inFlight();
    for (let k = 1; k < n; k++) {
      const b = active[(start + k) % n]!;
      const f = b.inFlight();
      if (f < bestN) {
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
  pick(active: readonly B[]): B | undefined {
    const n = active.length;
    if (n <= 1) return active[0];
    const a = Math.floor(this.random() * n);
    let b = Math.floor(this.random() * (n - 1));
    if (b >= a) b++;
    const x = active[a]!;
    const y = active[b]!;
    return y.inFlight() < x.inFlight() ? y : x;
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
