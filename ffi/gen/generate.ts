#!/usr/bin/env bun
// Generates ffi/generated/{symbols,enums}.ts from libvirt's machine-readable API
// description (/usr/share/libvirt/api/libvirt-api.xml, Debian package libvirt-dev),
// the same file libvirt-python's generator.py and libvirt-go-module read.
//
//   bun run gen:ffi            (or: bun ffi/gen/generate.ts [path/to/libvirt-api.xml])
//
// Every function whose C types map onto the FFI types below is emitted, except
// the SKIP table; symbols are resolved lazily at first call (see ffi/lib.ts), so
// a function missing from the installed libvirt fails only when it is called.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { XMLParser } from "fast-xml-parser";

const API_XML = process.argv[2] ?? "/usr/share/libvirt/api/libvirt-api.xml";
const OUT_DIR = join(dirname(new URL(import.meta.url).pathname), "..", "generated");
const HEADER = (what: string) =>
  `// GENERATED FILE, DO NOT EDIT. ${what}\n` +
  `// Regenerate with \`bun run gen:ffi\` (ffi/gen/generate.ts) from libvirt-api.xml (libvirt-dev).\n`;

/** Functions left out on purpose (why in each comment). */
const SKIP: Record<string, string> = {
  // C callbacks run on the thread that runs the event loop: the binding runs libvirt's
  // default loop on one worker (ffi/event-loop.ts) and registers only
  // virConnectDomainEventRegisterAny and virConnectRegisterCloseCallback, there.
  virEventRegisterImpl: "needs six C callbacks implementing an event loop (the default one is used)",
  virConnectDomainEventRegister: "deprecated form of virConnectDomainEventRegisterAny",
  virStreamRecvAll: "stream sink callbacks",
  virStreamSendAll: "stream source callbacks",
  virStreamSparseRecvAll: "stream sink callbacks",
  virStreamSparseSendAll: "stream source callbacks",
  virStreamEventAddCallback: "stream callbacks need an event loop",
};

/**
 * Pointer arguments that receive a pointer libvirt gave us (not a JS buffer we
 * fill or libvirt fills). Besides these, every pointer argument of a function whose
 * name ends in "Free" is such a pointer.
 */
const PTR_ARG_OVERRIDE: Record<string, string[]> = {
  virResetError: ["err"],
  virConnCopyLastError: [],
};

/** libvirt's opaque object handles: structs declared without fields. */
let OPAQUE = new Set<string>();

/** Enum typedef names renamed for the JS side (C name -> exported const name). */
const ENUM_RENAME: Record<string, string> = {
  virDomainUndefineFlagsValues: "DomainUndefineFlags",
};
/** Prefixes stripped from member names when the common word prefix is not right. */
const ENUM_PREFIX: Record<string, string> = {
  virErrorNumber: "VIR_ERR_",
  virErrorDomain: "VIR_FROM_",
};

type AbiType = "void" | "i32" | "u32" | "i64" | "u64" | "f64" | "ptr" | "buf";

function scalar(c: string): AbiType | null {
  const t = c.replace(/\bconst\b/g, "").replace(/\s+/g, " ").trim();
  switch (t) {
    case "void": return "void";
    case "int": return "i32";
    case "unsigned int": return "u32";
    case "long long": return "i64";
    case "unsigned long long": return "u64";
    // LP64 (Linux x86_64/aarch64): long is 64-bit.
    case "unsigned long": return "u64";
    case "long": return "i64";
    case "size_t": return "u64";
    case "double": return "f64";
  }
  return null;
}

function isPointerType(c: string, typedefs: Map<string, string>): boolean {
  if (c.includes("*")) return true;
  if (/Ptr$/.test(c) || typedefs.get(c)?.includes("*")) return true;
  // callback typedefs are function pointers
  if (/(Callback|Func)$/.test(c)) return true;
  return false;
}

function argAbi(fn: string, argName: string, c: string, typedefs: Map<string, string>): AbiType | null {
  const s = scalar(c);
  if (s && s !== "void") return s;
  if (!isPointerType(c, typedefs)) {
    // enum typedefs passed by value are ints
    if (typedefs.get(c) === "enum") return "i32";
    return null;
  }
  if (PTR_ARG_OVERRIDE[fn]?.includes(argName)) return "ptr";
  if (/Free$/.test(fn)) return "ptr";
  const base = c.replace(/\bconst\b/g, "").trim();
  // libvirt object handles, opaque pointers and callbacks are passed through as pointers
  if (OPAQUE.has(base)) return "ptr";
  if (base === "void *" || /(Callback|Func)$/.test(base)) return "ptr";
  // strings in, out-parameters, user-allocated structs: a JS buffer
  return "buf";
}

function retAbi(c: string, typedefs: Map<string, string>): AbiType | null {
  const s = scalar(c);
  if (s) return s;
  if (isPointerType(c, typedefs)) return "ptr";
  if (typedefs.get(c) === "enum") return "i32";
  return null;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["function", "arg", "enum", "struct", "typedef", "field", "macro"].includes(name),
});
const api = parser.parse(readFileSync(API_XML, "utf8")).api;

const typedefs = new Map<string, string>();
for (const t of api.symbols.typedef ?? []) typedefs.set(t.name, t.type);
OPAQUE = new Set(
  (api.symbols.struct ?? [])
    .filter((s: any) => !s.field || s.field.length === 0)
    .map((s: any) => `${s.name} *`),
);
for (const [name, target] of typedefs) if (OPAQUE.has(target)) OPAQUE.add(name);

