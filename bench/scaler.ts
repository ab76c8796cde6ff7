// Scale-out latency, cold boot vs warm pool, on real QEMU guests (TCG), and
// answers lost while scaling out and in under steady load.
//
// Decision to serving: from the moment the group decides +1 (Group.scaleTo
// stamps it; the same path the policy's decision takes) to the new VM's first
// correct protocol answer, after which it is in the balancer. Cold: VmManager
// create (define + boot). Warm: VmManager.start of a managed-saved pool VM
// (resume). Each run: +1, wait serving, -1, wait drained; steady load all along.
// Then the faults of test/scaler/chaos.qemu.test.ts, once each, under the same
// steady load (group of 2 + warm pool 1): libvirtd restarted, a serving VM
// destroyed, a serving VM's QEMU killed -9; what the load generator saw, time
// to out of rotation and to a replacement serving (needs root: it restarts
// the machine's libvirtd; SCALER_BENCH_FAULTS=0 leaves the faults out).
// `bun run bench scaler`; SCALER_BENCH_RUNS=3 for a shorter run.
import { qemuRig, qemuUnavailable, sleep, until, type QemuRig } from "../test/scaler/qemu-rig.ts";
import { ensureLibvirtd, Faults, faultTable, libvirtdPid, type FaultFigures } from "../test/scaler/faults.ts";
import { median } from "../src/scaler/run.ts";
import { runPolicyBench } from "./scaler-policy.ts";

const RUNS = Number(process.env.SCALER_BENCH_RUNS ?? 5);
const STEADY_RATE = process.env.SCALER_BENCH_RATE ?? "5/s";

interface PathResult {
  path: "cold" | "warm";
  runs: number;
  decisionToServingMs: number[];
  medianMs: number | null;
  lostOut: number[];
  lostIn: number[];
  sent: number;
}

const lostOf = (a: { timedOut: number; wrong: number }, b: { timedOut: number; wrong: number }) => b.timedOut - a.timedOut + (b.wrong - a.wrong);

async function measure(path: "cold" | "warm"): Promise<PathResult> {
  const rig: QemuRig = await qemuRig(
    path === "warm" ? { min: 1, max: 2, paused: true, source: "warm", warm_pool: 1 } : { min: 1, max: 2, paused: true, source: "template" },
  );
  const g = rig.run.group;
  const res: PathResult = { path, runs: 0, decisionToServingMs: [], medianMs: null, lostOut: [], lostIn: [], sent: 0 };
  const dump = () => g.members().map((m) => [m.name, m.role, m.filling ?? false]);
  const settleMs = rig.config.lb.timeout_ms + 500;
  try {
    await until("the first VM", () => g.serving().length === 1, 180_000, dump);
    if (path === "warm") await until("the warm pool", () => g.actuator.warmReady().length === 1, 180_000, dump);
    rig.load.setRate(STEADY_RATE);
    await sleep(3000);
    const sent0 = rig.load.view().sent;
    for (let i = 0; i < RUNS; i++) {
      const before = rig.load.view();
      const launches = g.summary.launches.length;
      g.scaleBy(1, "bench");
      await until("the new VM to serve", () => g.serving().length === 2, 180_000, dump);
      const rec = g.summary.launches.slice(launches).find((l) => l.decisionToServingMs !== undefined);
      if (!rec) throw new Error("no launch record");
      if (path === "warm" && rec.how !== "warm") throw new Error(`run ${i}: expected a warm start, got ${rec.how}`);
      res.decisionToServingMs.push(rec.decisionToServingMs!);
      await sleep(settleMs);
      const mid = rig.load.view();
      res.lostOut.push(lostOf(before, mid));
      g.scaleBy(-1, "bench");
      await until("the group to shrink", () => g.serving().length === 1 && !g.members().some((m) => m.role === "draining"), 120_000, dump);
      await sleep(settleMs);
      res.lostIn.push(lostOf(mid, rig.load.view()));
      if (path === "warm") await until("the warm pool", () => g.actuator.warmReady().length === 1, 180_000, dump);
      res.runs++;
    }
    res.sent = rig.load.view().sent - sent0;
  } finally {
    await rig.close();
  }
  res.medianMs = median(res.decisionToServingMs);
  return res;
}

