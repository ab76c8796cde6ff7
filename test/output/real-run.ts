// A real `virtscale up --json -c test:///default` with traffic that is
// answered: the test driver boots nothing, so once the group's first VM has
// its service address (the loopback forward port `up` allocated), a real
// `virtscale serve` is started on that port. The VM then answers its readiness
// probe, joins the balancer and serves the built-in load generator's requests,
// and every part of the run (scaler, balancer with a backend, load) shows up
// in the output. Used by the tests that check documents against the program.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
/** Small and cheap requests: the host's server answers in well under a millisecond. */
const WORK_SCALE = 10;

export type Line = Record<string, unknown> & { type?: string };

export interface UpRun {
  /** Every stdout line so far, parsed. */
  lines: Line[];
  stderr: () => string;
  apiUrl: string;
  /** Wait for a stdout line (also one already seen); throws with the output on timeout. */
  waitLine(pred: (l: Line) => boolean, what: string, ms?: number): Promise<Line>;
  /** A command line on up's stdin. */
  send(line: string): void;
  /** quit, wait for the exit, stop the server, remove the files: the exit code. */
  finish(): Promise<number | null>;
  /** The server's own --json lines (`serve`), parsed. */
  serveLines(): Line[];
}

export async function startUpRun(opts: { prefix: string; args?: string[]; config?: Record<string, unknown> }): Promise<UpRun> {
  const base = 38000 + Math.floor(Math.random() * 500) * 4;
  const dir = mkdtempSync(join(tmpdir(), `${opts.prefix}-`));
  const conf = join(dir, "config.json");
  writeFileSync(conf, JSON.stringify({ auto_scaler_domain_prefix: opts.prefix, req_num_low: 10, req_num_high: 100, ...opts.config, vm: { port_base: base + 2, work_scale: WORK_SCALE } }));
  const apiUrl = `http://127.0.0.1:${base + 1}`;
  const args = ["src/main.ts", "up", "-c", "test:///default", "--config", conf, "--json", "--listen", `127.0.0.1:${base}`, "--api", `127.0.0.1:${base + 1}`];
  const child = spawn(process.execPath, [...args, "--duration", "90", ...(opts.args ?? [])], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  const lines: Line[] = [];
  let out = "";
  let err = "";
  let server: ChildProcess | null = null;
  let serveOut = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  child.stderr!.on("data", (b: Buffer) => (err += b.toString("utf8")));
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString("utf8");
    let i;
    while ((i = out.indexOf("\n")) >= 0) {
      const l = out.slice(0, i);
      out = out.slice(i + 1);
      if (!l) continue;
      const o = JSON.parse(l) as Line;
      lines.push(o);
      // The first VM with an address: serve on its forward port (the test driver runs no guest).
      if (!server && o.type === "tick") {
        const vm = (o.vms as { address?: string; name: string }[]).find((v) => v.address && v.name.startsWith(opts.prefix));
        if (vm) {
          const port = vm.address!.split(":").pop()!;
          server = spawn(process.execPath, ["src/main.ts", "serve", "--host", "127.0.0.1", "--port", port, "--scale", String(WORK_SCALE), "--json", "--report", "1"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
          server.stdout!.on("data", (d: Buffer) => (serveOut += d.toString("utf8")));
        }
      }
    }
  });
  const run: UpRun = {
    lines,
    stderr: () => err,
    apiUrl,
    async waitLine(pred, what, ms = 45_000) {
      const t0 = Date.now();
      while (Date.now() - t0 < ms) {
        const hit = lines.find(pred);
        if (hit) return hit;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}; stdout:\n${lines.map((l) => JSON.stringify(l).slice(0, 400)).join("\n")}\nstderr:\n${err}`);
    },
    serveLines: () =>
      serveOut
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line),
    send(line) {
      child.stdin!.write(line + "\n");
    },
    async finish() {
      try {
        if (child.exitCode === null) child.stdin!.write("quit\n");
        const t = setTimeout(() => child.kill("SIGTERM"), 30_000);
        const code = await exited;
        clearTimeout(t);
        return code;
      } finally {
        if (server && server.exitCode === null) {
          const gone = new Promise((r) => server!.on("exit", r));
          server.kill("SIGTERM");
          await gone;
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return run;
}
