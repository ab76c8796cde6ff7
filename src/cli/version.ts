// `virtscale --version`: what an operator needs to report a problem: the
// version, the commit it was built from, the runtime, the libvirt library it
// loaded (virGetVersion, through the binding) and the libvirt URI it would use.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pkg from "../../package.json" with { type: "json" };
import { errorMessage } from "../errors.ts";
import type { ChosenUri } from "./uri.ts";

/** Set by build.ts (Bun.build define) in the compiled binary; absent when running from a source tree. */
declare const VIRTSCALE_COMMIT: string | undefined;

export const VERSION: string = pkg.version;

export interface VersionInfo {
  version: string;
  /** Short commit hash, "-dirty" when tracked files differed from it; null when unknown. */
  commit: string | null;
  runtime: string;
  /** libvirt library version, null when libvirt could not be loaded (then libvirtError says why). */
  libvirt: string | null;
  libvirtError?: string;
  uri: string;
  uriSource: string;
}

/** `git rev-parse --short HEAD` of the tree at `dir` (+ "-dirty"), or null without git or outside a work tree. */
export function sourceTreeCommit(dir: string): string | null {
  const git = (...args: string[]) => spawnSync("git", ["-C", dir, ...args], { encoding: "utf8", timeout: 3000 });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0 || !head.stdout.trim()) return null;
  const dirty = git("status", "--porcelain", "--untracked-files=no");
  return head.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() ? "-dirty" : "");
}

export function commit(): string | null {
  if (typeof VIRTSCALE_COMMIT === "string") return VIRTSCALE_COMMIT || null;
  return sourceTreeCommit(fileURLToPath(new URL("../..", import.meta.url)));
}

export function runtimeName(): string {
  const g = globalThis as { Deno?: { version: { deno: string; v8: string } }; Bun?: { version: string; revision?: string } };
  if (g.Deno) return `deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8})`;
  if (g.Bun) return `bun ${g.Bun.version}${g.Bun.revision ? ` (${g.Bun.revision.slice(0, 9)})` : ""}`;
  return `node ${process.version}`;
}

/** virGetVersion(&libVer, NULL, NULL): the library's own version, no connection needed. */
export async function libvirtVersion(): Promise<{ version: string | null; error?: string }> {
  try {
    const { C, check, versionString, LIBVIRT_PATH } = await import("../../ffi/lib.ts");
    const out = new BigUint64Array(1);
    check(C.virGetVersion(out, null, null), "virGetVersion");
    return { version: `${versionString(out[0]!)} (${LIBVIRT_PATH})` };
  } catch (e) {
    return { version: null, error: errorMessage(e) };
  }
}

export async function versionInfo(uri: ChosenUri): Promise<VersionInfo> {
  const lv = await libvirtVersion();
  return {
    version: VERSION,
    commit: commit(),
    runtime: runtimeName(),
    libvirt: lv.version,
    ...(lv.error ? { libvirtError: lv.error } : {}),
    uri: uri.uri,
    uriSource: uri.source,
  };
}

export function formatVersion(v: VersionInfo): string {
  return [
    `virtscale ${v.version}`,
    `  commit   ${v.commit ?? "unknown (not built from a git tree)"}`,
    `  runtime  ${v.runtime}`,
    `  libvirt  ${v.libvirt ?? `not loaded: ${v.libvirtError}`}`,
    `  uri      ${v.uri} (${v.uriSource})`,
  ].join("\n") + "\n";
}
