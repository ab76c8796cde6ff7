// A command's --help text read back as data, so that the shell completions and
// the man page come from the same table as --help and cannot drift from it.
// The usage text of a CommandSpec has this shape (see any src/commands/*.ts):
//
//   SYNOPSIS                       first line, after `virtscale NAME `
//          virtscale NAME SYNOPSIS more synopsis lines (7 spaces, then `virtscale `)
//                                  (blank)
//     -x, --name ARG   text        an option entry (two spaces); ARG only for options
//                      more text   that take a value; deeper lines continue the text
//     word   text                  a positional entry (a lowercase word is a literal
//                                  subcommand, an uppercase one a placeholder)
//   Free text.                     notes (column 0)
import type { ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface EntryOption {
  name: string;
  short?: string;
  /** The value's placeholder, e.g. HOST:PORT, FILE; absent for flags. */
  metavar?: string;
}

export type Entry =
  | { kind: "option"; options: EntryOption[]; help: string }
  | { kind: "arg"; term: string; help: string };

export interface UsageDoc {
  synopsis: string[];
  entries: Entry[];
  notes: string[];
}

export interface OptionDoc extends EntryOption {
  help: string;
}

const OPTION = /^(?:-(\w), )?--([\w-]+)/;

/** Reads the option names (and placeholders) at the start of an entry line; `options` says which take a value. */
function readOptions(text: string, options: Options): { options: EntryOption[]; rest: string } | undefined {
  const found: EntryOption[] = [];
  let s = text;
  for (;;) {
    const m = OPTION.exec(s);
    if (!m) return found.length ? { options: found, rest: s } : undefined;
    const name = m[2]!;
    const o: EntryOption = { name, ...(m[1] ? { short: m[1] } : {}) };
    s = s.slice(m[0].length);
    // A value-taking option is followed by one space and its placeholder.
    const mv = options[name]?.type === "string" ? /^ (\S+?)(?=,? |,?$)/.exec(s) : null;
    if (mv) {
      o.metavar = mv[1]!.replace(/,$/, "");
      s = s.slice(mv[0].length);
    }
    found.push(o);
    const sep = /^, (?=-)/.exec(s);
    if (!sep) return { options: found, rest: s };
    s = s.slice(sep[0].length);
  }
}

export function parseUsage(usage: string, options: Options): UsageDoc {
  const lines = usage.split("\n");
  const doc: UsageDoc = { synopsis: [lines[0]!.trim()], entries: [], notes: [] };
  let last: { help: string } | undefined;
  let note: string[] = [];
  const endNote = () => {
    if (note.length) doc.notes.push(note.join(" "));
    note = [];
  };
  for (const line of lines.slice(1)) {
    const syn = /^ {7}virtscale \S+ (.*)$/.exec(line);
    if (syn && doc.entries.length === 0) {
      doc.synopsis.push(syn[1]!.trim());
      continue;
    }
    if (line.trim() === "") {
      endNote();
      last = undefined;
      continue;
    }
    if (/^ {2}\S/.test(line)) {
      endNote();
      const text = line.slice(2);
      const opt = text.startsWith("-") ? readOptions(text, options) : undefined;
      let entry: Entry;
      if (opt) entry = { kind: "option", options: opt.options, help: opt.rest.trim() };
      else {
        const m = /^(\S+(?: \S+)*?)(?: {2,}(.*))?$/.exec(text)!;
        entry = { kind: "arg", term: m[1]!, help: (m[2] ?? "").trim() };
      }
      doc.entries.push(entry);
      last = entry;
      continue;
    }
    if (/^ {3,}\S/.test(line) && last) {
      last.help = `${last.help} ${line.trim()}`.trim();
      continue;
    }
    last = undefined;
    note.push(line.trim());
  }
  endNote();
  return doc;
}

/** Each option the usage text documents, by name. */
export function optionDocs(doc: UsageDoc): Map<string, OptionDoc> {
  const out = new Map<string, OptionDoc>();
  for (const e of doc.entries) if (e.kind === "option") for (const o of e.options) if (!out.has(o.name)) out.set(o.name, { ...o, help: e.help });
  return out;
}

/** Literal positional words (image's build/show/prune): the lowercase positional entries. */
export function literalArgs(doc: UsageDoc): string[] {
  return doc.entries.flatMap((e) => (e.kind === "arg" && /^[a-z][a-z0-9-]*$/.test(e.term) ? [e.term] : []));
}
