// Balancer benchmark: the same saturating driver against
//   1. one backend directly (the limit),
//   2. nginx's stream UDP proxy, per request (proxy_requests 1 + proxy_responses 1),
//   3. nginx's stream UDP proxy in its default sticky mode (a session per client address),
//   4. virtscale's balancer (`virtscale lb`, round robin) as configured by
//      default: the batch engine (recvmmsg/sendmmsg),
//   5. the Bun.udpSocket engine (upstream; node:dgram front),
//   6. the node:dgram engine,
//   7. optionally, the default balancer of another checkout, "virtscale lb @
//      REV" ($LB_BENCH_BASELINE=/path/to/checkout, e.g. a `git worktree` of an
//      older commit with node_modules linked in): the relay before and after a
//      change, in the same rounds, run back to back (their order alternates
//      from round to round),
// side by side in one run. Two backends answer at once (scale 0: the answer is
// n itself), both in one child process. The driver is a closed loop in its own
// process: S sockets with W requests in flight each, the request value is a
// sequence number so every answer is matched to its request exactly (latency
// and loss are exact). Everything on 127.0.0.1.
//
//   bun bench/lb.ts                 the whole run, markdown table on stdout
// The backends and the driver are child processes (bench/lb-driver.ts).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { DriverResult } from "./lb-driver.ts";
import { kernelUdpDrops } from "../src/net/kernel-drops.ts";
import { errorMessage } from "../src/errors.ts";
import { ephemeralUdpPort } from "../src/vm/ports.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const BUN = process.execPath;
const CHILD = join(HERE, "lb-driver.ts");

// ---------------- orchestration ----------------
function firstLine(p: ChildProcess, onLater?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: p.stdout! });
    let first = true;
    rl.on("line", (l) => {
      if (first) {
        first = false;
        resolve(l);
      } else onLater?.(l);
    });
    p.once("exit", (code) => reject(new Error(`child exited (${code}) before its first line`)));
  });
}

export async function runDriver(port: number, seconds: number, sockets: number, window: number): Promise<DriverResult> {
  const p = spawn(BUN, [CHILD, "driver", String(port), String(seconds), String(sockets), String(window)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(await firstLine(p)) as DriverResult;
}

function kill(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    const t = setTimeout(() => {
      if (p.pid) process.kill(p.pid, "SIGKILL");
    }, 3000);
    p.once("exit", () => {
      clearTimeout(t);
      r();
    });
    if (p.pid) process.kill(p.pid, "SIGTERM");
  });
}

async function startNginx(dir: string, backends: number[], perRequest: boolean): Promise<{ port: number; proc: ChildProcess }> {
  const port = await ephemeralUdpPort();
  const conf = `load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 65536; }
stream {
  upstream be { ${backends.map((p) => `server 127.0.0.1:${p};`).join(" ")} }
  server {
    listen 127.0.0.1:${port} udp rcvbuf=4194304 sndbuf=4194304;
    proxy_pass be;
    proxy_timeout 2s;
    ${perRequest ? "proxy_requests 1;\n    proxy_responses 1;" : ""}
  }
}
`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  const proc = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")], { stdio: ["ignore", "ignore", "pipe"] });
  // Ready when the pid file appears.
  for (let i = 0; i < 100 && !existsSync(join(dir, "nginx.pid")); i++) {
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!existsSync(join(dir, "nginx.pid"))) {
    let err = "";
    try {
      err = readFileSync(join(dir, "error.log"), "utf8");
    } catch {}
    throw new Error(`nginx did not start: ${err}`);
  }
  return { port, proc };
}

/** The last NDJSON summary each virtscale child printed (counters the driver cannot see). */
const lbSummaries: Record<string, unknown>[] = [];

