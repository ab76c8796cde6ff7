#!/usr/bin/env bun
// virtscale's entry point: global flags, then one subcommand. Subcommands load
// lazily so that `virtscale serve` in a guest never loads Ink or libvirt.
import pkg from "../package.json" with { type: "json" };
import { COMMON_HELP, helpFor, parseCommand, UsageError, type CommandModule } from "./cli.ts";
import { ConfigError } from "./config.ts";

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  up: { summary: "run the group: balancer + monitor + scaler (+ API with --api)", load: () => import("./commands/up.ts") },
  lb: { summary: "balancer only, static backends (--backend HOST:PORT, repeatable)", load: () => import("./commands/lb.ts") },
  load: { summary: "load generator: --target HOST:PORT --rate low|mid|high|N/s", load: () => import("./commands/load.ts") },
  serve: { summary: "the guest server (UDP, 4-byte request, 8-byte answer)", load: () => import("./commands/serve.ts") },
  vms: { summary: "list domains: name, state, vCPUs, memory, CPU %", load: () => import("./commands/vms.ts") },
  snapshot: { summary: "NAME [--path P] [--resume|--halt]: save a VM's CPU + memory state", load: () => import("./commands/snapshot.ts") },
  restore: { summary: "PATH: restore a VM from a snapshot", load: () => import("./commands/restore.ts") },
  image: { summary: "build: build the guest image (kernel + initramfs with `serve`)", load: () => import("./commands/image.ts") },
  demo: { summary: "everything on real VMs on this machine, with load", load: () => import("./commands/demo.ts") },
};

export const VERSION: string = pkg.version;

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`);
  return `virtscale ${VERSION}: keep a group of libvirt VMs sized to the load

usage: virtscale [COMMAND] [options]      (COMMAND defaults to up)

commands:
${lines.join("\n")}

${COMMON_HELP}
      --version       print the version

virtscale COMMAND --help shows a command's own options.
`;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--version" || argv[0] === "-V") {
    console.log(`virtscale ${VERSION}`);
    return 0;
  }
  if (argv.length === 0 ? false : argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(usage());
    return 0;
  }
  const name = argv[0] && !argv[0].startsWith("-") ? argv[0] : "up";
  const rest = argv[0] && !argv[0].startsWith("-") ? argv.slice(1) : argv;
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`virtscale: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(helpFor(mod.spec));
    return 0;
  }
  try {
    const ctx = parseCommand(mod.spec, rest);
    return (await mod.run(ctx)) ?? 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`virtscale: ${e.message}\n(virtscale ${name} --help for usage)\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`virtscale: config: ${e.message}\n`);
      return 2;
    }
    const err = e as Error & { code?: number; domainName?: string };
    process.stderr.write(`virtscale ${name}: ${err?.message ?? String(e)}\n`);
    if (process.env.VIRTSCALE_DEBUG && err?.stack) process.stderr.write(err.stack + "\n");
    return 1;
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`virtscale: ${(e as Error)?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
