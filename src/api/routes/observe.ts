// Reading the run: /metrics (Prometheus text), /v1/events (server-sent events,
// the same events --json prints), /v1/state (the store at one instant: what a
// dashboard attaching to this run draws first), /openapi.json (this API, from
// the route table).
import { z } from "zod";
import { jsonLine } from "../../output/json-line.ts";
import type { EventType, VirtscaleEvent } from "../../events.ts";
import { openApiDoc } from "../openapi.ts";
import { renderMetrics, type ApiCounters } from "../prometheus.ts";
import { ApiError } from "../errors.ts";
import { errorDoc, json, type RouteDef } from "../route.ts";

/** A client that falls this many events behind is cut off (it reconnects and gets a fresh tick). */
const MAX_QUEUED = 2000;
const HEARTBEAT_MS = 15_000;
/** Every event type: a type added to events.ts fails type checking until it is listed here. */
const EVENT_TYPES: Record<EventType, true> = { tick: true, scale: true, vm: true, snapshot: true, error: true, log: true, summary: true, command: true };
const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.keys(EVENT_TYPES));

/** Events /v1/state returns by default (?events=N, up to the store's own limit). */
const STATE_EVENTS = 100;

/** GET /v1/state; loose where the store's views are (docs/json.md describes their fields). */
const StateSnapshot = z.object({
  tick: z.looseObject({ type: z.literal("tick"), ts: z.number(), vms: z.array(z.looseObject({ name: z.string() })) }),
  history: z.record(z.string(), z.array(z.number().nullable())).describe("CPU % per VM, oldest first, null = missing sample"),
  events: z.array(z.looseObject({ type: z.string(), ts: z.number() })).describe("the last events (no ticks), oldest first"),
  commands: z.array(z.string()).describe("the named commands this run registers (what the dashboard's keys call)"),
  busy: z.record(z.string(), z.string()).describe("operations in progress by VM, as the dashboard labels them"),
  period_s: z.number().describe("seconds between CPU samples (scaler.period_s)"),
});

export function observeRoutes(opts: { counters: ApiCounters; routes: () => RouteDef[]; tokenRequired: boolean }): RouteDef[] {
  return [
    {
      method: "GET",
      path: "/metrics",
      tags: ["observe"],
      summary: "Prometheus text format: process and build info, per-VM CPU, the scaler's state and scale events, balancer counters and latency histograms, API requests",
      responses: { 200: { description: "metrics", contentType: "text/plain; version=0.0.4" } },
      handle(_i, deps) {
        return new Response(renderMetrics(deps.store.state, opts.counters, { lb: deps.lb, group: deps.scaler }), {
          headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
        });
      },
    },
    {
      method: "GET",
      path: "/v1/events",
      tags: ["observe"],
      summary: "Server-sent events: the --json event stream (event: TYPE, data: one JSON event); starts with a tick of the current state",
      query: { types: `comma-separated event types to receive (default all): ${[...KNOWN_TYPES].join(",")}` },
      responses: { 200: { description: "an endless text/event-stream", contentType: "text/event-stream" }, 400: { description: "unknown event type" } },
      handle({ req, query }, deps) {
        const wanted = query.get("types");
        let filter: Set<string> | null = null;
        if (wanted !== null) {
          filter = new Set(wanted.split(",").map((t) => t.trim()).filter(Boolean));
          const bad = [...filter].filter((t) => !KNOWN_TYPES.has(t));
          if (bad.length) throw new ApiError(400, `types: unknown event type(s) ${bad.join(", ")} (known: ${[...KNOWN_TYPES].join(", ")})`);
        }
        if (filter?.size === 0) filter = null;
        const headers = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no" };
        // HEAD gets the headers only: a stream nobody reads would keep its store subscription forever.
        if (req.method === "HEAD") return new Response(null, { headers });
        const store = deps.store;
        const enc = new TextEncoder();
        let seq = 0;
        let cleanup = () => {};
        const body = new ReadableStream<Uint8Array>({
          start(ctrl) {
            const send = (text: string) => {
              if ((ctrl.desiredSize ?? 0) < -MAX_QUEUED) {
                ctrl.enqueue(enc.encode(`event: overflow\ndata: {"type":"overflow","message":"client too slow: reconnect"}\n\n`));
                cleanup();
                ctrl.close();
                return;
              }
              ctrl.enqueue(enc.encode(text));
            };
            const event = (ev: VirtscaleEvent) => {
              if (filter && !filter.has(ev.type)) return;
              send(`id: ${++seq}\nevent: ${ev.type}\ndata: ${jsonLine(ev)}\n\n`);
            };
            send(`: virtscale events\nretry: 2000\n\n`);
            event(store.tickEvent());
            const unsubscribe = store.subscribe((ev) => {
              try {
                event(ev);
              } catch {
                cleanup(); // the stream closed under us
              }
            });
            const beat = setInterval(() => {
              try {
                send(": ping\n\n");
              } catch {
                cleanup();
              }
            }, HEARTBEAT_MS);
            let done = false;
            cleanup = () => {
              if (done) return;
              done = true;
              unsubscribe();
              clearInterval(beat);
            };
          },
          cancel() {
            cleanup();
          },
        });
        return new Response(body, { headers });
      },
    },
    {
      method: "GET",
      path: "/v1/state",
      tags: ["observe"],
      summary: "The run's state at one instant: the current tick, each VM's CPU history, the last events, the registered commands",
      description: "What `virtscale top` reads before it follows /v1/events: together they are everything the dashboard draws.",
      query: { events: `how many of the last events to include (default ${STATE_EVENTS}, 0..the store's event limit)` },
      responses: { 200: { description: "the state", schema: StateSnapshot }, 400: errorDoc("events is not a whole number in range") },
      handle({ query }, deps) {
        const store = deps.store;
        const raw = query.get("events");
        const n = raw === null ? STATE_EVENTS : Number(raw);
        if (!Number.isInteger(n) || n < 0 || n > store.eventLimit) throw new ApiError(400, `events: expected a whole number 0..${store.eventLimit}, got '${raw}'`);
        const s = store.state;
        return json(200, {
          tick: store.tickEvent(),
          history: Object.fromEntries(s.cpuHistory),
          events: n === 0 ? [] : store.events().slice(-n),
          commands: store.listCommands().map((c) => c.name),
          busy: Object.fromEntries(s.busy),
          period_s: deps.config.scaler.period_s,
        });
      },
    },
    {
      method: "GET",
      path: "/openapi.json",
      tags: ["observe"],
      summary: "This API as an OpenAPI 3.1 document, generated from the route table and its zod schemas",
      responses: { 200: { description: "OpenAPI 3.1 document" } },
      handle() {
        return json(200, openApiDoc(opts.routes(), { tokenRequired: opts.tokenRequired }));
      },
    },
  ];
}
