// Under a flood, timers (health sweeps, metric ticks) must still run: Bun's
// UDP receive loop has been reported to starve timers. The flood comes from a
// child process for ~2 s; a 100 ms interval must fire at least a few times.
// Timing-tolerant on purpose: this is about starvation, not speed.
import { afterEach, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { LbSchema } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import type { UdpEngine } from "../../src/net/udp.ts";
import { testClient, until } from "./client.ts";

const HERE = import.meta.dir;
const kids: ChildProcess[] = [];
afterEach(() => {
  for (const k of kids.splice(0)) if (k.exitCode === null && k.pid) process.kill(k.pid, "SIGKILL");
});

function child(args: string[]): { proc: ChildProcess; line: Promise<string> } {
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  kids.push(proc);
  const line = new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once("line", resolve);
    proc.once("exit", (c) => reject(new Error(`child ${args.join(" ")} exited ${c}`)));
  });
  return { proc, line };
}

describe.each(["batch", "bun", "node"] as UdpEngine[])("timers under a flood (%s engine)", (engine) => {
  test("a 100 ms interval keeps firing while the balancer is flooded for ~2 s", async () => {
    const backend = child([join(HERE, "backends.ts"), "work", "0"]);
    const bport = Number(await backend.line);
    const lb = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: LbSchema.parse({}), engine });
    const { port } = await lb.start();
    try {
      lb.addBackend("b0", { host: "127.0.0.1", port: bport });
      let fired = 0;
      const t = setInterval(() => fired++, 100);
      const sweepBefore = lb.timerRuns.sweep;
      const flood = child([join(HERE, "flood.ts"), String(port), "2"]);
      const sent = Number(await flood.line);
      clearInterval(t);
      // Requests held in the backlog during the flood are forwarded once it is over.
      expect(await until(() => lb.view().backlog === 0, 10000)).toBe(true);
      const v = lb.view().total;
      console.log(`${engine}: flood sent ${sent}, balancer got ${v.requestsIn}, answered ${v.answered}, dropped ${JSON.stringify(v.dropped)}, kernel drops ${v.kernelDrops}; interval fired ${fired}, sweeps ${lb.timerRuns.sweep - sweepBefore}`);
      expect(sent).toBeGreaterThan(1000);
      expect(v.requestsIn).toBeGreaterThan(1000);
      expect(fired).toBeGreaterThanOrEqual(4);
      expect(lb.timerRuns.sweep - sweepBefore).toBeGreaterThanOrEqual(4);
      // Whatever was shed is counted: nothing vanishes between in and out.
      const d = v.dropped;
      expect(v.forwarded + v.sendFailed + (d.overload ?? 0) + (d.no_backend ?? 0) + (d.backend_full ?? 0)).toBe(v.requestsIn);
      // And it still serves once the flood is over (after the backend's own
      // queue of flood requests is answered or timed out).
      await until(() => lb.view().total.inFlight === 0, 10000);
      const c = await testClient();
      try {
        c.send(3, port);
        const got = await c.waitFor(1, 10000);
        if (got !== 1) console.log("after the flood, no answer:", JSON.stringify(lb.view()));
        expect(got).toBe(1);
      } finally {
        await c.close();
      }
    } finally {
      await lb.close();
    }
  }, 30000);
});
