// The HTTP side of `virtscale top`: one GET of /v1/state, then /v1/events
// (server-sent events) followed for as long as it runs, reconnecting when the
// stream drops. Plain fetch, so the same code runs on Bun and Deno.
import type { VirtscaleEvent } from "../../events.ts";
import { errorMessage } from "../../errors.ts";
import type { StateSnapshot } from "./mirror.ts";

export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

export interface ApiTarget {
  /** http://HOST:PORT */
  base: string;
  token?: string;
}

const headers = (t: ApiTarget, accept: string): Record<string, string> => ({ accept, ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) });

/** A failed answer as the API's own words ({"error":{"description"}}), with what to do about a 401. */
async function failure(t: ApiTarget, path: string, res: Response): Promise<ApiClientError> {
  let why = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { description?: string } };
    if (body.error?.description) why = `${res.status} ${body.error.description}`;
  } catch {
    /* not the error shape: the status says enough */
  }
  const hint = res.status === 401 ? (t.token ? " (the token given with --token / VIRTSCALE_API_TOKEN is not the one `up` uses)" : " (give the token `up` uses: --token or VIRTSCALE_API_TOKEN)") : "";
  return new ApiClientError(`${t.base}${path}: ${why}${hint}`, res.status);
}

function unreachable(t: ApiTarget, path: string, e: unknown): ApiClientError {
  const code = (e as { code?: string })?.code;
  const msg = errorMessage(e);
  return new ApiClientError(`cannot reach ${t.base}${path}: ${msg}${code && !msg.includes(code) ? ` (${code})` : ""}; is \`virtscale up --api ${t.base.replace(/^https?:\/\//, "")}\` running?`);
}

export async function fetchState(t: ApiTarget, signal?: AbortSignal): Promise<StateSnapshot> {
  const path = "/v1/state";
  let res: Response;
  try {
    res = await fetch(t.base + path, { headers: headers(t, "application/json"), signal });
  } catch (e) {
    throw unreachable(t, path, e);
  }
  if (!res.ok) throw await failure(t, path, res);
  return (await res.json()) as StateSnapshot;
}

/** Split a text/event-stream into its events' `event` and `data` fields (comments and ids skipped). */
export class SseParser {
  #buf = "";
  push(chunk: string): { event: string; data: string }[] {
    this.#buf += chunk.replace(/\r\n?/g, "\n");
    const out: { event: string; data: string }[] = [];
    let i: number;
    while ((i = this.#buf.indexOf("\n\n")) >= 0) {
      const block = this.#buf.slice(0, i);
      this.#buf = this.#buf.slice(i + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) out.push({ event, data: data.join("\n") });
    }
    return out;
  }
}

export interface FollowOptions {
  signal: AbortSignal;
  onEvent(ev: VirtscaleEvent): void;
  /** The stream dropped or could not be opened (once per outage); it is retried after retryMs. */
  onLost(why: string): void;
  /** The stream is back after a loss. */
  onBack(): void;
  retryMs?: number;
}

/** Follow /v1/events until the signal aborts; each (re)connection starts with a tick of the current state. */
export async function followEvents(t: ApiTarget, o: FollowOptions): Promise<void> {
  const path = "/v1/events";
  let lost = false;
  while (!o.signal.aborted) {
    let why: string;
    try {
      const res = await fetch(t.base + path, { headers: headers(t, "text/event-stream"), signal: o.signal });
      if (!res.ok || !res.body) throw await failure(t, path, res);
      if (lost) {
        lost = false;
        o.onBack();
      }
      const parser = new SseParser();
      const dec = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const { event, data } of parser.push(dec.decode(value, { stream: true }))) {
          if (event === "overflow") continue; // we fell behind: the server closes, the reconnect brings a fresh tick
          try {
            o.onEvent(JSON.parse(data) as VirtscaleEvent);
          } catch {
            /* one bad event must not end the watch */
          }
        }
      }
      why = "the server ended the stream (virtscale up stopped?)";
    } catch (e) {
      if (o.signal.aborted) return;
      why = e instanceof ApiClientError ? e.message : unreachable(t, path, e).message;
    }
    if (!lost) {
      lost = true;
      o.onLost(why);
    }
    await new Promise<void>((r) => {
      const timer = setTimeout(r, o.retryMs ?? 2000);
      o.signal.addEventListener("abort", () => (clearTimeout(timer), r()), { once: true });
    });
  }
}