// --max-in-flight 0: the driver keeps S x W requests in flight on purpose (saturating closed loop); nginx has no per-backend cap either.
async function startVirtscale(backends: number[], engine: "auto" | "batch" | "bun" | "node", root = ROOT, tag: string = engine): Promise<{ port: number; proc: ChildProcess }> {
  const args = [join(root, "src/main.ts"), "lb", "--json", "--listen", "127.0.0.1:0", "--engine", engine, "--max-in-flight", "0", ...backends.flatMap((p) => ["--backend", `127.0.0.1:${p}`])];
  const proc = spawn(BUN, args, { stdio: ["ignore", "pipe", "inherit"] });
  const hello = JSON.parse(
    await firstLine(proc, (l) => {
      if (l.includes('"type":"summary"')) {
        const lb = JSON.parse(l).lb as { total: Record<string, unknown>; io?: Record<string, number> };
        lbSummaries.push({ engine: tag, ...lb.total, io: lb.io });
      }
    }),
  ) as { listen: string };
  return { port: Number(hello.listen.split(":").pop()), proc };
}

/** A fresh folder under `dir` (one per nginx instance). */
function mk(dir: string, name: string): string {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  return p;
}

export interface LbBenchOptions {
  /** Seconds per row per round (default $LB_BENCH_SECONDS, 3). */
  seconds?: number;
  /** Rounds: every row runs once per round, rows interleaved; a row reports its median round (default $LB_BENCH_ROUNDS, 3). */
  rounds?: number;
  sockets?: number;
  window?: number;
}

