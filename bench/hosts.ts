// Two libvirt hosts (testbed hosts 8 and 9: scripts/testbed.sh, each its own
// libvirtd on TCP in a network namespace, a routed libvirt network with DHCP),
// side by side with the local qemu:///system in the same run:
//   1. decision -> serving of a scale-out placed on the other host (the group
//      of 1 on host 8 goes to 2: placement puts the new VM on host 9, booted
//      there over qemu+tcp, reached at its DHCP lease), against the same
//      scale-out on qemu:///system (a loopback forward); ROUNDS each, medians;
//   2. the balancer's answer rate to one guest at its leased address against
//      one guest behind a loopback forward: bench/lb-driver.ts's saturating
//      closed loop through the in-process balancer, the guests at work scale 0
//      (an answer is n itself: the path is measured, not the work function);
//      ROUNDS alternating rounds, median of the per-round ratios.
// `bun run bench hosts` (root: it brings testbed hosts 8-9 up and down).
import { qemuRig, qemuUnavailable, sleep, until, type QemuRig } from "../test/scaler/qemu-rig.ts";
import { hostsRig, type HostsRig } from "../test/testbed/hosts-rig.ts";
import { testbedDown, testbedUnavailable, testbedUp, type TestbedHost } from "../test/testbed/testbed.ts";
import { median } from "../src/scaler/run.ts";
import { runDriver } from "./lb.ts";
import type { DriverResult } from "./lb-driver.ts";

const ROUNDS = Number(process.env.HOSTS_BENCH_ROUNDS ?? 3);
const DRIVE_S = Number(process.env.HOSTS_BENCH_SECONDS ?? 5);

type G = QemuRig["run"]["group"];

/** +1 on a group of 1 (paused policy): decision -> serving of the new VM; `where` checks where it went. */
async function scaleOutOnce(g: G, where?: (name: string) => void): Promise<number> {
  const n = g.summary.launches.length;
  g.scaleBy(1, "bench");
  await until("the new VM serving", () => g.serving().length === 2, 240_000, () => g.members().map((m) => [m.name, m.role]));
  const rec = g.summary.launches.slice(n).find((l) => l.decisionToServingMs !== undefined);
  if (!rec) throw new Error("no launch record for the scale-out");
  where?.(rec.name);
  return rec.decisionToServingMs!;
}

async function scaleInOnce(g: G): Promise<void> {
  g.scaleBy(-1, "bench");
  await until("back to 1", () => g.members().filter((m) => m.role === "serving" || m.role === "draining").length === 1, 120_000);
  await g.settle();
}

