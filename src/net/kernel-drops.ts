// Datagrams the kernel dropped on a UDP socket (receive buffer full) never
// reach the balancer's counters; Linux reports them per socket in the last
// column of /proc/net/udp{,6}. Read once a second for the front socket so a
// flood's losses are counted, not silent. Elsewhere this returns null.
import { readFileSync } from "node:fs";

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, "0");
}

/** Sum of `drops` for UDP sockets bound to `port` (any local address), or null when unknown. */
export function kernelUdpDrops(port: number, files = ["/proc/net/udp", "/proc/net/udp6"]): number | null {
  const want = ":" + hexPort(port);
  let found = false;
  let total = 0;
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch {
      continue;
    }
    const lines = text.split("\n");
    for (let i = 1; i < lines.length; i++) {
      const cols = lines[i]!.trim().split(/\s+/);
      if (cols.length < 13) continue;
      // cols[1] = local "ADDR:PORT" in hex, cols[2] = remote; unconnected sockets have remote port 0000.
      if (!cols[1]!.endsWith(want) || !cols[2]!.endsWith(":0000")) continue;
      const drops = Number(cols[cols.length - 1]);
      if (Number.isFinite(drops)) {
        total += drops;
        found = true;
      }
    }
  }
  return found ? total : null;
}
