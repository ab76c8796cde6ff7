// The commands as the shell completions and the man page see them: each
// option of a command's table (names, whether it takes a value, repeatable)
// with the placeholder and text its --help shows.
import { GLOBAL_OPTIONS, globalDoc, usageDoc, type CommandSpec, type Options } from "../cli.ts";
import { literalArgs, optionDocs, type UsageDoc } from "./docs.ts";

export interface OptionModel {
  name: string;
  short?: string;
  takesValue: boolean;
  multiple: boolean;
  metavar?: string;
  help: string;
  /** What a shell should offer for the value: files, directories, or nothing. */
  complete: "file" | "dir" | "none";
}

export interface CommandModel {
  name: string;
  summary: string;
  options: OptionModel[];
  /** Literal words it takes as its first argument (image: build, show, prune). */
  words: string[];
  doc: UsageDoc;
}

function valueKind(metavar: string | undefined): OptionModel["complete"] {
  if (metavar === undefined) return "none";
  if (/^DIR$/.test(metavar)) return "dir";
  if (/^(FILE|PATH|P)$/.test(metavar)) return "file";
  return "none";
}

function optionsOf(table: Options, doc: UsageDoc): OptionModel[] {
  const docs = optionDocs(doc);
  return Object.entries(table).map(([name, o]) => {
    const d = docs.get(name);
    const metavar = o.type === "string" ? (d?.metavar ?? "VALUE") : undefined;
    return {
      name,
      ...(o.short ? { short: o.short } : {}),
      takesValue: o.type === "string",
      multiple: Boolean(o.multiple),
      ...(metavar ? { metavar } : {}),
      help: d?.help ?? "",
      complete: valueKind(metavar),
    };
  });
}

export function commandModel(spec: CommandSpec): CommandModel {
  const doc = usageDoc(spec);
  return { name: spec.name, summary: spec.summary, options: optionsOf(spec.options, doc), words: literalArgs(doc), doc };
}

export function globalModel(): OptionModel[] {
  return optionsOf(GLOBAL_OPTIONS, globalDoc());
}

/** A description cut to its first clause and `max` characters, for completion menus. */
export function brief(text: string, max = 70): string {
  const first = text.split(/(?<=[.;])\s|\s\(/)[0]!.trim().replace(/[.;,:]$/, "");
  return first.length > max ? first.slice(0, max - 3).trimEnd() + "..." : first;
}
