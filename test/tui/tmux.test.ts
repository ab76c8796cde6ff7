// The real dashboard in a real terminal: tmux runs it against libvirt's
// test:///default driver (no daemon); keys go in with send-keys, the screen
// comes back with capture-pane.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const BUN = process.execPath;
const DENO = [join(ROOT, "node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));
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
    expect(flag("cursor_flag")).toBe("0"); // hidden while it draws
    expect(flag("alternate_on")).toBe("1"); // full screen, as htop and k9s
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
    expect(flag("alternate_on")).toBe("0");
  }, 60_000);

  test("virtscale up: q asks before removing the group's VMs; n keeps the run, y stops it", async () => {
    const port = 35100 + Math.floor(Math.random() * 800);
    tmux("send-keys", "-t", session, "clear", "Enter");
    // The template source: on the test driver the run defines and starts a VM of its own.
    tmux("send-keys", "-t", session, `${BUN} src/main.ts up -c test:///default --listen 127.0.0.1:${port}; echo "exit=$?"`, "Enter");
    await waitFor((x) => /virtscale-\d{4}\s+running\s+starting/.test(x), "the run's own VM");
    tmux("send-keys", "-t", session, "q");
    let s = await waitFor((x) => /Quit: stop the group and remove 1 VM \(virtscale-\d{4}\)\? y\/n/.test(x), "the question");
    tmux("send-keys", "-t", session, "n");
    s = await waitFor((x) => x.includes("cancelled") && !x.includes("y/n"), "cancelled");
    expect(flag("alternate_on")).toBe("1"); // still running
    tmux("send-keys", "-t", session, "C-c");
    await waitFor((x) => x.includes("(Ctrl-C again: yes)"), "the question after Ctrl-C");
    tmux("send-keys", "-t", session, "C-c");
    s = await exitedCleanly("up's exit after Ctrl-C twice");
    expect(s).toMatch(/removed virtscale-\d{4}/);
    expect(flag("alternate_on")).toBe("0");
  }, 60_000);

  test("NO_COLOR: the dashboard sends no colour escapes (bold and inverse stay); without it, colours", async () => {
    const colours = /\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;5;\d+|48;5;\d+)m/;
    const run = async (env: string) => {
      tmux("send-keys", "-t", session, "clear", "Enter");
      tmux("send-keys", "-t", session, `${env} ${BUN} tui/dev.tsx -c test:///default`, "Enter");
      await waitFor((x) => /▶ test\s+running/.test(x), "the test domain");
      const escaped = tmux("capture-pane", "-e", "-p", "-t", session);
      tmux("send-keys", "-t", session, "q");
      await waitFor((x) => /vst-prompt\$ \s*$/.test(x.trimEnd() + " "), "the prompt");
      return escaped;
    };
    const plainRun = await run("NO_COLOR=1");
    expect(plainRun).not.toMatch(colours);
    expect(plainRun).toMatch(/\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m/); // the selected row in inverse
    const coloured = await run("");
    expect(coloured).toMatch(colours);
    // An empty NO_COLOR is not set (no-color.org): colours stay.
    expect(await run("NO_COLOR=")).toMatch(colours);
  }, 90_000);

  test.skipIf(!DENO)(`the same dashboard under Deno (deno run -A src/main.ts up)${DENO ? "" : " (SKIPPED: deno not found)"}`, async () => {
    const port = 35100 + Math.floor(Math.random() * 800);
    tmux("send-keys", "-t", session, "clear", "Enter");
    tmux("send-keys", "-t", session, `${DENO} run -A src/main.ts up -c test:///default --listen 127.0.0.1:${port}; echo "exit=$?"`, "Enter");
    let s = await waitFor((x) => /virtscale-\d{4}\s+running\s+starting/.test(x) && x.includes(`Balancer · 127.0.0.1:${port}`), "the dashboard under Deno", 60_000);
    expect(flag("alternate_on")).toBe("1");
    tmux("send-keys", "-t", session, "P");
    await waitFor((x) => x.includes("CPU↓"), "P sorts by CPU");
    tmux("send-keys", "-t", session, "C-c");
    await waitFor((x) => x.includes("(Ctrl-C again: yes)"), "the question");
    tmux("send-keys", "-t", session, "C-c");
    s = await exitedCleanly("up's exit under Deno");
    expect(s).toMatch(/removed virtscale-\d{4}/);
    expect(flag("alternate_on")).toBe("0");
    expect(flag("cursor_flag")).toBe("1");
  }, 90_000);

  test("virtscale top: a second terminal watches a running up over its API, read-only; q leaves, up keeps running", async () => {
    const port = 35100 + Math.floor(Math.random() * 800);
    const api = port + 1000;
    tmux("send-keys", "-t", session, "clear", "Enter");
    tmux("send-keys", "-t", session, `${BUN} src/main.ts up -c test:///default --listen 127.0.0.1:${port} --api 127.0.0.1:${api}; echo "exit=$?"`, "Enter");
    await waitFor((x) => /virtscale-\d{4}\s+running\s+starting/.test(x), "up's own VM");
    const watcher = `${session}:top`;
    tmux("new-window", "-d", "-t", session, "-n", "top", "env", "-u", "CI", "PS1=vst-prompt$ ", "sh");
    tmux("send-keys", "-t", watcher, `cd ${ROOT} && ${BUN} src/main.ts top --api 127.0.0.1:${api}; echo "top-exit=$?"`, "Enter");
    const topScreen = () => tmux("capture-pane", "-p", "-t", watcher);
    const t0 = Date.now();
    let s = "";
    while (Date.now() - t0 < 30_000 && !/virtscale-\d{4}\s+running\s+starting/.test((s = topScreen()))) await sleep(100);
    expect(s).toMatch(/virtscale-\d{4}\s+running\s+starting/);
    expect(s).toContain(`top http://127.0.0.1:${api} (read-only)`);
    expect(s).toContain(`Balancer · 127.0.0.1:${port}`);
    tmux("send-keys", "-t", watcher, "+");
    while (Date.now() - t0 < 30_000 && !(s = topScreen()).includes("not available in this mode")) await sleep(100);
    expect(s).toContain("+: not available in this mode");
    tmux("send-keys", "-t", watcher, "q"); // no question: a watcher removes nothing
    while (Date.now() - t0 < 30_000 && !/top-exit=0/.test((s = topScreen()))) await sleep(100);
    expect(s).toMatch(/top-exit=0/);
    tmux("kill-window", "-t", watcher);
    // The owner did not notice: still drawing, still its VM.
    expect(screen()).toMatch(/virtscale-\d{4}\s+running\s+starting/);
    tmux("send-keys", "-t", session, "q");
    await waitFor((x) => x.includes("y/n"), "up's question");
    tmux("send-keys", "-t", session, "y");
    await exitedCleanly("up's exit");
  }, 90_000);
});
