// The crash-loop backoff on its own (pure, the caller's clock): doubling from
// the base per failure of the same kind, capped; another kind starts over; a
// success clears it; what "the same way" means (VM names and numbers aside).
import { describe, expect, test } from "bun:test";
import { failureKind, LaunchBackoff } from "../../src/scaler/backoff.ts";

describe("LaunchBackoff", () => {
  test("3 s -> 6 -> 12 -> 24 -> 48 -> 60 (capped), one message per step", () => {
    const b = new LaunchBackoff({ baseMs: 3000, maxMs: 60_000 });
    const msg = (i: number) => `addBackend vst-a-000${i}: bad port 0`;
    const steps = [0, 1, 2, 3, 4, 5, 6].map((i) => b.failed(msg(i), `vst-a-000${i}`, 1000 * i));
    expect(steps.map((s) => s.delayMs)).toEqual([3000, 6000, 12_000, 24_000, 48_000, 60_000, 60_000]);
    expect(steps.map((s) => s.count)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(steps[0]!.message).toBe("launch of vst-a-0000 failed (addBackend vst-a-0000: bad port 0); next try in 3 s");
    expect(steps[3]!.message).toBe("launch failed 4 times the same way (addBackend vst-a-0003: bad port 0); next try in 24 s");
    expect(steps[5]!.message).toBe("launch failed 6 times the same way (addBackend vst-a-0005: bad port 0); next try in 60 s (the longest wait)");
    expect(steps[6]!.until).toBe(6000 + 60_000);
    expect(b.blocked(6000 + 59_999)).toBe(true);
    expect(b.blocked(6000 + 60_000)).toBe(false);
  });

  test("another kind of failure starts at the base; a success clears the loop", () => {
    const b = new LaunchBackoff({ baseMs: 1000, maxMs: 8000 });
    b.failed("no lease within 60000 ms", "a-1", 0);
    expect(b.failed("no lease within 60000 ms", "a-2", 0).delayMs).toBe(2000);
    expect(b.isRepeat("no lease within 60000 ms", "a-3")).toBe(true);
    expect(b.isRepeat("Network not found: no network with matching name 'x'", "a-3")).toBe(false);
    expect(b.failed("Network not found: no network with matching name 'x'", "a-3", 0)).toMatchObject({ count: 1, delayMs: 1000 });
    expect(b.succeeded()).toBe(1);
    expect(b.blocked(0)).toBe(false);
    expect(b.failures).toBe(0);
    expect(b.failed("Network not found: no network with matching name 'x'", "a-4", 0)).toMatchObject({ count: 1, delayMs: 1000 });
  });

  test("the same way: the VM's name, ports, addresses and timings aside; the words count", () => {
    expect(failureKind("vst-x-0003: no answer on 10.231.101.34:21001 within 5012 ms", "vst-x-0003")).toBe(failureKind("vst-x-0007: no answer on 10.231.101.98:21001 within 4988 ms", "vst-x-0007"));
    expect(failureKind("addBackend a-1: bad port 0", "a-1")).not.toBe(failureKind("addBackend a-1: host must be an IP address, got 'x'", "a-1"));
  });
});
