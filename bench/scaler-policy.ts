// The same load steps under the CPU policy (the assignment's thresholds,
// 80 % for 5 s) and the concurrency policy (requests in flight per VM, KPA
// panic window), on real QEMU guests (TCG) with a warm pool: how long from
// the load step to the new VM serving, and how many requests sent during the
// step timed out. One group (1..2 VMs, warm pool 1), policies alternating run
// by run so that both see the same host. Each run: low load (30 % of one VM,
// from the request cost measured per image and host) until the group is back
// at one VM with its pool refilled, then a step to high (120 % of one VM)
// held STEP_HOLD_S after the new VM serves. A request counts in the step when
// it was sent between the step and the end of the hold (the load generator's
// phase). `bun bench/scaler-policy.ts`; SCALER_BENCH_STEPS=N runs per policy
// (default 3); part of `bun run bench scaler`.
import { qemuRig, sleep, until, QEMU_URI, type QemuRig } from "../test/scaler/qemu-rig.ts";
import { median } from "../src/scaler/run.ts";
import { resolveRequestCost } from "../src/load/calibrate.ts";
import { defaultImageDir, findImage } from "../src/guest/image.ts";
import type { LoadPhaseView } from "../src/events.ts";
import { loadavg } from "node:os";

const STEPS = Number(process.env.SCALER_BENCH_STEPS ?? 3);
/** Seconds of high load after the new VM serves (the backlog clears; its timeouts still count). */
const STEP_HOLD_S = 8;
/** Seconds of low load before a step (the concurrency policy's stable window is 6 s). */
const SETTLE_S = 8;

type Policy = "threshold" | "concurrency";

export interface StepRun {
  policy: Policy;
  /** Load step to the scale-out decision, and to the new VM serving (ms). */
  stepToDecisionMs: number;
  stepToServingMs: number;
  decision: string;
  sent: number;
  answeredInTime: number;
  /** Not answered within lb.timeout_ms (late answers included), and of them answered late. */
  timedOut: number;
  late: number;
  p99Ms: number | null;
  /** Dropped by the balancer as backend_full during the step (a full backend's queue). */
  backendFull: number;
  /** How busy the host was: its 1-minute load average at the step, and the whole host's CPU % (virNodeGetCPUStats) in the period before it. */
  loadAvg: number;
  hostBusyPct: number | null;
}

export interface PolicySummary {
  policy: Policy;
  runs: number;
  medianStepToServingMs: number | null;
  medianStepToDecisionMs: number | null;
  medianTimedOut: number | null;
  totalTimedOut: number;
  totalSent: number;
}

/** Low load until the group is at one VM with its pool refilled, and stays so for SETTLE_S (a busy host can make a policy scale out at low load too: then again). */
async function settleLow(rig: QemuRig, phase: string): Promise<void> {
  const g = rig.run.group;
  const dump = () => ({ members: g.members().map((m) => [m.name, m.role, m.filling ?? false]), scaler: rig.store.state.scaler?.lastDecision });
  const settled = () => g.serving().length === 1 && !g.members().some((m) => m.role === "draining" || m.role === "starting" || m.filling) && g.actuator.warmReady().length === 1;
  rig.load.setRate("low", phase);
  for (let attempt = 0; ; attempt++) {
    await until("one VM serving and the warm pool refilled", settled, 300_000, dump);
    await sleep(SETTLE_S * 1000);
    if (settled()) return;
    if (attempt >= 5) throw new Error(`the group did not stay at one VM under low load: ${JSON.stringify(dump())}`);
  }
}