const fmtS = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`);

export async function runHostsBench(): Promise<{ table: string; results: object }> {
  const skip = qemuUnavailable() ?? testbedUnavailable();
  if (skip) throw new Error(skip);
  const hosts = testbedUp(8, 9);
  const [h8, h9] = hosts as [TestbedHost, TestbedHost];
  let two: HostsRig | undefined;
  let local: QemuRig | undefined;
  try {
    // Work scale 0 (answers are n): the driver checks each answer, and the rate is the path's, not the guest's work.
    const lb = { timeout_ms: 2000, drain_timeout_s: 5, max_in_flight_per_backend: 0 };
    two = await hostsRig([{ uri: h8.uri }, { uri: h9.uri }], { scaler: { min: 1, max: 2 }, extra: { vm: { network: "network", network_name: "vsnet", work_scale: 0 }, lb } });
    local = await qemuRig({ min: 1, max: 2, paused: true }, { vm: { port_base: 33000 + Math.floor(Math.random() * 90) * 10, work_scale: 0 }, lb });
    const g2 = two.run.group;
    const gl = local.run.group;
    await until("the first VM of each group", () => g2.serving().length === 1 && gl.serving().length === 1, 240_000);
    const first = g2.serving()[0]!.name;
    if (two.set.hostOf(first) !== h8.uri) throw new Error(`the first VM went to ${two.set.hostOf(first)}, not host 8`);

    // 1. Scale-out to the other host vs on the local host, alternating.
    const remoteMs: number[] = [];
    const localMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      remoteMs.push(await scaleOutOnce(g2, (name) => {
        const on = two!.set.hostOf(name);
        if (on !== h9.uri) throw new Error(`round ${i}: the scale-out went to ${on}, not the other host ${h9.uri}`);
      }));
      await scaleInOnce(g2);
      localMs.push(await scaleOutOnce(gl));
      await scaleInOnce(gl);
      console.error(`bench hosts: round ${i + 1}: scale-out to host 9 ${remoteMs.at(-1)} ms, on qemu:///system ${localMs.at(-1)} ms`);
    }

    // 2. The balancer's rate to one guest at its lease vs one behind a loopback forward (one VM each now).
    const leased: DriverResult[] = [];
    const forwarded: DriverResult[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = await runDriver(two.run.front.port, DRIVE_S, 4, 16);
      await sleep(500);
      const b = await runDriver(local.run.front.port, DRIVE_S, 4, 16);
      await sleep(500);
      leased.push(a);
      forwarded.push(b);
      ratios.push(a.perSecond / Math.max(1, b.perSecond));
      console.error(`bench hosts: round ${i + 1}: leased ${a.perSecond.toFixed(0)}/s (p50 ${a.p50Ms} ms, wrong ${a.wrong}), loopback forward ${b.perSecond.toFixed(0)}/s (p50 ${b.p50Ms} ms, wrong ${b.wrong})`);
    }
    const med = (xs: number[]) => median(xs);
    const rate = (rs: DriverResult[]) => med(rs.map((r) => r.perSecond))!;
    const p50 = (rs: DriverResult[]) => med(rs.flatMap((r) => (r.p50Ms === null ? [] : [r.p50Ms])));
    const wrong = (rs: DriverResult[]) => rs.reduce((s, r) => s + r.wrong, 0);
    const table = [
      `Decision (+1) to the new VM's first correct answer, median of ${ROUNDS} (alternating): a group of 1 on testbed host 8 scaling out onto host 9 (placed there by free room; booted over qemu+tcp, reached at its DHCP lease) vs the same scale-out on the local qemu:///system (loopback forward). Both cold boots under TCG.`,
      "",
      "| scale-out | median decision → serving | range |",
      "|---|---|---|",
      `| onto the other host (testbed 9) | ${fmtS(med(remoteMs))} | ${fmtS(Math.min(...remoteMs))} – ${fmtS(Math.max(...remoteMs))} |`,
      `| local qemu:///system | ${fmtS(med(localMs))} | ${fmtS(Math.min(...localMs))} – ${fmtS(Math.max(...localMs))} |`,
      "",
      `Remote / local: ${(med(remoteMs)! / med(localMs)!).toFixed(2)}×.`,
      "",
      `The balancer's answer rate to one guest (work scale 0: an answer is n), bench/lb-driver.ts's closed loop (4 sockets × 16 in flight, ${DRIVE_S} s), median of ${ROUNDS} alternating rounds:`,
      "",
      "| backend path | answers/s | p50 | wrong |",
      "|---|---|---|---|",
      `| leased address on a routed libvirt network (testbed host 8) | ${rate(leased).toFixed(0)} | ${p50(leased)} ms | ${wrong(leased)} |`,
      `| QEMU loopback forward (qemu:///system) | ${rate(forwarded).toFixed(0)} | ${p50(forwarded)} ms | ${wrong(forwarded)} |`,
      "",
      `Leased / forwarded: ${med(ratios)!.toFixed(2)}× (median of per-round ratios). Both are bound by the TCG guest, not the balancer (bench lb: the balancer relays ~140k answers/s).`,
    ].join("\n");
    return { table, results: { rounds: ROUNDS, remoteMs, localMs, leased, forwarded, ratios } };
  } finally {
    await two?.close().catch(() => {});
    await local?.close().catch(() => {});
    testbedDown(hosts);
  }
}

if (import.meta.main) {
  const { table } = await runHostsBench();
  console.log(table);
}
