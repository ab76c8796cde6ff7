// What `virtscale demo` checks (and, as root, fixes) on the host before it
// boots VMs: the Debian packages that provide libvirtd and QEMU, and a
// libvirtd that answers. The daemon is started by the same script a user can
// run by hand (scripts/start-libvirtd.sh), embedded in the binary so the demo
// works from a lone dist/virtscale.
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import startLibvirtdScript from "../../../scripts/start-libvirtd.sh" with { type: "text" };
import { runTool } from "../../vm/exec.ts";
import { isRoot } from "../../vm/paths.ts";

/** Debian packages the demo needs on the host, and a command each one provides. */
export const HOST_PACKAGES: { pkg: string; provides: string }[] = [
  { pkg: "libvirt-daemon-system", provides: "/usr/sbin/libvirtd" },
  { pkg: "libvirt-daemon-driver-qemu", provides: "/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so" },
  { pkg: "libvirt-clients", provides: "/usr/bin/virsh" },
  { pkg: "qemu-system-x86", provides: "/usr/bin/qemu-system-x86_64" },
  { pkg: "busybox-static", provides: "/bin/busybox" },
  { pkg: "cpio", provides: "/usr/bin/cpio" },
];

export function missingPackages(exists: (p: string) => boolean = existsSync): string[] {
  return HOST_PACKAGES.filter((p) => !exists(p.provides)).map((p) => p.pkg);
}

export interface HostReport {
  installed: string[];
  startedLibvirtd: boolean;
}

/** Install what is missing (root only) and make qemu:///system answer. */
export async function ensureHost(opts: {
  uri: string;
  install: boolean;
  progress: (line: string) => void;
  /** Whether libvirt at `uri` answers now (the caller opens a connection). */
  answers: () => boolean;
}): Promise<HostReport> {
  const report: HostReport = { installed: [], startedLibvirtd: false };
  const missing = missingPackages();
  if (missing.length) {
    if (!opts.install || !isRoot())
      throw new Error(`missing Debian packages: ${missing.join(" ")} (as root: apt-get install --no-install-recommends ${missing.join(" ")})`);
    opts.progress(`installing ${missing.join(" ")} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    await runTool(["apt-get", "update", "-qq"], { env });
    await runTool(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
    report.installed = missing;
  }
  if (opts.answers()) return report;
  if (!opts.uri.startsWith("qemu:///system"))
    throw new Error(`libvirt does not answer at ${opts.uri}; start the daemon that serves it`);
  if (!isRoot()) throw new Error("libvirtd does not answer on qemu:///system; run as root (or scripts/start-libvirtd.sh) to start it");
  opts.progress("starting libvirtd (no service manager runs it)");
  await runScript(startLibvirtdScript, opts.progress);
  report.startedLibvirtd = true;
  if (!opts.answers()) throw new Error("libvirtd was started but qemu:///system still does not answer; see /var/log/libvirt");
  return report;
}

function runScript(script: string, progress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-s"], { stdio: ["pipe", "pipe", "pipe"] });
    let tail = "";
    const onData = (d: Uint8Array) => {
      const s = Buffer.from(d).toString("utf8");
      tail = (tail + s).slice(-2000);
      for (const line of s.split("\n")) if (line.trim()) progress(line.trim());
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`start-libvirtd failed (exit ${code}): ${tail.trim()}`))));
    child.stdin!.end(script);
  });
}
