// The owning thread's side of the batch engine's waker (batch-waker.ts, a
// Worker): starts the thread on first use, asks it to watch the loop's epoll
// descriptor once it has loaded (a message sent while its module still loads
// would be lost), turns its messages into "readable again" and "broken", and
// stops it. Apart from the loop (batch-udp.ts) so the loop keeps only its
// states (idle, polling, armed) and what it does in each.
export class WakerLink {
  private worker: Worker | null = null;
  private started = false;
  private ep = -1;
  /** The waker could not run (it failed to load, or epoll_wait failed): the loop polls from now on. */
  failed = false;

  constructor(
    /** Whether the loop still waits for the waker (checked when the thread has loaded). */
    private readonly armed: () => boolean,
    /** A socket is readable again. */
    private readonly onReady: () => void,
    /** The waker broke (`first`: the first time, to be said once); it is stopped already. */
    private readonly onBroken: (why: string, first: boolean) => void,
  ) {}

  /** Ask the waker to watch `ep` (at once if it runs; else once it has loaded). */
  watch(ep: number): void {
    this.ep = ep;
    const w = this.thread();
    if (this.started) w.postMessage({ ep });
  }

  /** End the thread (it kept the process alive, as an open socket does). */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.started = false;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(wakerUrl(), { type: "module" });
    w.onmessage = (ev: MessageEvent) => {
      const m = ev.data as { ready?: boolean; error?: string; started?: boolean };
      if (m.started) {
        this.started = true;
        if (this.armed()) w.postMessage({ ep: this.ep });
      } else if (m.error) this.broke(m.error);
      else if (m.ready) this.onReady();
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      this.broke(ev.message);
    };
    this.worker = w;
    return w;
  }

  private broke(why: string): void {
    const first = !this.failed;
    this.failed = true;
    this.stop();
    this.onBroken(why, first);
  }
}

/** The waker's module: next to this file from source, at its embedded path in the compiled binary (build.ts WORKER_ENTRYPOINTS). */
function wakerUrl(): string {
  const here = import.meta.url;
  if (here.includes("/$bunfs/") || here.includes("/~BUN/")) return "/$bunfs/root/src/net/batch-waker.ts";
  return new URL("./batch-waker.ts", here).href;
}
