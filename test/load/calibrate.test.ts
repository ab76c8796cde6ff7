// sendBurst: the calibration's requests, against real UDP fake backends.
import { afterEach, describe, expect, test } from "bun:test";
import { sendBurst } from "../../src/load/calibrate.ts";
import { startFakeBackend, type FakeBackend } from "../lb/backends.ts";

let open: FakeBackend[] = [];
afterEach(async () => {
  for (const b of open) await b.close();
  open = [];
});
async function backend(o: Parameters<typeof startFakeBackend>[0]) {
  const b = await startFakeBackend(o);
  open.push(b);
  return b;
}

describe("sendBurst", () => {
  test("keeps `depth` requests in flight until `count` right answers came", async () => {
    const b = await backend({ scale: 3, mode: "slow", delayMs: 40 });
    const oneByOne = await sendBurst({ host: "127.0.0.1", port: b.port }, 1234, 3, 6, 1);
    expect(b.received).toBe(6);
    expect(oneByOne).toBeGreaterThanOrEqual(6 * 40 - 5);
    const sixAtOnce = await sendBurst({ host: "127.0.0.1", port: b.port }, 1234, 3, 6, 6);
    expect(b.received).toBe(12);
    // All six wait their 40 ms side by side: well under six times 40 ms (loose bound, shared machine).
    expect(sixAtOnce).toBeLessThan(oneByOne);
  });

  test("a wrong answer fails the measurement, naming n and both values", async () => {
    const b = await backend({ scale: 1, mode: "wrong_value" });
    await expect(sendBurst({ host: "127.0.0.1", port: b.port }, 77, 1, 3, 2)).rejects.toThrow(/wrong answer for n=77: \d+ != \d+/);
  });

  test("silence is an error naming the target and how many were answered", async () => {
    const b = await backend({ mode: "silent" });
    await expect(sendBurst({ host: "127.0.0.1", port: b.port }, 5, 1, 3, 1, 200)).rejects.toThrow(new RegExp(`no answer from 127\\.0\\.0\\.1:${b.port} within 200 ms \\(0 of 3 answered\\)`));
  });
});
