// Shell completions and the man page come from the commands' option tables
// and --help texts: every command and every option is in each of them, and the
// scripts work in the real shells (bash always; zsh and fish when installed).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GLOBAL_OPTIONS, usageDoc, type CommandSpec } from "../src/cli.ts";
import { optionDocs } from "../src/cli/docs.ts";
import { completionScript } from "../src/commands/completion.ts";
import { manPage } from "../src/commands/man.ts";
import { allSpecs, COMMANDS } from "../src/commands/registry.ts";

const ROOT = join(import.meta.dir, "..");
const has = (sh: string) => spawnSync(sh, ["-c", "exit 0"]).status === 0;
const hasZsh = has("zsh");
const hasFish = has("fish");
let specs: CommandSpec[];
const dir = mkdtempSync(join(tmpdir(), "vst-completion-"));
beforeAll(async () => {
  specs = await allSpecs();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const allOptions = () => specs.flatMap((s) => Object.keys(s.options).map((o) => [s.name, o] as const));

describe("the tables", () => {
  test("every option of every command's table is documented in its --help (the text the completions and man page read)", () => {
    for (const s of specs) {
      const docs = optionDocs(usageDoc(s));
      for (const o of Object.keys(s.options)) {
        expect(`${s.name} --${o}: ${docs.get(o)?.help ? "documented" : "missing from its usage text"}`).toBe(`${s.name} --${o}: documented`);
      }
    }
  });
  test("every command of the registry has a spec of the same name", () => {
    expect(specs.map((s) => s.name)).toEqual(Object.keys(COMMANDS));
  });
});

describe.each(["bash", "zsh", "fish"] as const)("%s completion", (shell) => {
  test("contains every command and each command's options", () => {
    const script = completionScript(shell, specs);
    // Where each shell lists the commands: bash's command words, zsh's _describe list, fish's -a per command.
    const listed = { bash: (c: string) => new RegExp(`compgen -W "[^"]*\\b${c}\\b[^"]*help"`).test(script), zsh: (c: string) => script.includes(`'${c}:`), fish: (c: string) => script.includes(`__fish_use_subcommand -a ${c} `) };
    for (const s of specs) expect(`${s.name}: ${listed[shell](s.name)}`).toBe(`${s.name}: true`);
    for (const [cmd, o] of allOptions()) expect(`${cmd}: ${script.includes(shell === "fish" ? `-l ${o}` : `--${o}`)}`).toBe(`${cmd}: true`);
    for (const g of Object.keys(GLOBAL_OPTIONS)) expect(script).toContain(shell === "fish" ? `-l ${g}` : `--${g}`);
  });
});

test("virtscale completion bash prints the same script", () => {
  const r = spawnSync(process.execPath, ["src/main.ts", "completion", "bash"], { cwd: ROOT, encoding: "utf8" });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(completionScript("bash", specs));
});

describe("in bash", () => {
  const complete = (line: string): string[] => {
    const file = join(dir, "virtscale.bash");
    writeFileSync(file, completionScript("bash", specs));
    const script = `source ${file}; COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}; _virtscale; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync("bash", ["--norc", "-c", script], { encoding: "utf8", cwd: dir });
    expect(r.stderr).toBe("");
    return r.stdout.split("\n").filter(Boolean);
  };
  test("commands, then a command's options, with global options before the command", () => {
    expect(complete("virtscale ")).toEqual([...Object.keys(COMMANDS), "help"]);
    expect(complete("virtscale v")).toEqual(["vms"]);
    expect(complete("virtscale -c test:///default vms --i")).toEqual(["--interval"]);
    expect(complete("virtscale lb --backend 127.0.0.1:1 --b")).toEqual(["--backend"]);
    expect(complete("virtscale vms --")).toEqual(["--interval", "--connect", "--config", "--json", "--help", "--version"]);
  });
  test("up's options before any command (up is the default); subcommand words; no words after a value option", () => {
    expect(complete("virtscale --listen 127.0.0.1:1 --ke")).toEqual(["--keep"]);
    expect(complete("virtscale image ")).toEqual(["build", "show", "prune"]);
    expect(complete("virtscale completion z")).toEqual(["zsh"]);
    expect(complete("virtscale up --listen ")).toEqual([]);
  });
  test("file values complete as paths", () => {
    writeFileSync(join(dir, "client.conf.json"), "{}");
    expect(complete("virtscale --config client.co")).toEqual(["client.conf.json"]);
  });
});

test.skipIf(!hasFish)(`in fish${hasFish ? "" : " (SKIPPED: fish not installed)"}`, () => {
  const file = join(dir, "virtscale.fish");
  writeFileSync(file, completionScript("fish", specs));
  const complete = (line: string) => {
    const r = spawnSync("fish", ["--no-config", "-c", `source ${file}; complete -C ${JSON.stringify(line)}`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]);
  };
  expect(complete("virtscale v")).toEqual(["vms"]);
  expect(complete("virtscale -c test:///default vms --i")).toEqual(["--interval"]);
  expect(complete("virtscale image ")).toEqual(["build", "prune", "show"]);
  expect(complete("virtscale --lis")).toEqual(["--listen"]);
});

test.skipIf(!hasZsh)(`in zsh${hasZsh ? "" : " (SKIPPED: zsh not installed)"}`, () => {
  const fpath = join(dir, "zfunc");
  spawnSync("mkdir", ["-p", fpath]);
  writeFileSync(join(fpath, "_virtscale"), completionScript("zsh", specs));
  expect(spawnSync("zsh", ["-n", join(fpath, "_virtscale")]).status).toBe(0);
  // A real interactive zsh on a pseudo-terminal (zsh/zpty): type the line and TAB, read the screen.
  const driver = join(dir, "drive.zsh");
  writeFileSync(
    driver,
    `zmodload zsh/zpty
zpty z 'TERM=dumb zsh -f -i'
zpty -w z 'PS1="READY> "; fpath=(${fpath} $fpath); autoload -U compinit; compinit -u -D; virtscale() { :; }'
sleep 1
zpty -r -t z junk
zpty -n -w z "$1"$'\\t'
sleep 1.5
local out="" chunk
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
`,
  );
  const screen = (line: string) => spawnSync("zsh", ["-f", driver, line], { encoding: "utf8", timeout: 20_000 }).stdout;
  expect(screen("virtscale vms --i")).toContain("virtscale vms --interval");
  expect(screen("virtscale image ")).toMatch(/build\s+prune\s+show/);
  expect(screen("virtscale -c test:///default lb --")).toContain("--max-in-flight");
}, 30_000);

describe("man page", () => {
  test("documents every command and every option, global ones included", () => {
    const man = manPage(specs);
    for (const s of specs) expect(man).toContain(`.SS ${s.name}\n`);
    const roff = (o: string) => `\\fB\\-\\-${o.replace(/-/g, "\\-")}\\fR`;
    for (const [cmd, o] of allOptions()) expect(`${cmd}: ${man.includes(roff(o))}`).toBe(`${cmd}: true`);
    for (const g of Object.keys(GLOBAL_OPTIONS)) expect(man).toContain(roff(g));
    const r = spawnSync("groff", ["-man", "-Tutf8", "-ww", "-z"], { input: man, encoding: "utf8" });
    if (r.status !== null && !r.error) expect(r.stderr).toBe("");
  });

  // The default directories in the help depend on the user (root or not); docs/virtscale.1 is generated as root.
  test.skipIf(process.geteuid?.() !== 0)("docs/virtscale.1 is the generator's output (regenerate: bun src/commands/man.ts > docs/virtscale.1)", () => {
    expect(readFileSync(join(ROOT, "docs/virtscale.1"), "utf8")).toBe(manPage(specs));
  });
});
