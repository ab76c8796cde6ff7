// The single binary: size, startup to the first --json line and to the first
// dashboard frame (in a real terminal, tmux), idle RSS of `up`. Run alone:
// `bun bench/binary.ts`; part "binary" of `bun run bench`.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../build.ts";
import { ephemeralUdpPort } from "../src/vm/ports.ts";

const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ms from spawn to the first complete stdout line of `up --json`. */
async function firstJsonLine(bin: string): Promise<number> {
  const port = await ephemeralUdpPort();
  const t0 = performance.now();
  const child = spawn(bin, ["up", "-c", "test:///default", "--source", "predefined", "--json", "--listen", `127.0.0.1:${port}`], { stdio: ["pipe", "pipe", "ignore"] });
  const ms = await new Promise<number>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) resolve(performance.now() - t0);
    });
    child.on("exit", (c) => reject(new Error(`up exited ${c} before a line`)));
  });
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return ms;
}

/** Idle RSS (MiB) of `up --json` after it ran `seconds` with no VMs and no load. */
async function idleRss(bin: string, seconds: number): Promise<number> {
  const port = await ephemeralUdpPort();
  const child = spawn(bin, ["up", "-c", "test:///default", "--source", "predefined", "--json", "--listen", `127.0.0.1:${port}`], { stdio: ["pipe", "ignore", "ignore"] });
  await sleep(seconds * 1000);
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return kb / 1024;
}

/** ms from starting the binary in a tmux pane to the dashboard's panels on screen. */
async function firstFrame(bin: string): Promise<number | null> {
  if (spawnSync("tmux", ["-V"]).status !== 0) return null;
  const session = `vst-bench-${randomBytes(3).toString("hex")}`;
  const port = await ephemeralUdpPort();
  spawnSync("tmux", ["new-session", "-d", "-s", session, "-x", "120", "-y", "40", "env", "-u", "CI", "sh"]);
  try {
    const t0 = performance.now();
    spawnSync("tmux", ["send-keys", "-t", session, `exec ${bin} up -c test:///default --source predefined --listen 127.0.0.1:${port}`, "Enter"]);
    while (performance.now() - t0 < 20_000) {
      const s = spawnSync("tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" }).stdout;
      if (s.includes("Autoscaler") && s.includes("Balancer")) return performance.now() - t0;
      await sleep(5);
    }
    throw new Error("no dashboard frame within 20 s");
  } finally {
    spawnSync("tmux", ["kill-session", "-t", session]);
  }
}

export async function runBinaryBench(): Promise<{ table: string; results: object }> {
  const dir = mkdtempSync(join(tmpdir(), "vst-bench-bin-"));
  try {
    const bin = join(dir, "virtscale");
    const t0 = performance.now();
    await compile(bin);
    const buildS = (performance.now() - t0) / 1000;
    const sizeMB = statSync(bin).size / 1e6;
    const json: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      json.push(await firstJsonLine(bin));
      const f = await firstFrame(bin);
      if (f !== null) frame.push(f);
    }
    const rss = await idleRss(bin, 5);
    const results = { sizeMB, buildS, firstJsonLineMs: median(json), firstFrameMs: frame.length ? median(frame) : null, idleRssMiB: rss, runs: RUNS };
    const table = [
      "| measure | value |",
      "|---|---:|",
      `| binary size (dist/virtscale, bun-linux-x64) | ${sizeMB.toFixed(1)} MB |`,
      `| build time (bun build.ts) | ${buildS.toFixed(1)} s |`,
      `| start to first --json line (up, test:///default), median of ${RUNS} | ${median(json).toFixed(0)} ms |`,
      `| start to first dashboard frame in tmux (up, test:///default), median of ${RUNS} | ${frame.length ? `${median(frame).toFixed(0)} ms` : "tmux missing"} |`,
      `| idle RSS of up --json after 5 s (no VMs, no load) | ${rss.toFixed(0)} MiB |`,
    ].join("\n");
    return { table, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) console.log((await runBinaryBench()).table);
