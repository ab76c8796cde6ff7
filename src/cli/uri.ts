// Which libvirt URI a command talks to when -c is not given, by libvirt's own
// rules (virConnectOpen with a NULL name): $LIBVIRT_DEFAULT_URI when set and
// not empty; else `uri_default` from libvirt.conf (/etc/libvirt/libvirt.conf
// for root, $XDG_CONFIG_HOME/libvirt/libvirt.conf, default ~/.config, for
// anyone else); else the local QEMU driver, qemu:///system for root and
// qemu:///session for other users. Each answer says where it came from, so the
// commands that start a group can say which libvirt they chose and why.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface ChosenUri {
  uri: string;
  /** Where it came from, for a log line: "-c", "$LIBVIRT_DEFAULT_URI", "uri_default in FILE", "default for root", ... */
  source: string;
}

export interface UriEnv {
  env?: Record<string, string | undefined>;
  /** Effective uid (libvirt checks geteuid() == 0). */
  euid?: number;
  /** Reads a file; undefined when it does not exist or cannot be read. */
  readFile?: (path: string) => string | undefined;
  home?: string;
}

/** The libvirt.conf libvirt itself reads for this user. */
export function libvirtConfPath(euid: number, env: Record<string, string | undefined>, home: string): string {
  if (euid === 0) return "/etc/libvirt/libvirt.conf";
  const base = env.XDG_CONFIG_HOME || join(env.HOME || home, ".config");
  return join(base, "libvirt", "libvirt.conf");
}

/** `uri_default = "..."` from a libvirt.conf text (virConf syntax: # comments, single or double quotes). */
export function uriDefaultFrom(text: string): string | undefined {
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s+/, "");
    if (line.startsWith("#")) continue;
    const m = /^uri_default\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (m) return m[1] ?? m[2];
  }
  return undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function chooseUri(connect: string | undefined, o: UriEnv = {}): ChosenUri {
  if (connect) return { uri: connect, source: "-c" };
  const env = o.env ?? process.env;
  if (env.LIBVIRT_DEFAULT_URI) return { uri: env.LIBVIRT_DEFAULT_URI, source: "$LIBVIRT_DEFAULT_URI" };
  const euid = o.euid ?? process.geteuid?.() ?? 0;
  const conf = libvirtConfPath(euid, env, o.home ?? homedir());
  const text = (o.readFile ?? readOrUndefined)(conf);
  const fromConf = text === undefined ? undefined : uriDefaultFrom(text);
  if (fromConf) return { uri: fromConf, source: `uri_default in ${conf}` };
  const why = `no -c, $LIBVIRT_DEFAULT_URI or uri_default in ${conf}`;
  return euid === 0 ? { uri: "qemu:///system", source: `libvirt's default for root: ${why}` } : { uri: "qemu:///session", source: `libvirt's default for a non-root user: ${why}` };
}
