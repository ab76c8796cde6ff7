// The Hono app: auth, counting, body validation and the error shape around
// the route table; 405 (with Allow) for known paths and 404 for the rest.
import { Hono } from "hono";
import { bearerOf, hostHeaderIsLoopback, originIsLoopback, tokenMatches } from "./auth.ts";
import { readJson, validate } from "./body.ts";
import { errorResponse, toApiError } from "./errors.ts";
import { ApiCounters } from "./prometheus.ts";
import { honoPath, type ApiDeps, type RouteDef } from "./route.ts";
import { legacyRoutes } from "./routes/legacy.ts";
import { observeRoutes } from "./routes/observe.ts";
import { scalerRoutes } from "./routes/scaler.ts";
import { snapshotRoutes } from "./routes/snapshots.ts";
import { vmRoutes } from "./routes/vms.ts";

export interface AppOptions {
  /** Every request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export function buildApp(deps: ApiDeps, opts: AppOptions = {}): { app: Hono; routes: RouteDef[]; counters: ApiCounters } {
  const counters = new ApiCounters();
  const routes: RouteDef[] = [];
  routes.push(
    ...legacyRoutes(),
    ...vmRoutes(),
    ...snapshotRoutes(),
    ...scalerRoutes(),
    ...observeRoutes({ counters, routes: () => routes, tokenRequired: !!opts.token }),
  );

  const app = new Hono();

  app.use("*", async (c, next) => {
    const t0 = performance.now();
    await next();
    const route = c.req.routePath && c.req.routePath !== "*" && c.req.routePath !== "/*" ? c.req.routePath.replace(/:(\w+)/g, "{$1}") : "unmatched";
    counters.count(c.req.method, route, c.res.status, (performance.now() - t0) / 1000);
  });

  app.use("*", async (c, next) => {
    if (opts.token) {
      const given = bearerOf(c.req.header("authorization") ?? null);
      if (given === null || !tokenMatches(given, opts.token))
        return errorResponse(401, given === null ? "missing Authorization: Bearer token" : "wrong token", { "www-authenticate": 'Bearer realm="virtscale"' });
    } else if (!hostHeaderIsLoopback(c.req.header("host") ?? null)) {
      // Without a token the API trusts local processes only; a browser sent here by DNS rebinding names another host.
      return errorResponse(403, `Host '${(c.req.header("host") ?? "").slice(0, 80)}' is not a loopback name (the API is bound to loopback without a token)`);
    } else if (!originIsLoopback(c.req.header("origin") ?? null)) {
      // A web page elsewhere can POST here without a preflight (an empty body needs no content type): refuse it.
      return errorResponse(403, `Origin '${(c.req.header("origin") ?? "").slice(0, 80)}' is not a page on this machine (cross-site requests are refused)`);
    }
    await next();
  });

  for (const r of routes) {
    app.on(r.method, honoPath(r.path), async (c) => {
      let body: unknown;
      if (r.request) {
        const raw = await readJson(c.req.raw, deps.maxBodyBytes);
        body = validate(r.request.schema, raw === undefined && !r.request.required ? {} : raw);
      }
      return r.handle({ req: c.req.raw, params: c.req.param() as Record<string, string>, query: new URL(c.req.url).searchParams, body }, deps);
    });
  }

  // Known paths with another method: 405 naming what is allowed (OPTIONS answers with the list).
  const allowed = new Map<string, Set<string>>();
  for (const r of routes) (allowed.get(r.path) ?? allowed.set(r.path, new Set()).get(r.path)!).add(r.method);
  for (const [path, methods] of allowed) {
    const allow = [...methods, ...(methods.has("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    app.all(honoPath(path), (c) =>
      c.req.method === "OPTIONS"
        ? new Response(null, { status: 204, headers: { allow } })
        : errorResponse(405, `${c.req.method} is not allowed on ${path} (allowed: ${allow})`, { allow }),
    );
  }

  app.notFound((c) => errorResponse(404, `no route for ${c.req.method} ${c.req.path.slice(0, 200)}`));
  app.onError((e) => {
    const a = toApiError(e);
    if (a.status >= 500) deps.store.error("api", e);
    return errorResponse(a.status, a.description, a.headers);
  });
  return { app, routes, counters };
}
