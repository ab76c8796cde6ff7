// Starts the API on 127.0.0.1 port 0 against test:///default and prints one
// JSON line {"url": ...} to stdout; runs until stdin closes. Used by
// deno.test.ts under `deno run -A` (and runnable under bun the same way).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config.ts";
import { startApi } from "../../src/api/server.ts";
import { Store } from "../../src/store.ts";
import { VmManager } from "../../src/vm/manager.ts";

const prefix = process.argv[2] ?? `vst-api-deno${Math.random().toString(36).slice(2, 8)}`;
const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
writeFileSync(join(root, "vmlinuz-test"), "not a kernel\n");
const config = parseConfig({ auto_scaler_domain_prefix: prefix, vm: { snapshot_dir: join(root, "snapshots"), kernel_dir: root } });
const vms = new VmManager({ uri: "test:///default", config, image: { kernel: join(root, "vmlinuz-test"), initrd: join(root, "initrd"), cmdline: "", id: "test" }, group: prefix });
const store = new Store();
const api = await startApi({ listen: { host: "127.0.0.1", port: 0 }, store, vms, config });
process.stdout.write(JSON.stringify({ url: api.url, runtime: "Deno" in globalThis ? "deno" : "bun" }) + "\n");

const stop = async () => {
  await api.close();
  for (const v of vms.listOwned().filter((x) => x.group === prefix)) await vms.destroy(v.name).catch(() => {});
  await vms.close();
  rmSync(root, { recursive: true, force: true });
  process.exit(0);
};
// "listeners" on stdin: how many store subscribers (SSE clients) are left, as a JSON line.
process.stdin.on("data", (d) => {
  if (String(d).includes("listeners")) process.stdout.write(JSON.stringify({ listeners: (store as unknown as { listeners: Set<unknown> }).listeners.size }) + "\n");
});
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
