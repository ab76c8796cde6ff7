import { expect, test } from "bun:test";
import dgram from "node:dgram";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kernelUdpDrops } from "../../src/net/kernel-drops.ts";

test("parses the drops column of /proc/net/udp for a port", () => {
  const dir = mkdtempSync(join(tmpdir(), "vst-lb-proc-"));
  try {
    const f = join(dir, "udp");
    writeFileSync(
      f,
      `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 0100007F:7D00 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1234 2 0000000000000000 42
  101: 0100007F:7D01 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1235 2 0000000000000000 7
  102: 0100007F:9C41 0100007F:7D00 01 00000000:00000000 00:00000000 00000000     0        0 1236 2 0000000000000000 99
`,
    );
    expect(kernelUdpDrops(0x7d00, [f])).toBe(42);
    expect(kernelUdpDrops(0x7d01, [f])).toBe(7);
    expect(kernelUdpDrops(0x1234, [f])).toBeNull();
    expect(kernelUdpDrops(0x7d00, [join(dir, "missing")])).toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.skipIf(!existsSync("/proc/net/udp"))("finds a real bound socket on this Linux host", async () => {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  try {
    expect(kernelUdpDrops(s.address().port)).toBe(0);
  } finally {
    s.close();
  }
});
