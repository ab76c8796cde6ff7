// The files the local libvirt daemon keeps for a VM (qemu:///system only):
// its QEMU pid file, its serial console log and QEMU's own log. Read for the
// pid watch and for diagnostics (a boot that failed says what the console
// said), removed with the VM.
import { existsSync, readFileSync, rmSync } from "node:fs";

/** The QEMU process of a running VM (qemu:///system keeps it in /run/libvirt/qemu/NAME.pid). */
export function pidOf(uri: string, name: string): number | null {
  // Only the local system daemon's pid files are these VMs' (another host, the session daemon or the test driver: none).
  if (!/^qemu(\+unix)?:\/\/\/system\b/.test(uri)) return null;
  const file = `/run/libvirt/qemu/${name}.pid`;
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The serial console log of a VM (qemu:///system only), for diagnostics. */
export function serialLogOf(uri: string, name: string): string | undefined {
  return uri.startsWith("qemu:///system") ? `/var/log/libvirt/qemu/${name}-serial.log` : undefined;
}

/** The last lines of a VM's serial console, as a message paragraph; "" when there is no log. */
export function consoleTail(uri: string, name: string): string {
  const log = serialLogOf(uri, name);
  if (!log || !existsSync(log)) return "";
  try {
    const lines = readFileSync(log, "utf8").split("\n").filter((l) => l.trim());
    return `${name} serial console (last lines of ${log}):\n  ${lines.slice(-8).join("\n  ")}`;
  } catch {
    return "";
  }
}

/** Remove a VM's serial console log and QEMU log (when the daemon keeps them here). */
export function removeLogs(uri: string, name: string): void {
  const serial = serialLogOf(uri, name);
  if (!serial) return;
  for (const f of [serial, `/var/log/libvirt/qemu/${name}.log`]) rmSync(f, { force: true });
}
