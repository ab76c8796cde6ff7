// `virtscale config print` / `virtscale config check FILE...`: the merged
// config with every default filled in, and a validator for config files that
// names each bad key (the same rules `--config` applies: src/config.ts). The
// reference of every key is docs/config.md (generated: config-doc.ts).
import { UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { ConfigError, configNotes, loadConfig, type Config } from "../config.ts";
import { jsonLine } from "../output/json-line.ts";
import { didYouMean } from "../util/suggest.ts";

export const spec: CommandSpec = {
  name: "config",
  summary: "print | check FILE...: show the merged config with defaults, or validate config files",
  usage: `print [--config FILE]...
       virtscale config check FILE...

  print   the config the other commands would use: the --config files merged left to right, every
          default filled in, as JSON (api.token is shown as "(redacted)")
  check   validate each FILE on its own, then all of them merged in the order given; prints "FILE: ok"
          or one line per bad key ("FILE: scaler.maxx: unknown key; did you mean 'max'?") and exits 1
          when any is bad

Notes on keys virtscale takes otherwise than the assignment did go to stderr. Every key, its type,
default and meaning: docs/config.md. --json: print writes one {"type":"config","ts","config"} line;
check one {"type":"config-check","ts","file","ok","problems","notes"} line per file (and the merge).`,
  options: {},
  positionals: true,
};

const SUBCOMMANDS = ["print", "check"];

/** The config as JSON, without the secret a shared terminal or a bug report should not carry. */
export function printable(c: Config): Config {
  return c.api.token === undefined ? c : { ...c, api: { ...c.api, token: "(redacted)" } };
}

interface Verdict {
  file: string;
  ok: boolean;
  problems: string[];
  notes: string[];
}

/** One file, or several merged: the problems one per key (ConfigError's lines, without the file name), or the notes. */
function verdict(files: string[], label: string): Verdict {
  try {
    return { file: label, ok: true, problems: [], notes: configNotes(loadConfig(files)) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // The message starts with the file that failed ("a.json: key: ..."), then one line per key.
    const lines = e.message.split("\n").map((l, i) => (i === 0 && e.file && l.startsWith(`${e.file}: `) ? l.slice(e.file.length + 2) : l));
    return { file: e.file ?? label, ok: false, problems: lines, notes: [] };
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  const [sub, ...files] = ctx.positionals;
  if (sub === undefined) throw new UsageError("config: missing subcommand (print, check)");
  if (sub === "print") {
    if (files.length) throw new UsageError(`config print: unexpected argument '${files[0]}' (config files are given with --config FILE)`);
    for (const n of configNotes(ctx.config)) process.stderr.write(`virtscale: config: ${n}\n`);
    const c = printable(ctx.config);
    // Without --json the bare object (a config file, the token aside); with it, a line like every --json line.
    process.stdout.write(ctx.json ? jsonLine({ type: "config", ts: Date.now(), config: c }) + "\n" : JSON.stringify(c, null, 2) + "\n");
    return 0;
  }
  if (sub !== "check") throw new UsageError(`config: unknown subcommand '${sub}'${didYouMean(sub, SUBCOMMANDS)} (print, check)`);
  if (!files.length) throw new UsageError("config check: missing FILE (one or more config files to validate)");
  const verdicts = files.map((f) => verdict([f], f));
  // Each alone can be fine and the merge not (scaler.min in one file above scaler.max in the next).
  if (files.length > 1 && verdicts.every((v) => v.ok)) verdicts.push(verdict(files, files.join(" + ")));
  for (const v of verdicts) {
    if (ctx.json) process.stdout.write(jsonLine({ type: "config-check", ts: Date.now(), ...v }) + "\n");
    else {
      if (v.ok) process.stdout.write(`${v.file}: ok\n`);
      for (const p of v.problems) process.stdout.write(`${v.file}: ${p}\n`);
      for (const n of v.notes) process.stderr.write(`${v.file}: note: ${n}\n`);
    }
  }
  return verdicts.every((v) => v.ok) ? 0 : 1;
}
