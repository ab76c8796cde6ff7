// The real dashboard in a real terminal: tmux runs it against libvirt's
// test:///default driver (no daemon); keys go in with send-keys, the screen
// comes back with capture-pane.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const BUN = process.execPath;
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const session = `vst-tui-${randomBytes(3).toString("hex")}`;

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}
const screen = () => tmux("capture-pane", "-p", "-t", session);
const flag = (name: string) => tmux("display", "-p", "-t", session, `#{${name}}`).trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(pred: (s: string) => boolean, what: string, ms = 30_000): Promise<string> {
  const t0 = Date.now();
  let s = "";
  while (Date.now() - t0 < ms) {
    s = screen();
    if (pred(s)) return s;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
}

/** Clear the pane and run `virtscale up` on test:///default in it (through `wrap`), its exit status printed after; returns the balancer's port. */
function startUp(wrap = (cmd: string) => cmd): number {
  const port = 35100 + Math.floor(Math.random() * 800);
  tmux("send-keys", "-t", session, "clear", "Enter");
  tmux("send-keys", "-t", session, `${wrap(`${BUN} src/main.ts up -c test:///default --source predefined --listen 127.0.0.1:${port}`)}; echo "exit=$?"`, "Enter");
  return port;
}
const exitedCleanly = (what: string) => waitFor((x) => /exit=0\s*\n\s*vst-prompt\$/.test(x), what);

afterAll(() => {
  if (hasTmux) spawnSync("tmux", ["kill-session", "-t", session]);
});

describe.skipIf(!hasTmux)("dashboard under tmux (test:///default)", () => {
  if (!hasTmux) console.warn("skipped: tmux is not installed (apt-get install tmux)");

  test("starts, shows the test domain, ? shows help, q quits and gives the shell back", async () => {
    // A plain shell with a known prompt; CI unset so Ink draws live frames (it only prints the last frame under CI).
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "env", "-u", "CI", "PS1=vst-prompt$ ", "sh");
    tmux("send-keys", "-t", session, `cd ${ROOT} && ${BUN} tui/dev.tsx -c test:///default`, "Enter");
    let s = await waitFor((x) => /▶ test\s+running/.test(x), "the test domain in the table");
    expect(s).toContain("NAME");
    expect(s).toContain("CPU %");
    expect(flag("cursor_flag")).toBe("0"); // Ink hides the cursor while it draws
    await waitFor((x) => /▶ test\s+running\s+unmanaged\s+2\s+\S+\s+\d+(\.\d)?%/.test(x), "a CPU % for test after two samples");

    tmux("send-keys", "-t", session, "?");
    s = await waitFor((x) => x.includes("Keys (greyed out"), "the help overlay");
    expect(s).toMatch(/s\s+snapshot the selected VM, keep it running \[snapshot\] \(not available in this mode\)/);
    expect(s).toContain("q/Ctrl-C");
    tmux("send-keys", "-t", session, "x");
    await waitFor((x) => !x.includes("Keys (greyed out") && x.includes("▶ test"), "help closed");

    tmux("send-keys", "-t", session, "+");
    await waitFor((x) => x.includes("not available in this mode"), "unregistered command refused");

    tmux("send-keys", "-t", session, "q");
    s = await waitFor((x) => /vst-prompt\$ \s*$/.test(x.trimEnd() + " "), "the shell prompt after q");
    expect(flag("cursor_flag")).toBe("1");
    expect(flag("alternate_on")).toBe("0");
    expect(flag("pane_current_command")).toBe("sh");
  }, 60_000);

  test("virtscale up: the dashboard shows the scaler and balancer; q runs quit and the program exits", async () => {
    const port = startUp();
    let s = await waitFor((x) => x.includes("Autoscaler · threshold") && x.includes(`Balancer · 127.0.0.1:${port}`), "the scaler and balancer panels");
    expect(s).toContain("up test:///default");
    tmux("send-keys", "-t", session, "?");
    s = await waitFor((x) => x.includes("Keys (greyed out"), "help");
    expect(s).toMatch(/\+\s+scale out by one VM \[scale\+1\]\s+║/); // up registers scale+1: not greyed out
    expect(s).toMatch(/S\s+snapshot the selected VM and halt it \[snapshot\]\s+║/); // and snapshot
    tmux("send-keys", "-t", session, "Escape");
    await waitFor((x) => !x.includes("Keys (greyed out"), "help closed");
    tmux("send-keys", "-t", session, "s");
    await waitFor((x) => x.includes("no VM selected to snapshot"), "snapshot refused without a VM");
    tmux("send-keys", "-t", session, "p");
    await waitFor((x) => x.includes("paused (p resumes)"), "the scaler paused through the pause command");
    tmux("send-keys", "-t", session, "q");
    await exitedCleanly("up's exit and the shell prompt");
    expect(flag("cursor_flag")).toBe("1");
    expect(flag("pane_current_command")).toBe("sh");
  }, 60_000);

  test("virtscale up: SIGTERM closes the dashboard, restores the terminal and ends the run", async () => {
    // In the foreground (a background job would be stopped when Ink takes the terminal); the pid comes through a file.
    const pidFile = join(tmpdir(), `${session}.pid`);
    const port = startUp((up) => `sh -c 'echo $$ > ${pidFile}; exec ${up}'`);
    await waitFor((x) => x.includes(`Balancer · 127.0.0.1:${port}`), "the dashboard");
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    rmSync(pidFile, { force: true });
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGTERM");
    await exitedCleanly("up's exit after SIGTERM");
    expect(flag("cursor_flag")).toBe("1");
  }, 60_000);
});