export async function runLbBench(opts: LbBenchOptions = {}): Promise<{ table: string; results: Record<string, DriverResult | { error: string }> }> {
  const seconds = opts.seconds ?? Number(process.env.LB_BENCH_SECONDS ?? 3);
  const rounds = opts.rounds ?? Number(process.env.LB_BENCH_ROUNDS ?? 3);
  const runs: Record<string, (DriverResult | { error: string })[]> = {};
  const sockets = opts.sockets ?? Number(process.env.LB_BENCH_SOCKETS ?? 16);
  const window = opts.window ?? Number(process.env.LB_BENCH_WINDOW ?? 16);
  const dir = mkdtempSync(join(tmpdir(), "vst-lb-bench-"));
  const children: ChildProcess[] = [];
  const results: Record<string, DriverResult | { error: string }> = {};
  const baseline = baselineRow();
  try {
    const resp = spawn(BUN, [CHILD, "responder"], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(resp);
    const { ports } = JSON.parse(await firstLine(resp)) as { ports: number[] };
    const scenarios: [string, () => Promise<{ port: number; proc?: ChildProcess }>][] = [
      ["direct (one backend)", async () => ({ port: ports[0]! })],
      ["nginx per-request", () => startNginx(mk(dir, "n1"), ports, true)],
      ["nginx sticky (default)", () => startNginx(mk(dir, "n2"), ports, false)],
      ["virtscale lb (default: batch engine)", () => startVirtscale(ports, "auto")],
      ["virtscale, Bun.udpSocket engine", () => startVirtscale(ports, "bun")],
      ["virtscale, node:dgram engine", () => startVirtscale(ports, "node")],
    ];
    if (baseline) scenarios.splice(4, 0, [baseline.name, () => startVirtscale(ports, "auto", baseline.root, "baseline")]);
    const only = process.env.LB_BENCH_ONLY ? new RegExp(process.env.LB_BENCH_ONLY) : null;
    // Rows interleaved round after round, so a burst of load from elsewhere on
    // the (shared) machine does not land on one row only.
    for (let round = 0; round < rounds; round++) {
      // The baseline and the default row swap places every other round, so neither always runs first.
      const order = baseline && round % 2 === 1 ? [...scenarios.slice(0, 3), scenarios[4]!, scenarios[3]!, ...scenarios.slice(5)] : scenarios;
      for (const [name, start] of order) {
        if (only && !only.test(name)) continue;
        let proc: ChildProcess | undefined;
        let r: DriverResult | { error: string };
        try {
          const s = await start();
          proc = s.proc;
          if (proc) children.push(proc);
          await new Promise((r) => setTimeout(r, 300));
          const pids = proc?.pid ? [proc.pid, ...childPids(proc.pid)] : [];
          const before = pids.map(cpuTicks);
          const backendDrops = () => ports.reduce((a, p) => a + (kernelUdpDrops(p) ?? 0), 0);
          const dropsBefore = backendDrops();
          r = await runDriver(s.port, seconds, sockets, window);
          if (!("error" in r)) r.lostAtBackends = backendDrops() - dropsBefore;
          if (pids.length > 0 && !("error" in r)) {
            const res = r;
            const after = pids.map(cpuTicks);
            const d = (k: 0 | 1) => after.reduce((a, t, i) => a + t[k] - before[i]![k], 0);
            const perAnswer = (ticks: number) => Math.round((ticks * 10_000) / Math.max(1, res.perSecond * res.seconds) * 10) / 10;
            // Jiffies (10 ms) over the whole driver run, including its loss wait.
            res.cpuUsPerAnswer = { user: perAnswer(d(0)), sys: perAnswer(d(1)) };
          }
        } catch (e) {
          r = { error: (e as Error).message };
        } finally {
          await kill(proc);
        }
        (runs[name] ??= []).push(r);
      }
    }
    for (const [name, rs] of Object.entries(runs)) {
      const ok = rs.filter((r): r is DriverResult => !("error" in r)).sort((a, b) => a.perSecond - b.perSecond);
      if (ok.length === 0) {
        results[name] = rs[0]!;
        continue;
      }
      // The median round by throughput, with the loss of every round; `rounds` in run order.
      const inOrder = rs.map((r) => ("error" in r ? 0 : r.perSecond));
      results[name] = { ...ok[Math.floor(ok.length / 2)]!, lost: ok.reduce((a, r) => a + r.lost, 0), lostAtBackends: ok.reduce((a, r) => a + (r.lostAtBackends ?? 0), 0), rounds: inOrder } as DriverResult;
    }
    // Ratios paired by round (the rows of a round run minutes apart at most,
    // so a slow spell of the shared host weighs on both sides), then the median.
    const paired = (name: string, ref: string): number | null => {
      const a = runs[name], b = runs[ref];
      if (!a || !b) return null;
      const q: number[] = [];
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const x = a[i]!, y = b[i]!;
        if (!("error" in x) && !("error" in y) && y.perSecond > 0) q.push(x.perSecond / y.perSecond);
      }
      q.sort((u, v) => u - v);
      return q.length ? q[Math.floor(q.length / 2)]! : null;
    };
    for (const name of Object.keys(results)) {
      const r = results[name]!;
      if ("error" in r) continue;
      (r as DriverResult & { pairedVsDirect?: number | null; pairedVsNginx?: number | null }).pairedVsDirect = paired(name, "direct (one backend)");
      (r as DriverResult & { pairedVsNginx?: number | null }).pairedVsNginx = paired(name, "nginx per-request");
      if (baseline) (r as DriverResult & { pairedVsBaseline?: number | null }).pairedVsBaseline = paired(name, baseline.name);
    }
  } finally {
    for (const c of children) await kill(c);
    rmSync(dir, { recursive: true, force: true });
  }
  const summaries = lbSummaries.splice(0);
  return { table: table(results, { seconds, sockets, window, rounds, baseline: baseline?.name }) + batching(summaries), results: { ...results, virtscaleCounters: summaries } as never };
}

/** The peer row from $LB_BENCH_BASELINE (a checkout of another commit): its name names the commit. */
function baselineRow(): { name: string; root: string } | null {
  const root = process.env.LB_BENCH_BASELINE;
  if (!root) return null;
  if (!existsSync(join(root, "src/main.ts"))) throw new Error(`LB_BENCH_BASELINE=${root}: no src/main.ts there (a checkout of virtscale is needed)`);
  let rev: string;
  try {
    rev = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch (e) {
    throw new Error(`LB_BENCH_BASELINE=${root}: git rev-parse failed: ${errorMessage(e)}`);
  }
  return { name: `virtscale lb @ ${rev}`, root };
}

/** Datagrams per system call of the batch engine (the default row), from the balancers' own io counters (all rounds). */
function batching(summaries: Record<string, unknown>[]): string {
  const io = summaries.filter((x) => x.engine === "auto" && x.io).map((x) => x.io as Record<string, number>);
  if (io.length === 0) return "";
  const sum = (k: string) => io.reduce((a, x) => a + (x[k] ?? 0), 0);
  const per = (a: string, b: string) => (sum(b) > 0 ? (sum(a) / sum(b)).toFixed(1) : "-");
  return `\n\n- batch engine: ${per("received", "recvCalls")} datagrams per recvmmsg, ${per("sent", "sendCalls")} per sendmmsg, ${per("received", "turns")} per loop turn, ${sum("wakeups")} waker wakeups`;
}

/** utime and stime of a process, in clock ticks (1/100 s), from /proc (0, 0 once it is gone). */
function cpuTicks(pid: number): [number, number] {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return [Number(rest[11]), Number(rest[12])];
  } catch {
    return [0, 0];
  }
}

