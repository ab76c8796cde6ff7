import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, parseConfig } from "../src/config.ts";

describe("config", () => {
  test("defaults are the assignment's numbers", () => {
    const c = parseConfig({});
    expect(c.auto_scaler_threshold_load_high).toBe(80);
    expect(c.auto_scaler_threshold_load_low).toBe(35);
    expect(c.auto_scaler_load_minimum_seconds).toBe(5);
    expect(c.server_port).toBe(21001);
    expect(c.scaler.min).toBe(1);
  });

  test("load defaults fit one TCG VM: small requests, levels left to the measured cost unless set", () => {
    const c = parseConfig({});
    expect([c.req_num_low, c.req_num_high]).toEqual([2000, 20000]);
    // Unset: low / mid / high are fractions of one VM's measured capacity (src/load/cost.ts).
    expect(c.load_request_time_period_seconds_low).toBeUndefined();
    expect(c.load_request_time_period_seconds_mid).toBeUndefined();
    expect(c.load_request_time_period_seconds_high).toBeUndefined();
    // The assignment's client.conf values are still accepted as they are.
    const a = parseConfig({ req_num_low: 20000, req_num_high: 200000, load_request_time_period_seconds_high: 0.02 });
    expect(a.req_num_high).toBe(200000);
    expect(a.load_request_time_period_seconds_high).toBe(0.02);
    expect(() => parseConfig({ load_request_time_period_seconds_low: 0 })).toThrow(/load_request_time_period_seconds_low/);
  });

  test.each([
    [{ bogus: 1 }, /bogus: unknown key/],
    [{ server_port: "21001" }, /server_port: .*number/],
    [{ scaler: { max: "3" } }, /scaler\.max: .*number/],
    [{ scaler: { frobnicate: true } }, /scaler\.frobnicate: unknown key/],
    [{ client_request_bytes: 5 }, /client_request_bytes/],
    [{ server_reply_bytes: 4 }, /server_reply_bytes/],
    [{ auto_scaler_threshold_load_low: 90 }, /auto_scaler_threshold_load_low: must be below/],
    [{ lb: { policy: "random" } }, /lb\.policy/],
    [{ scaler: { min: 4, max: 2 } }, /scaler\.min: must not exceed/],
  ])("%j is refused naming the key", (raw, re) => {
    expect(() => parseConfig(raw)).toThrow(re);
  });

  test("files merge left to right and errors name the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "virtscale-cfg-"));
    try {
      const client = join(dir, "client.conf");
      const message = join(dir, "message.conf");
      writeFileSync(client, JSON.stringify({ auto_scaler_threshold_load_high: 70, auto_scaler_domain_prefix: "AnyPrefix", scaler: { max: 4 } }));
      writeFileSync(message, JSON.stringify({ client_request_bytes: 4, server_reply_bytes: 8, scaler: { min: 2 } }));
      const c = loadConfig([client, message]);
      expect(c.auto_scaler_threshold_load_high).toBe(70);
      expect(c.auto_scaler_domain_prefix).toBe("AnyPrefix");
      expect(c.scaler.max).toBe(4);
      expect(c.scaler.min).toBe(2);
      const bad = join(dir, "bad.conf");
      writeFileSync(bad, "{ not json");
      expect(() => loadConfig([bad])).toThrow(ConfigError);
      expect(() => loadConfig([bad])).toThrow(/bad\.conf: not valid JSON/);
      expect(() => loadConfig([join(dir, "missing.conf")])).toThrow(/missing\.conf: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
