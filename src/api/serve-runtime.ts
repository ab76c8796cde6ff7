// Serve a fetch handler on Bun (Bun.serve) or Deno (Deno.serve), chosen at
// run time: the one place that knows which runtime it is on.

export interface Served {
  hostname: string;
  port: number;
  close(): Promise<void>;
}

type Fetch = (req: Request) => Response | Promise<Response>;

interface BunLike {
  serve(o: { hostname: string; port: number; fetch: Fetch; idleTimeout?: number; development?: boolean }): {
    port: number;
    hostname: string;
    stop(closeActive?: boolean): Promise<void> | void;
  };
}
interface DenoLike {
  serve(
    o: { hostname: string; port: number; signal: AbortSignal; onListen?: (a: { hostname: string; port: number }) => void },
    fetch: Fetch,
  ): { finished: Promise<void> };
}

export async function serveFetch(fetch: Fetch, listen: { host: string; port: number }): Promise<Served> {
  const g = globalThis as unknown as { Bun?: BunLike; Deno?: DenoLike };
  if (g.Bun) {
    // idleTimeout: the SSE stream sends a comment every 15 s, so 60 s only closes dead connections.
    const s = g.Bun.serve({ hostname: listen.host, port: listen.port, fetch, idleTimeout: 60, development: false });
    return { hostname: listen.host, port: s.port, close: async () => void (await s.stop(true)) };
  }
  if (g.Deno) {
    const ac = new AbortController();
    let port = 0;
    const bound = new Promise<void>((resolve) => {
      const s = g.Deno!.serve({ hostname: listen.host, port: listen.port, signal: ac.signal, onListen: (a) => ((port = a.port), resolve()) }, fetch);
      closeWait = s.finished;
    });
    let closeWait: Promise<void> = Promise.resolve();
    await bound;
    return {
      hostname: listen.host,
      port,
      close: async () => {
        ac.abort();
        await closeWait;
      },
    };
  }
  throw new Error("the HTTP API needs Bun or Deno (Bun.serve / Deno.serve)");
}
