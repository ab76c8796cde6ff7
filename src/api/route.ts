// One table of routes: the app registers them, /openapi.json describes them,
// and the 405 answers list their methods. A route that is not in the table
// does not exist anywhere.
import type { z } from "zod";
import { jsonLine } from "../output/json-line.ts";
import type { Config } from "../config.ts";
import type { Group } from "../scaler/group.ts";
import type { LbLatencySource } from "../lb/metrics.ts";
import type { Store } from "../store.ts";
import type { ManagedVm, VmManager } from "../vm/manager.ts";
import { ErrorResponse } from "./schemas.ts";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface ApiDeps {
  store: Store;
  vms: VmManager;
  scaler?: Group;
  /** The balancer's answer-latency histograms for /metrics (the store's view has percentiles only); absent without a balancer. */
  lb?: LbLatencySource;
  config: Config;
  /** Where snapshot paths must resolve (the VmManager's snapshot directory). */
  snapshotDir: string;
  /** Where kernel_path must resolve (config vm.kernel_dir, else the guest image's directory; null: none). */
  kernelDir: string | null;
  maxBodyBytes: number;
  /**
   * The group's VMs as listed just before a long operation began (operations
   * in flight: store.operations, where a second one on the same VM is a 409).
   * While one runs, GET /v1/vms answers from here: libvirtd can hold a domain
   * list call for seconds while a save or restore finishes, and the listing
   * runs on the thread the balancer shares.
   */
  listing?: { at: number; vms: ManagedVm[] };
}

export interface RouteInput {
  req: Request;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface RouteDef {
  method: Method;
  /** OpenAPI form: /v1/vms/{name}. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: Record<string, string>;
  query?: Record<string, string>;
  request?: { schema: z.ZodType; required: boolean };
  responses: Record<number, ResponseDoc>;
  handle(input: RouteInput, deps: ApiDeps): Promise<Response> | Response;
}

/** A documented error answer (the error shape). */
export const errorDoc = (description: string): ResponseDoc => ({ description, schema: ErrorResponse });
/** The path parameter of /v1/vms/{name}/... */
export const VM_NAME_PARAM = { name: "VM (domain) name" };

/** A JSON answer, serialized as --json and SSE serialize the store's values (bigint included). */
export function json(status: number, data: unknown, headers: Record<string, string> = {}): Response {
  return new Response(jsonLine(data), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** /v1/vms/{name} -> /v1/vms/:name (Hono's syntax). */
export const honoPath = (p: string) => p.replace(/\{(\w+)\}/g, ":$1");
