// Command-line plumbing shared by every subcommand: global flags, parsing with
// node:util's parseArgs (same on Bun and Deno), errors that say what is wrong.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { loadConfig, type Config } from "./config.ts";
import { errorMessage } from "./errors.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every subcommand takes. */
export const GLOBAL_OPTIONS = {
  connect: { type: "string", short: "c" },
  config: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage lines after `virtscale NAME`, and option descriptions, for --help. */
  usage: string;
  options: Options;
  /** Whether positionals are allowed. */
  positionals?: boolean;
}

export interface CommandContext {
  values: Record<string, unknown>;
  positionals: string[];
  /** -c/--connect, else $LIBVIRT_DEFAULT_URI, else qemu:///system. */
  uri: string;
  json: boolean;
  /** Config from --config files (repeatable, merged left to right); defaults without. */
  config: Config;
}

export interface CommandModule {
  spec: CommandSpec;
  run(ctx: CommandContext): Promise<number | void>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function defaultUri(env: Record<string, string | undefined> = process.env): string {
  return env.LIBVIRT_DEFAULT_URI || "qemu:///system";
}

export function parseCommand(spec: CommandSpec, argv: string[]): CommandContext {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...spec.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${spec.name}: ${errorMessage(e).replace(/\. To specify.*$/s, "")}`);
  }
  if (!spec.positionals && parsed.positionals.length > 0)
    throw new UsageError(`${spec.name}: unexpected argument '${parsed.positionals[0]}'`);
  const values = parsed.values as Record<string, unknown>;
  return {
    values,
    positionals: parsed.positionals,
    uri: (values.connect as string | undefined) ?? defaultUri(),
    json: Boolean(values.json),
    config: loadConfig((values.config as string[] | undefined) ?? []),
  };
}

export const COMMON_HELP = `common options:
  -c, --connect URI   libvirt URI (default: $LIBVIRT_DEFAULT_URI, else qemu:///system)
      --config FILE   JSON config; repeatable, merged left to right (client.conf, message.conf)
      --json          NDJSON on stdout instead of the dashboard / tables
  -h, --help          this help`;

export function helpFor(spec: CommandSpec): string {
  return `virtscale ${spec.name}: ${spec.summary}\n\nusage: virtscale ${spec.name} ${spec.usage}\n\n${COMMON_HELP}\n`;
}

/** Parse a --listen/--backend style HOST:PORT, naming the flag when it is wrong. */
/** An integer option in min..max, undefined when not given; anything else is a usage error naming the flag. */
export function intArg(flag: string, v: unknown, min: number, max?: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max))
    throw new UsageError(`--${flag}: expected an integer ${max === undefined ? `>= ${min}` : `${min}..${max}`}, got '${v}'`);
  return n;
}

/** A duration in seconds > 0 (--duration), undefined when not given. */
export function secondsArg(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new UsageError(`--${flag}: expected seconds > 0, got '${v}'`);
  return n;
}

export function hostPortArg(flag: string, s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^\s:]+)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--${flag}: expected HOST:PORT, got '${s}'`);
  return { host: (m[1] ?? m[2])!, port };
}
