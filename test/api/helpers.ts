// Shared set-up of the API tests: a real VmManager on a libvirt URI, a real
// store, the API on 127.0.0.1 port 0, private snapshot and kernel directories,
// and a clean-up that removes every domain of this run's group and the files;
// apiGroupRig adds a running Group (manual steps) and its Balancer behind it.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import { startApi, type StartApiOptions } from "../../src/api/server.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { Store } from "../../src/store.ts";
import type { GuestImage } from "../../src/guest/image.ts";
import { VmManager } from "../../src/vm/manager.ts";
import { Group } from "../../src/scaler/group.ts";

export const rand6 = () => Math.random().toString(36).slice(2, 8).padEnd(6, "0");

export interface ApiRig {
  url: string;
  prefix: string;
  root: string;
  snapshotDir: string;
  kernelDir: string;
  outsideDir: string;
  config: Config;
  store: Store;
  vms: VmManager;
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export interface RigOptions {
  uri?: string;
  image?: GuestImage;
  config?: Record<string, unknown>;
  token?: string;
  scaler?: (r: { config: Config; store: Store; vms: VmManager }) => Promise<Group> | Group;
  api?: Partial<StartApiOptions>;
}

/** A test-driver "image": the files exist (the kernel is what /create's kernel_path names), libvirt's test driver boots nothing. */
export function fakeImage(kernelDir: string): GuestImage {
  const kernel = join(kernelDir, "vmlinuz-test");
  writeFileSync(kernel, "not a kernel: test:///default does not boot it\n");
  return { kernel, initrd: join(kernelDir, "initrd-test"), cmdline: "console=ttyS0", id: "test-image" };
}

export async function apiRig(o: RigOptions = {}): Promise<ApiRig> {
  const prefix = `vst-api-${rand6()}`;
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const snapshotDir = join(root, "snapshots");
  const kernelDir = join(root, "kernels");
  const outsideDir = join(root, "outside");
  for (const d of [snapshotDir, kernelDir, outsideDir]) mkdirSync(d, { recursive: true });
  const config = parseConfig({
    auto_scaler_domain_prefix: prefix,
    ...o.config,
    vm: { snapshot_dir: snapshotDir, kernel_dir: kernelDir, port_base: 34000 + Math.floor(Math.random() * 90) * 10, ...(o.config?.vm as object) },
  });
  const store = new Store();
  const uri = o.uri ?? "test:///default";
  const vms = new VmManager({ uri, config, image: o.image ?? fakeImage(kernelDir), group: prefix });
  const scaler = o.scaler ? await o.scaler({ config, store, vms }) : undefined;
  const api = await startApi({ listen: { host: "127.0.0.1", port: 0 }, store, vms, config, scaler, token: o.token, ...o.api });
  const rig: ApiRig = {
    url: api.url,
    prefix,
    root,
    snapshotDir,
    kernelDir,
    outsideDir,
    config,
    store,
    vms,
    async req(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] ??= "application/json";
      }
      const r = await fetch(api.url + path, init);
      const text = await r.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: r.status, json, text, headers: r.headers };
    },
    async close() {
      await api.close();
      await scaler?.stop({ removeVms: true }).catch(() => {});
      // Every domain of this run's group, whatever state it is in.
      for (const vm of vms.listOwned().filter((v) => v.group === prefix)) await vms.destroy(vm.name).catch(() => {});
      await vms.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return rig;
}

export interface ApiGroupRig extends ApiRig {
  lb: Balancer;
  group: Group;
}

/** apiRig with a Group behind /v1/scaler (started, manual steps: the test steps it) on a real Balancer; `config` as apiRig's. */
export async function apiGroupRig(config: Record<string, unknown>): Promise<ApiGroupRig> {
  let lb!: Balancer;
  let group!: Group;
  const rig = await apiRig({
    config,
    scaler: async ({ config, store, vms }) => {
      lb = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: config.lb, store, workScale: 1 });
      await lb.start();
      group = new Group({ config, store, balancer: lb, vms, connect: () => Connection.open(vms.uri, { readOnly: true }), group: config.auto_scaler_domain_prefix, manual: true });
      await group.start();
      return group;
    },
  });
  const closeApi = rig.close;
  return Object.assign(rig, {
    lb,
    group,
    async close() {
      await closeApi();
      await lb.close();
    },
  });
}

/** Every file and directory under `dir` with size and mtime: compare before/after to see what was written. */
export function treeOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true })) {
      const full = join(p, e.name);
      const st = lstatSync(full);
      out.set(full, `${e.isDirectory() ? "d" : e.isSymbolicLink() ? "l" : "f"} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}