/** Direct children (nginx's worker under its master). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function table(results: Record<string, DriverResult | { error: string }>, p: { seconds: number; sockets: number; window: number; rounds: number; baseline?: string }): string {
  const ok = (r: DriverResult | { error: string } | undefined): r is DriverResult => !!r && !("error" in r);
  const direct = results["direct (one backend)"];
  const nginx = results["nginx per-request"];
  const rows = Object.entries(results).map(([name, r]) => {
    if (!ok(r)) return `| ${name} | error: ${r.error.replace(/\|/g, "/").slice(0, 80)} | | | | | | | |${p.baseline ? " |" : ""}`;
    const pr = r as DriverResult & { pairedVsDirect?: number | null; pairedVsNginx?: number | null; pairedVsBaseline?: number | null };
    const vsNginx = pr.pairedVsNginx != null ? pr.pairedVsNginx.toFixed(2) + "x" : ok(nginx) && nginx.perSecond > 0 ? (r.perSecond / nginx.perSecond).toFixed(2) + "x" : "-";
    const vsDirect = pr.pairedVsDirect != null ? pr.pairedVsDirect.toFixed(2) + "x" : ok(direct) && direct.perSecond > 0 ? (r.perSecond / direct.perSecond).toFixed(2) + "x" : "-";
    const all = (r as DriverResult & { rounds?: number[] }).rounds;
    const cpu = r.cpuUsPerAnswer ? `${r.cpuUsPerAnswer.user} + ${r.cpuUsPerAnswer.sys}` : "";
    const lost = r.lost > 0 && r.lostAtBackends ? `${r.lost} (${r.lostAtBackends} at the backends)` : String(r.lost);
    const vsBaseline = p.baseline ? ` ${pr.pairedVsBaseline != null ? pr.pairedVsBaseline.toFixed(2) + "x" : "-"} |` : "";
    return `| ${name} | ${r.perSecond} | ${r.p50Ms ?? "-"} | ${r.p99Ms ?? "-"} | ${lost} | ${vsNginx} | ${vsDirect} |${vsBaseline} ${cpu} | ${all ? all.join(", ") : ""} |`;
  });
  return [
    `Closed loop, ${p.sockets} client sockets x ${p.window} in flight, ${p.rounds} interleaved rounds of ${p.seconds} s per row (median round shown, lost summed over rounds; ratios: median of the per-round ratios, rows of a round run back to back), 2 backends answering at once, 127.0.0.1, 1 nginx worker (listen rcvbuf/sndbuf 4 MiB, like the balancer front).${p.baseline ? ` "${p.baseline}" is the default balancer of the checkout at $LB_BENCH_BASELINE, run right beside the default row (the two swap order every other round); its column is each row's median per-round ratio to it.` : ""}`,
    "",
    `| target | answers/s | p50 ms | p99 ms | lost | / nginx per-request | / direct |${p.baseline ? ` / ${p.baseline} |` : ""} proxy CPU µs per answer (user + sys) | answers/s per round (in run order) |`,
    `|---|---:|---:|---:|---:|---:|---:|${p.baseline ? "---:|" : ""}---:|---|`,
    ...rows,
  ].join("\n");
}

if (import.meta.main) {
  const { table, results } = await runLbBench();
  console.log(table);
  if (process.env.LB_BENCH_VERBOSE) console.log(JSON.stringify((results as Record<string, unknown>).virtscaleCounters, null, 1));
  process.exit(0);
}
