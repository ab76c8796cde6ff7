#!/usr/bin/env bun
// Development entry: the dashboard on any libvirt connection, without the
// balancer or the scaler (a read-only monitor fills the store). Useful to
// look at the dashboard on a host's existing VMs:
//   bun tui/dev.tsx -c test:///default
// `virtscale up` is the real entry; this one only watches.
import { parseArgs } from "node:util";
import { Connection, cpuStats } from "../ffi/index.ts";
import { CpuMeter } from "../src/scaler/monitor.ts";
import { Store } from "../src/store.ts";
import { runDashboard } from "./run.tsx";

const { values } = parseArgs({ options: { connect: { type: "string", short: "c" }, period: { type: "string" } } });
const uri = values.connect ?? process.env.LIBVIRT_DEFAULT_URI ?? "qemu:///system";
const periodS = Number(values.period ?? 1);

const conn = Connection.open(uri, { readOnly: true });
const store = new Store();
// The monitor's CPU %: the dashboard shows what the scaler would act on.
const meter = new CpuMeter();

function sample(): void {
  try {
    const readings = meter.read(cpuStats(conn), performance.now(), (s) => s.uuid);
    store.setVms(readings.map((r) => ({ ...r, role: "unmanaged" })));
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
