// Command-line plumbing shared by every subcommand: global flags (before or
// after the command, as virsh takes them), strict parsing with node:util's
// parseArgs (same on Bun and Deno) and errors that name the flag and suggest
// the option meant, HOST:PORT options resolved once, the libvirt URI chosen by
// libvirt's own rules.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { AddressError, resolveAddress, splitAddress, type Lookup } from "./cli/resolve.ts";
import { chooseUri } from "./cli/uri.ts";
import { optionDocs, parseUsage, type UsageDoc } from "./cli/docs.ts";
import { didYouMean } from "./util/suggest.ts";

export { chooseUri, type ChosenUri } from "./cli/uri.ts";
export { resolveAddress, resolveHost, splitAddress, AddressError, type Lookup } from "./cli/resolve.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every subcommand takes, before or after its name. */
export const GLOBAL_OPTIONS = {
  // Repeatable: `up` spreads one group over every host given (the others take one).
  connect: { type: "string", short: "c", multiple: true },
  config: { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const satisfies Options;

export interface CommandSpec {
  name: string;
  summary: string;
  /**
   * Usage lines after `virtscale NAME`, and option descriptions, for --help;
   * the completions and the man page are read from it too (layout: src/cli/docs.ts).
   * An option shown as `--name HOST:PORT` is resolved to IP:PORT when the
   * command line is read (see resolveAddresses).
   */
  usage: string;
  options: Options;
  /** Whether positionals are allowed. */
  positionals?: boolean;
}

export interface CommandContext {
  values: Record<string, unknown>;
  positionals: string[];
  /** -c/--connect, else libvirt's default (see src/cli/uri.ts). */
  uri: string;
  /** Where `uri` came from, for the commands that say which libvirt they use. */
  uriSource?: string;
  /** Every -c given, in order (`up` runs one group over all of them); empty without -c. */
  uris: string[];
  json: boolean;
  /** Config from --config files (repeatable, merged left to right); defaults without. */
  config: Config;
}

export interface CommandModule {
  spec: CommandSpec;
  run(ctx: CommandContext): Promise<number | void>;
}

/** A wrong command line: exit status 2, and the message names the flag. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ParsedArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/**
 * Parses a command's arguments strictly: unknown options (with the closest
 * known one suggested), a value missing or given to a flag, and positionals
 * where the command takes none are usage errors naming the option.
 */
export function parseArgv(spec: CommandSpec, argv: string[], commandNames: readonly string[] = []): ParsedArgs {
  const options: Options = { ...GLOBAL_OPTIONS, ...spec.options };
  const { values, positionals, tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  // Suggestions among the long names only: any one letter is "one edit" from any other.
  const known = Object.keys(options).map((k) => `--${k}`);
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const o = options[t.name];
    if (!o) throw new UsageError(`${spec.name}: unknown option '${t.rawName}'${t.rawName.startsWith("--") ? didYouMean(t.rawName, known) : ""}`);
    const flag = `--${t.name}`;
    if (o.type === "boolean" && t.inlineValue) throw new UsageError(`${flag} takes no value, got '${t.rawName}=${t.value}'`);
    if (o.type === "string") {
      if (t.value === undefined) throw new UsageError(`${flag}: missing its value`);
      // `--listen --json`: parseArgs would take "--json" as the address; refuse, as strict mode does.
      if (!t.inlineValue && t.value.startsWith("-") && t.value.length > 1)
        throw new UsageError(`${flag}: missing its value (got the option '${t.value}'; write ${flag}=${t.value} if that is the value)`);
    }
  }
  if (!spec.positionals && positionals.length > 0) {
    const p = positionals[0]!;
    const hint = commandNames.includes(p) ? ` (the command comes before its options: virtscale [-c URI] ${p} [options])` : "";
    throw new UsageError(`${spec.name}: unexpected argument '${p}'${hint}`);
  }
  return { values: values as Record<string, unknown>, positionals };
}

/** parseArgv, then the libvirt URI and the config: everything but the network look-ups. */
export function parseCommand(spec: CommandSpec, argv: string[], commandNames: readonly string[] = []): CommandContext {
  return contextFrom(parseArgv(spec, argv, commandNames));
}

export function contextFrom(parsed: ParsedArgs): CommandContext {
  const { values, positionals } = parsed;
  const uris = (values.connect as string[] | undefined) ?? [];
  const chosen = chooseUri(uris[0]);
  return {
    values,
    positionals,
    uri: chosen.uri,
    uriSource: chosen.source,
    uris,
    json: Boolean(values.json),
    config: loadConfig((values.config as string[] | undefined) ?? []),
  };
}

const docCache = new WeakMap<CommandSpec, UsageDoc>();
/** The spec's usage text read as data (entries, placeholders); cached. */
export function usageDoc(spec: CommandSpec): UsageDoc {
  let d = docCache.get(spec);
  if (!d) docCache.set(spec, (d = parseUsage(spec.usage, { ...GLOBAL_OPTIONS, ...spec.options })));
  return d;
}

/** The options of `spec` whose help shows a HOST:PORT value. */
export function addressOptions(spec: CommandSpec): string[] {
  return [...optionDocs(usageDoc(spec)).values()].filter((o) => o.metavar === "HOST:PORT" && spec.options[o.name]).map((o) => o.name);
}

/**
 * Resolves host names once, before the command runs: every HOST:PORT option
 * becomes IP:PORT (a name that does not resolve is a usage error naming the
 * flag), and for commands with such options the config's `listen` and
 * `api.listen` too (a config error naming the key). Commands then see only IP
 * addresses, whichever of them reads the value.
 */
export async function resolveAddresses(spec: CommandSpec, ctx: CommandContext, lookup?: Lookup): Promise<CommandContext> {
  const names = addressOptions(spec);
  if (names.length === 0) return ctx;
  const values = { ...ctx.values };
  const one = async (flag: string, s: string) => {
    try {
      return await resolveAddress(flag, s, { lookup });
    } catch (e) {
      throw e instanceof AddressError ? new UsageError(e.message) : e;
    }
  };
  for (const name of names) {
    const v = values[name];
    if (typeof v === "string") values[name] = await one(`--${name}`, v);
    else if (Array.isArray(v)) values[name] = await Promise.all(v.map((s) => one(`--${name}`, String(s))));
  }
  const inConfig = async (key: string, s: string | undefined) => {
    if (s === undefined) return undefined;
    try {
      return await resolveAddress(key, s, { lookup });
    } catch (e) {
      throw e instanceof AddressError ? new ConfigError(e.message) : e;
    }
  };
  const config: Config = {
    ...ctx.config,
    listen: (await inConfig("listen", ctx.config.listen))!,
    api: { ...ctx.config.api, listen: await inConfig("api.listen", ctx.config.api.listen) },
  };
  return { ...ctx, values, config };
}

/**
 * Splits `virtscale [global options] [COMMAND] [options]`: the global options
 * before the command are moved after it (parseArgv takes them there), so
 * `virtscale -c test:///default vms` is `virtscale vms -c test:///default`.
 * `command` is undefined when the first word that is not a global option (or
 * its value) is an option: then the command is the default, up, and `args` is
 * all of argv.
 */
export function splitGlobalArgs(argv: string[]): { command: string | undefined; args: string[] } {
  const globals: Options = GLOBAL_OPTIONS;
  const byShort = new Map(Object.entries(globals).flatMap(([k, o]) => (o.short ? [[o.short, k] as const] : [])));
  let i = 0;
  while (i < argv.length) {
    const t = argv[i]!;
    let name: string | undefined;
    let inline = false;
    if (t.startsWith("--") && t.length > 2) {
      const eq = t.indexOf("=");
      name = t.slice(2, eq < 0 ? undefined : eq);
      inline = eq >= 0;
    } else if (/^-\w/.test(t)) {
      name = byShort.get(t[1]!);
      inline = t.length > 2;
    }
    const o = name === undefined ? undefined : globals[name];
    if (!o) break;
    i++;
    if (o.type === "string" && !inline && i < argv.length) i++;
  }
  const next = argv[i];
  if (next === undefined || next.startsWith("-")) return { command: undefined, args: argv };
  return { command: next, args: [...argv.slice(0, i), ...argv.slice(i + 1)] };
}

export const COMMON_HELP = `common options (before or after the command):
  -c, --connect URI   libvirt URI (default: $LIBVIRT_DEFAULT_URI, else uri_default in libvirt.conf,
                      else qemu:///system for root, qemu:///session for other users);
                      up takes it more than once: one group over every host given
      --config FILE   JSON config; repeatable, merged left to right (client.conf, message.conf)
      --json          NDJSON on stdout instead of the dashboard / tables
  -h, --help          this help
  -V, --version       version, commit, runtime and libvirt library version`;

export function helpFor(spec: CommandSpec): string {
  return `virtscale ${spec.name}: ${spec.summary}\n\nusage: virtscale ${spec.name} ${spec.usage}\n\n${COMMON_HELP}\n`;
}

/** An integer option in min..max, undefined when not given; anything else is a usage error naming the flag. */
export function intArg(flag: string, v: unknown, min: number, max?: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "number" && (typeof v !== "string" || v.trim() === "")) throw new UsageError(`--${flag}: expected an integer, got '${v}'`);
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max))
    throw new UsageError(`--${flag}: expected an integer ${max === undefined ? `>= ${min}` : `${min}..${max}`}, got '${v}'`);
  return n;
}

/** A duration in seconds > 0 (--duration), undefined when not given. */
export function secondsArg(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag}: expected seconds > 0, got '${v}'`);
  return n;
}

/**
 * Parse a --listen/--backend style HOST:PORT (port 1..65535), naming the flag
 * when it is wrong. Values of HOST:PORT options arrive resolved (resolveAddresses).
 */
export function hostPortArg(flag: string, s: string): { host: string; port: number } {
  let a;
  try {
    a = splitAddress(`--${flag}`, s);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (a.port < 1) throw new UsageError(`--${flag}: expected HOST:PORT with a port 1..65535, got '${s}'`);
  return a;
}

/** COMMON_HELP read as data (its options are indented as in a table, normalised to entry lines first). */
export function globalDoc(): UsageDoc {
  return parseUsage(COMMON_HELP.replace(/^ {6}(?=--)/gm, "  "), GLOBAL_OPTIONS);
}
