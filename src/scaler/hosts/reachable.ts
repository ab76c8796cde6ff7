// Whether a libvirt host's daemon can be reached, asked without libvirt: a
// TCP connect from this thread's event loop, bounded. libvirt's own open
// blocks the thread that calls it (the shared event-loop worker, for the event
// connections) for as long as TCP keeps trying an address that drops packets,
// about two minutes; every host's events would wait behind it. So a host is
// only (re)opened through libvirt once its port answers here.
import { connect } from "node:net";

/** The TCP endpoint a libvirt URI's transport uses (qemu+tcp: 16509, qemu+tls / qemu://HOST: 16514, qemu+ssh: 22), or null (local, or a transport without one). */
export function endpointOf(uri: string): { host: string; port: number } | null {
  const m = /^([a-z0-9]+)(?:\+([a-z0-9]+))?:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?]*)(?::(\d+))?/i.exec(uri);
  if (!m || !m[3]) return null;
  const transport = (m[2] ?? "tls").toLowerCase();
  const port = m[4] ? Number(m[4]) : transport === "tcp" ? 16509 : transport === "tls" ? 16514 : transport === "ssh" || transport === "libssh" || transport === "libssh2" ? 22 : null;
  if (port === null) return null;
  return { host: m[3].replace(/^\[|\]$/g, ""), port };
}

/** Resolves with null when the host's port accepts a connection within ms, else with why not. */
export function unreachable(uri: string, ms: number): Promise<string | null> {
  const ep = endpointOf(uri);
  if (!ep) return Promise.resolve(null);
  return new Promise((resolve) => {
    const s = connect({ host: ep.host, port: ep.port });
    const done = (why: string | null) => {
      clearTimeout(timer);
      s.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`${ep.host}:${ep.port} does not answer within ${ms} ms`), ms);
    s.once("connect", () => done(null));
    s.once("error", (e) => done(`${ep.host}:${ep.port}: ${e.message}`));
  });
}
