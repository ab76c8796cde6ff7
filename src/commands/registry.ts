// The table of subcommands: name, one-line summary (for the top-level --help,
// without loading the command) and a lazy loader, so that `virtscale serve` in
// a guest never loads Ink or libvirt. The completions and the man page load
// every command's spec from here.
import type { CommandModule, CommandSpec } from "../cli.ts";

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  up: { summary: "run the group: balancer + monitor + scaler (+ API with --api)", load: () => import("./up.ts") },
  lb: { summary: "balancer only, static backends (--backend HOST:PORT, repeatable)", load: () => import("./lb.ts") },
  load: { summary: "load generator: --target HOST:PORT --rate low|mid|high|N/s", load: () => import("./load.ts") },
  serve: { summary: "the guest server (UDP, 4-byte request, 8-byte answer)", load: () => import("./serve.ts") },
  vms: { summary: "list domains: name, state, vCPUs, memory, CPU %", load: () => import("./vms.ts") },
  snapshot: { summary: "NAME [--path P] [--resume|--halt]: save a VM's CPU + memory state", load: () => import("./snapshot.ts") },
  restore: { summary: "PATH: restore a VM from a snapshot", load: () => import("./restore.ts") },
  image: { summary: "build: build the guest image (kernel + initramfs with `serve`)", load: () => import("./image.ts") },
  demo: { summary: "everything on real VMs on this machine, with load", load: () => import("./demo.ts") },
  top: { summary: "watch a running `up` over its HTTP API (read-only dashboard)", load: () => import("./top.ts") },
  config: { summary: "print | check FILE...: show the merged config with defaults, or validate config files", load: () => import("./config.ts") },
  completion: {
    summary: "bash|zsh|fish: print a shell completion script",
    load: async () => {
      const m = await import("./completion.ts");
      return { spec: m.spec, run: async (ctx) => m.run(ctx, await allSpecs()) };
    },
  },
};

/** Every command's spec, in the table's order (loads every command module). */
export async function allSpecs(): Promise<CommandSpec[]> {
  return Promise.all(Object.values(COMMANDS).map(async (c) => (await c.load()).spec));
}