/** Each fault once, under steady load through the balancer (test/scaler/faults.ts). */
async function measureFaults(): Promise<FaultFigures[]> {
  const rig = await qemuRig({ min: 2, max: 2, paused: true, source: "warm", warm_pool: 1 });
  const faults = new Faults(rig);
  try {
    await faults.steady(2);
    rig.load.setRate(STEADY_RATE === "5/s" ? "10/s" : STEADY_RATE); // ~5 requests/s per VM
    await sleep(3000);
    await faults.restartLibvirtd(5000);
    await faults.steady(2);
    await faults.killServing("destroy");
    await faults.steady(2);
    await faults.killServing("kill -9");
  } finally {
    faults.close();
    await ensureLibvirtd();
    await rig.close();
  }
  return faults.figures;
}

export async function runScalerBench(): Promise<{ table: string; results: object }> {
  const skip = qemuUnavailable();
  if (skip) throw new Error(skip);
  const cold = await measure("cold");
  const warm = await measure("warm");
  const faultsSkip = process.env.SCALER_BENCH_FAULTS === "0" ? "SCALER_BENCH_FAULTS=0" : process.getuid?.() !== 0 ? "not root" : libvirtdPid() === null ? "libvirtd's pid not found" : null;
  const faults = faultsSkip ? null : await measureFaults();
  // CPU policy vs concurrency policy on the same load steps (bench/scaler-policy.ts; SCALER_BENCH_POLICY=0 leaves it out).
  const policy = process.env.SCALER_BENCH_POLICY === "0" ? null : await runPolicyBench();
  const fmt = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(2)} s`);
  const row = (r: PathResult) =>
    `| ${r.path === "cold" ? "cold boot (template)" : "warm pool (managed save)"} | ${r.runs} | ${fmt(r.medianMs)} | ${fmt(Math.min(...r.decisionToServingMs))} – ${fmt(Math.max(...r.decisionToServingMs))} | ${r.lostOut.reduce((a, b) => a + b, 0)} | ${r.lostIn.reduce((a, b) => a + b, 0)} | ${r.sent} |`;
  const ratio = cold.medianMs && warm.medianMs ? (cold.medianMs / warm.medianMs).toFixed(1) : "-";
  const table = [
    `Decision (+1) to the new VM's first correct answer (then in the balancer), median of ${RUNS}; steady load ${STEADY_RATE} through the balancer all along.`,
    "",
    "| path | runs | median decision → serving | range | answers lost in scale-out | answers lost in scale-in | requests sent |",
    "|---|---|---|---|---|---|---|",
    row(cold),
    row(warm),
    "",
    `Warm pool is ${ratio}× faster than a cold boot (goal with the warm pool: < 1 s; goal for lost answers: 0).`,
    "",
    faults
      ? [
          "Faults under steady load through the balancer (group of 2 + warm pool 1, ~5 requests/s per VM), each once; lost = timed out and never answered; out of rotation and replacement serving counted from the fault:",
          "",
          faultTable(faults),
          "",
          "Goals: libvirtd restart 0 lost and the same members; destroy and kill -9 out of rotation < 200 ms, <= 1 lost per death.",
        ].join("\n")
      : `Faults: not measured (${faultsSkip}).`,
    "",
    policy ? policy.table : "CPU vs concurrency policy: not measured (SCALER_BENCH_POLICY=0).",
  ].join("\n");
  return { table, results: { runs: RUNS, rate: STEADY_RATE, cold, warm, faults, policy: policy?.results ?? null } };
}

if (import.meta.main) {
  const { table, results } = await runScalerBench();
  console.log(table);
  console.error(JSON.stringify(results));
}
