#!/usr/bin/env bun
// Development entry: the dashboard on any libvirt connection, without the
// balancer or the scaler (a read-only monitor fills the store). Useful to
// look at the dashboard on a host's existing VMs:
//   bun tui/dev.tsx -c test:///default
// `virtscale up` is the real entry; this one only watches.
import { parseArgs } from "node:util";
import { Connection, domainStateName } from "../ffi/index.ts";
import { cpuPercent, sampleCpu, type CpuSample } from "../ffi/cpu.ts";
import { Store } from "../src/store.ts";
import type { VmView } from "../src/events.ts";
import { runDashboard } from "./run.tsx";

const { values } = parseArgs({ options: { connect: { type: "string", short: "c" }, period: { type: "string" } } });
const uri = values.connect ?? process.env.LIBVIRT_DEFAULT_URI ?? "qemu:///system";
const periodS = Number(values.period ?? 1);

const conn = Connection.open(uri, { readOnly: true });
const store = new Store();
let prev: CpuSample | undefined;

function sample(): void {
  try {
    const cur = sampleCpu(conn);
    const list: VmView[] = [];
    for (const [uuid, d] of cur.domains) {
      list.push({
        name: d.name,
        uuid,
        state: domainStateName(d.state),
        role: "unmanaged",
        vcpus: d.vcpus,
        memoryKiB: d.memoryKiB,
        cpuPct: prev ? cpuPercent(prev, cur, uuid) : null,
      });
    }
    prev = cur;
    store.setVms(list);
    store.tick();
  } catch (e) {
    store.error("monitor", e);
  }
}

sample();
const timer = setInterval(sample, periodS * 1000);
store.register({ name: "quit", help: "leave the dashboard", run: () => undefined });
store.log(`watching ${uri} (read-only) every ${periodS} s`);
await runDashboard(store, { title: `dev ${uri}`, sampleSeconds: periodS });
clearInterval(timer);
conn.close();
