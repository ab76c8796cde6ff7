// startApi: the HTTP API of a virtscale run (contract in /tmp/team/contracts.md).
// `virtscale up --api HOST:PORT` calls it once the group runs.
import { dirname } from "node:path";
import type { Config } from "../config.ts";
import type { Group } from "../scaler/group.ts";
import type { LbLatencySource } from "../lb/metrics.ts";
import type { Store } from "../store.ts";
import type { VmManager } from "../vm/manager.ts";
import { buildApp } from "./app.ts";
import { checkBind } from "./auth.ts";
import { errorResponse } from "./errors.ts";
import type { ApiDeps } from "./route.ts";
import { serveFetch } from "./serve-runtime.ts";

export { ApiStartError } from "./auth.ts";

export interface StartApiOptions {
  listen: { host: string; port: number };
  store: Store;
  vms: VmManager;
  scaler?: Group;
  /** The balancer, for /metrics' latency histograms. */
  lb?: LbLatencySource;
  config: Config;
  /** Bearer token (default: config api.token); required when `listen.host` is not loopback. */
  token?: string;
  /** Ask for the token even on loopback (tests; shared machines). */
  requireToken?: boolean;
  /** Overrides of the directories paths are confined to. */
  snapshotDir?: string;
  kernelDir?: string;
}

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export function apiDeps(opts: StartApiOptions): ApiDeps {
  return {
    store: opts.store,
    vms: opts.vms,
    scaler: opts.scaler,
    lb: opts.lb,
    config: opts.config,
    snapshotDir: opts.snapshotDir ?? opts.vms.snapshotDir,
    kernelDir: opts.kernelDir ?? opts.config.vm.kernel_dir ?? (opts.vms.image ? dirname(opts.vms.image.kernel) : null),
    maxBodyBytes: opts.config.api.max_body_bytes,
  };
}

export async function startApi(opts: StartApiOptions): Promise<RunningApi> {
  // The caller passes config api.token or $VIRTSCALE_API_TOKEN (as `up` does); config alone is the fallback.
  const token = opts.token || opts.config.api.token || undefined;
  checkBind(opts.listen.host, token);
  if (opts.requireToken && !token) throw new Error("requireToken is set but no token was given");
  const { app } = buildApp(apiDeps(opts), { token });
  // A request line the runtime could not turn into a URL (HTTP/1.0 without Host, say) never reaches a route.
  const served = await serveFetch(
    (req) => (URL.canParse(req.url) ? app.fetch(req) : errorResponse(400, "the request URL cannot be parsed (is the Host header missing?)")),
    opts.listen,
  );
  const host = served.hostname.includes(":") ? `[${served.hostname}]` : served.hostname;
  return { url: `http://${host}:${served.port}`, close: () => served.close() };
}
