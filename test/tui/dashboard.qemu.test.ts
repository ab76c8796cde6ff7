// The dashboard on a real group: `virtscale up` on qemu:///system in tmux,
// one TCG VM. The VM appears serving, `s` snapshots it (spinner, then the
// saved file in the event log and on disk), `r` lists that file, `q` asks
// (quitting removes the VM), `y` stops the run and the VM is gone. Everything
// this file creates carries a unique prefix and is removed in afterAll, also
// on failure.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { domainsOn, QEMU_URI, rand6, sweep } from "../scaler/qemu-rig.ts";

const URI = QEMU_URI;
const ROOT = join(import.meta.dir, "..", "..");
let skipReason = "";
try {
  Connection.open(URI).close();
} catch (e) {
  skipReason = `${URI} does not answer (${(e as Error).message}); run scripts/start-libvirtd.sh`;
}
if (spawnSync("tmux", ["-V"]).status !== 0) skipReason ||= "tmux is not installed";
if (skipReason) console.warn(`SKIP test/tui/dashboard.qemu.test.ts: ${skipReason}`);

const prefix = `vst-tui-${rand6()}`;
const session = prefix;
const work = mkdtempSync(join(tmpdir(), `${prefix}-`));
const snaps = join(work, "snapshots");
const configFile = join(work, "config.json");
const front = 35100 + Math.floor(Math.random() * 400);

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}
const screen = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
async function waitFor(pred: (s: string) => boolean, what: string, ms: number): Promise<string> {
  const t0 = Date.now();
  let s = "";
  while (Date.now() - t0 < ms) {
    s = screen();
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}; screen:\n${s}`);
}

/** Domains of this run still defined in libvirt (names carry the unique prefix). */
const ours = () => domainsOn(URI, prefix);

afterAll(() => {
  spawnSync("tmux", ["kill-session", "-t", session]);
  if (!skipReason) sweep(prefix, URI);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(Boolean(skipReason))("dashboard on real QEMU VMs", () => {
  test("a serving VM; s snapshots it (progress, then the file in the log and on disk); r lists the file", async () => {
    // Small work scale: a TCG guest on a busy 2-core host still answers in time.
    writeFileSync(
      configFile,
      JSON.stringify({
        auto_scaler_domain_prefix: prefix,
        vm: { port_base: 35700 + Math.floor(Math.random() * 250), snapshot_dir: snaps, work_scale: 20 },
        scaler: { min: 1, max: 1 },
      }),
    );
    tmux("new-session", "-d", "-s", session, "-x", "140", "-y", "45", "env", "-u", "CI", "PS1=vst-prompt$ ", "sh");
    tmux("send-keys", "-t", session, `cd ${ROOT} && ${process.execPath} src/main.ts up -c ${URI} --config ${configFile} --listen 127.0.0.1:${front}; echo "exit=$?"`, "Enter");
    const s1 = await waitFor((x) => /1 VMs · 1 serving/.test(x), "one serving VM", 240_000);
    // The name as the table shows it (whole word, then its state): the temp dir in the command line starts with the prefix too.
    const name = new RegExp(`\\b(${prefix}-\\d+)\\s+running\\b`).exec(s1)?.[1];
    expect(name).toBeDefined();
    expect(s1).toMatch(new RegExp(`▶ ${name}\\s+running\\s+serving`));

    tmux("send-keys", "-t", session, "s");
    await waitFor((x) => x.includes(`saving ${name}`) || x.includes(`save ${name}`), "the snapshot in progress", 30_000);
    const s2 = await waitFor((x) => new RegExp(`save ${name} \\S+ done in`).test(x), "the snapshot done in the event log", 180_000);
    const saved = readdirSync(snaps).filter((f) => f.startsWith(name!));
    expect(saved.length).toBe(1);
    expect(s2).toContain(saved[0]!);

    tmux("send-keys", "-t", session, "r");
    await waitFor((x) => x.includes("Restore from a snapshot") && x.includes(saved[0]!), "the restore picker listing the file", 30_000);
    tmux("send-keys", "-t", session, "Escape");
    await waitFor((x) => !x.includes("Restore from a snapshot"), "picker closed", 30_000);
    // Saving with resume paused the VM for a moment: it is still the one serving VM, not replaced.
    await waitFor((x) => new RegExp(`▶ ${name}\\s+running\\s+serving`).test(x) && /1 VMs · 1 serving/.test(x), "the snapshotted VM serving again", 60_000);
    expect(screen()).not.toContain(`${name}: VM is paused`);
  }, 600_000);

  test("q asks first (it would remove the run's VM), y stops the run and removes every VM it created", async () => {
    tmux("send-keys", "-t", session, "q");
    await waitFor((x) => new RegExp(`Quit: stop the group and remove 1 VM \\(${prefix}-\\d+\\)\\? y/n`).test(x), "the question naming the VM", 30_000);
    expect(ours().length).toBe(1); // asking removed nothing
    tmux("send-keys", "-t", session, "y");
    const end = await waitFor((x) => /exit=0\s*\n\s*vst-prompt\$/.test(x), "up's exit", 180_000);
    const left = ours();
    if (left.length) throw new Error(`up left ${left.join(", ")} defined after quit; screen:\n${end}`);
  }, 600_000);
});
