#!/usr/bin/env bun
// virtscale's entry point: global flags (before or after the command), then
// one subcommand. Subcommands load lazily (commands/registry.ts) so that
// `virtscale serve` in a guest never loads Ink or libvirt.
import { chooseUri, COMMON_HELP, contextFrom, helpFor, parseArgv, resolveAddresses, splitGlobalArgs, UsageError } from "./cli.ts";
import { ConfigError } from "./config.ts";
import { COMMANDS } from "./commands/registry.ts";
import { VERSION } from "./cli/version.ts";
import { didYouMean } from "./util/suggest.ts";

export { VERSION } from "./cli/version.ts";

const NAMES = Object.keys(COMMANDS);

function usage(): string {
  const width = Math.max(...NAMES.map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`);
  return `virtscale ${VERSION}: keep a group of libvirt VMs sized to the load

usage: virtscale [common options] [COMMAND] [options]      (COMMAND defaults to up)

commands:
${lines.join("\n")}

${COMMON_HELP}

virtscale COMMAND --help (or virtscale help COMMAND) shows a command's own options.
`;
}

/** The commands that take -c more than once. */
const MULTI_HOST = new Set(["up", "demo", "vms"]);

function unknownCommand(name: string): number {
  process.stderr.write(`virtscale: unknown command '${name}'${didYouMean(name, [...NAMES, "help"])}\n(virtscale --help lists the commands)\n`);
  return 2;
}

async function printVersion(values: Record<string, unknown>): Promise<number> {
  const { formatVersion, versionInfo } = await import("./cli/version.ts");
  const info = await versionInfo(chooseUri((values.connect as string[] | undefined)?.[0]));
  process.stdout.write(values.json ? JSON.stringify({ type: "version", ts: Date.now(), ...info }) + "\n" : formatVersion(info));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const { command, args } = splitGlobalArgs(argv);
  if (command === "help") {
    const topic = parseArgv({ name: "help", summary: "", usage: "", options: {}, positionals: true }, args).positionals[0];
    if (topic === undefined) {
      process.stdout.write(usage());
      return 0;
    }
    if (!COMMANDS[topic]) return unknownCommand(topic);
    process.stdout.write(helpFor((await COMMANDS[topic].load()).spec));
    return 0;
  }
  const name = command ?? "up";
  const entry = COMMANDS[name];
  if (!entry) return unknownCommand(name);
  const mod = await entry.load();
  // The top-level help when no command was named (`virtscale --help`), else the command's.
  const help = () => {
    process.stdout.write(command === undefined ? usage() : helpFor(mod.spec));
    return 0;
  };
  try {
    let parsed;
    try {
      parsed = parseArgv(mod.spec, args, NAMES);
    } catch (e) {
      // `--help` wins over a wrong command line: that is when people ask for it.
      if (e instanceof UsageError && (args.includes("--help") || args.includes("-h"))) return help();
      throw e;
    }
    if (parsed.values.help) return help();
    if (parsed.values.version) return await printVersion(parsed.values);
    const ctx = await resolveAddresses(mod.spec, contextFrom(parsed));
    // Only `up` spreads over several hosts; elsewhere a second -c would be silently ignored.
    if (ctx.uris.length > 1 && !MULTI_HOST.has(name)) throw new UsageError(`${name}: -c/--connect given ${ctx.uris.length} times; only \`up\` takes several hosts`);
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