// ---- functions ----
interface FnOut { name: string; args: { name: string; c: string; abi: AbiType }[]; ret: { c: string; abi: AbiType }; info: string }
const fns: FnOut[] = [];
const skipped: string[] = [];
for (const f of api.symbols.function ?? []) {
  const name: string = f.name;
  if (SKIP[name]) { skipped.push(`${name}: ${SKIP[name]}`); continue; }
  const args: FnOut["args"] = [];
  let ok = true;
  for (const a of f.arg ?? []) {
    const abi = argAbi(name, a.name, a.type, typedefs);
    if (!abi) { ok = false; skipped.push(`${name}: argument ${a.name} of type '${a.type}' has no FFI mapping`); break; }
    args.push({ name: a.name, c: a.type, abi });
  }
  const r = retAbi(f.return?.type ?? "void", typedefs);
  if (!r) { ok = false; skipped.push(`${name}: return type '${f.return?.type}' has no FFI mapping`); }
  if (!ok) continue;
  fns.push({ name, args, ret: { c: f.return?.type ?? "void", abi: r! }, info: String(f.return?.info ?? "").replace(/\s+/g, " ").slice(0, 120) });
}
fns.sort((a, b) => a.name.localeCompare(b.name));

const TS_OF: Record<AbiType, string> = { void: "void", i32: "number", u32: "number", i64: "number | bigint", u64: "number | bigint", f64: "number", ptr: "Ptr", buf: "Buf" };
const RET_OF: Record<AbiType, string> = { ...TS_OF, i64: "bigint", u64: "bigint" };

let sym = HEADER("The libvirt C functions the binding can call, with their ABI types.");
sym += `import type { Ptr, Buf, SymbolDef } from "../runtime/types.ts";\n\n`;
sym += `/** ${fns.length} functions. Types: ptr = pointer libvirt gave us, buf = JS Uint8Array (strings, out-params). */\n`;
sym += `export const SYMBOLS = {\n`;
for (const f of fns) {
  sym += `  ${f.name}: {\n    args: [\n`;
  for (const a of f.args) sym += `      "${a.abi}", // ${a.c} ${a.name}\n`;
  sym += `    ],\n    returns: "${f.ret.abi}", // ${f.ret.c}\n  },\n`;
}
sym += `} as const satisfies Record<string, SymbolDef>;\n\n`;
sym += `export type SymbolName = keyof typeof SYMBOLS;\n\n`;
sym += `/** Typed JS signatures of the functions above. */\nexport interface LibvirtSymbols {\n`;
for (const f of fns) {
  const params = f.args.map((a) => `${/^[a-z_]\w*$/i.test(a.name) && !["function", "default"].includes(a.name) ? a.name : "_" + a.name}: ${TS_OF[a.abi]}${a.abi === "ptr" || a.abi === "buf" ? " | null" : ""}`).join(", ");
  sym += `  ${f.name}(${params}): ${RET_OF[f.ret.abi]};\n`;
}
sym += `}\n\n/** Left out by ffi/gen/generate.ts, with the reason. */\nexport const SKIPPED: readonly string[] = ${JSON.stringify(skipped, null, 2)};\n`;

// ---- enums ----
interface Member { name: string; value: number }
const groups = new Map<string, Member[]>();
for (const e of api.symbols.enum ?? []) {
  if (!e.type) continue;
  const v = Number(e.value);
  if (!Number.isFinite(v)) continue;
  if (!groups.has(e.type)) groups.set(e.type, []);
  groups.get(e.type)!.push({ name: e.name, value: v });
}
function commonWordPrefix(names: string[]): string {
  const split = names.map((n) => n.split("_"));
  let i = 0;
  for (; ; i++) {
    const w = split[0]![i];
    if (w === undefined || split.some((s) => s[i] !== w || s.length <= i + 1)) break;
  }
  return split[0]!.slice(0, i).join("_") + (i ? "_" : "");
}
let en = HEADER("libvirt's enums as const objects (DomainState.RUNNING === 1).");
en += `// Member keys drop the common C prefix; *_NAMES maps a value back to the full C name.\n\n`;
const exported: string[] = [];
for (const [ctype, members0] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
  const members = members0.filter((m) => !/_LAST$/.test(m.name));
  if (members.length === 0) continue;
  const js = ENUM_RENAME[ctype] ?? ctype.replace(/^vir/, "").replace(/Values$/, "");
  if (exported.includes(js)) continue;
  exported.push(js);
  const prefix = ENUM_PREFIX[ctype] ?? commonWordPrefix(members.map((m) => m.name));
  en += `/** C enum ${ctype} */\nexport const ${js} = {\n`;
  const seen = new Set<string>();
  for (const m of members) {
    let key = m.name.startsWith(prefix) ? m.name.slice(prefix.length) : m.name.replace(/^VIR_/, "");
    if (/^\d/.test(key)) key = "_" + key;
    if (seen.has(key)) continue;
    seen.add(key);
    en += `  ${key}: ${m.value},\n`;
  }
  en += `} as const;\n`;
  const names = new Map<number, string>();
  for (const m of members) if (!names.has(m.value)) names.set(m.value, m.name);
  en += `export const ${js}_NAMES: Readonly<Record<number, string>> = ${JSON.stringify(Object.fromEntries(names))};\n\n`;
}

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, "symbols.ts"), sym);
writeFileSync(join(OUT_DIR, "enums.ts"), en);
console.log(`ffi/generated: ${fns.length} functions, ${exported.length} enums, ${skipped.length} skipped (${API_XML})`);