async function step(rig: QemuRig, policy: Policy, i: number): Promise<StepRun> {
  const g = rig.run.group;
  g.configure({ policy });
  await settleLow(rig, `low-${policy}-${i}`);
  const launches = g.summary.launches.length;
  const scales = rig.store.events().filter((e) => e.type === "scale").length;
  const full0 = rig.run.balancer.view().total.dropped.backend_full ?? 0;
  const phase = `step-${policy}-${i}`;
  const hostBusyPct = rig.store.state.scaler?.capacity?.hostBusyPct ?? null;
  const loadAvg = Math.round(loadavg()[0]! * 100) / 100;
  const t0 = Date.now();
  rig.load.setRate("high", phase);
  await until("the new VM to serve", () => g.serving().length === 2, 120_000, () => g.members().map((m) => [m.name, m.role]));
  const t1 = Date.now();
  await sleep(STEP_HOLD_S * 1000);
  rig.load.setRate("low", `after-${policy}-${i}`);
  // The step's requests are settled once the timeout has passed for the last one sent.
  await sleep(rig.config.lb.timeout_ms + 500);
  const p = rig.load.view().phases?.find((x: LoadPhaseView) => x.phase === phase);
  if (!p) throw new Error(`no load phase ${phase}`);
  const scale = rig.store.events().filter((e) => e.type === "scale").slice(scales).find((e) => e.type === "scale" && e.action === "out") as { ts: number; reason: string } | undefined;
  const rec = g.summary.launches.slice(launches).find((l) => l.servingAt !== undefined);
  return {
    policy,
    stepToDecisionMs: (scale?.ts ?? rec?.decisionAt ?? t1) - t0,
    stepToServingMs: (rec?.servingAt ?? t1) - t0,
    decision: scale?.reason ?? "(none recorded)",
    sent: p.sent,
    answeredInTime: p.answered,
    timedOut: p.timedOut,
    late: p.late,
    p99Ms: p.p99Ms,
    backendFull: (rig.run.balancer.view().total.dropped.backend_full ?? 0) - full0,
    loadAvg,
    hostBusyPct,
  };
}

function summarize(policy: Policy, runs: StepRun[]): PolicySummary {
  const mine = runs.filter((r) => r.policy === policy);
  return {
    policy,
    runs: mine.length,
    medianStepToServingMs: median(mine.map((r) => r.stepToServingMs)),
    medianStepToDecisionMs: median(mine.map((r) => r.stepToDecisionMs)),
    medianTimedOut: median(mine.map((r) => r.timedOut)),
    totalTimedOut: mine.reduce((a, r) => a + r.timedOut, 0),
    totalSent: mine.reduce((a, r) => a + r.sent, 0),
  };
}

export async function runPolicyBench(): Promise<{ table: string; results: { runs: StepRun[]; threshold: PolicySummary; concurrency: PolicySummary } }> {
  // The default request mix and timeout, as `up` and the demo run them (the rig's are for its tests).
  const rig = await qemuRig({ min: 1, max: 2, source: "warm", warm_pool: 1 }, { auto_scaler_load_minimum_seconds: 5, req_num_low: 2000, req_num_high: 20000, lb: { timeout_ms: 2000, drain_timeout_s: 10 } });
  const runs: StepRun[] = [];
  try {
    const g = rig.run.group;
    await until("the first VM", () => g.serving().length === 1, 180_000);
    const image = findImage(rig.config.vm.image_dir ?? defaultImageDir());
    const cost = await resolveRequestCost({ store: rig.store, uri: QEMU_URI, config: rig.config, image, loadInFlight: () => rig.load.view().inFlight });
    rig.load.setCost(cost);
    for (let i = 0; i < STEPS; i++) for (const policy of ["threshold", "concurrency"] as const) runs.push(await step(rig, policy, i));
  } finally {
    await rig.close();
  }
  const t = summarize("threshold", runs);
  const c = summarize("concurrency", runs);
  const s = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`);
  const ratio = (a: number | null, b: number | null) => (a && b ? `${(a / b).toFixed(1)}×` : b === 0 && a ? "∞" : "-");
  const row = (r: StepRun) =>
    `| ${r.policy} | ${s(r.stepToDecisionMs)} | ${s(r.stepToServingMs)} | ${r.sent} | ${r.answeredInTime} | ${r.timedOut} (${r.late} late) | ${r.backendFull} | ${r.p99Ms === null ? "-" : Math.round(r.p99Ms)} ms | ${r.loadAvg} / ${r.hostBusyPct ?? "-"} % | ${r.decision} |`;
  const table = [
    `Load steps low (30 % of one VM) → high (120 %) on one VM with a warm pool of 1, ${STEPS} runs per policy, alternating; a request counts in the step when sent from the step to ${STEP_HOLD_S} s after the new VM serves.`,
    "",
    "| policy | step → decision | step → serving | sent | in time | timed out | backend_full | p99 | host load / busy | decision |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...runs.map(row),
    "",
    `Medians: step → serving ${s(t.medianStepToServingMs)} (CPU) vs ${s(c.medianStepToServingMs)} (concurrency), ${ratio(t.medianStepToServingMs, c.medianStepToServingMs)} faster; timed out per step ${t.medianTimedOut} vs ${c.medianTimedOut} (${ratio(t.medianTimedOut, c.medianTimedOut)} fewer). Goal: the concurrency policy at least halves both.`,
  ].join("\n");
  return { table, results: { runs, threshold: t, concurrency: c } };
}

if (import.meta.main) {
  const { table, results } = await runPolicyBench();
  console.log(table);
  console.error(JSON.stringify(results));
}
