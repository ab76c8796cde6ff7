import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chartHistorySamples, ConfigError, configNotes, loadConfig, parseConfig } from "../src/config.ts";
import { defaultTarget } from "../src/commands/load.ts";
import { policyConfigFrom } from "../src/scaler/policy.ts";
import { formatName } from "../src/vm/ports.ts";

// The assignment's client.conf, every key it has (comment keys, the array
// value of one, 9-digit VM numbers included), as the course's solution
// distributed it; and its message.conf.
const CLIENT_CONF = `{
    "__** COMMENT logging_level": "options: DEBUG, INFO, WARNING, ERROR, CRITICAL",
    "logging_level": "DEBUG",

    "__** COMMENT logging_file": "use '/dev/stdout' to print the logs to the console",
    "logging_file": "/dev/stdout",

    "__** COMMENT fifo_communication_file": "the client reads its commands from this file; '/dev/stdin' for stdin",
    "fifo_communication_file": "client_fifo",

    "__** COMMENT req": [
        "The range in which the request integer should be. Both inclusive.",
        "    low  (1.0  sec)",
        "    high (0.37 sec)"
    ],
    "req_num_low": 50000000,
    "req_num_high": 70000000,

    "__** COMMENT load_type": "ONE new request is sent every time period",
    "load_request_time_period_seconds_low": 1.0,
    "load_request_time_period_seconds_mid": 0.6,
    "load_request_time_period_seconds_high": 0.37,

    "__** COMMENT req_load:": "options: low, mid, high",
    "req_load": "low",

    "___server_ip": "127.0.0.1",
    "server_ip": "none",
    "server_port": 21001,

    "__COMMENT VM naming will start from 0": "",
    "auto_scaler_domain_prefix": "cs695-ubuntu18.04-",
    "auto_scaler_vm_num_digits": 9,

    "__** COMMENT: the load should be above/below the threshold for specified number of seconds for the action to happen": "",
    "auto_scaler_load_minimum_seconds": 5,
    "__** COMMENT: if percentage of CPU utilization >= threshold, spawn new server VM": "",
    "auto_scaler_threshold_load_high": 80,
    "__** COMMENT: if percentage of CPU utilization <= threshold, stop one server VM": "",
    "auto_scaler_threshold_load_low": 35,

    "server_up_time": 30,
    "graph_history_seconds": 180
}
`;
const MESSAGE_CONF = `{
    "client_request_bytes": 4,
    "server_reply_bytes": 8
}
`;

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

  test("the assignment's client.conf and message.conf load unmodified; every key is used; the scaler reports 80/35/5", () => {
    const dir = mkdtempSync(join(tmpdir(), "virtscale-cfg-"));
    try {
      writeFileSync(join(dir, "client.conf"), CLIENT_CONF);
      writeFileSync(join(dir, "message.conf"), MESSAGE_CONF);
      const c = loadConfig([join(dir, "client.conf"), join(dir, "message.conf")]);
      const p = policyConfigFrom(c);
      expect([p.high, p.low, p.windowS]).toEqual([80, 35, 5]);
      expect(p.policy).toBe("threshold");
      // Every key the file sets (comments aside) is in the config as given: nothing is dropped silently.
      const raw = JSON.parse(CLIENT_CONF) as Record<string, unknown>;
      const keys = Object.keys(raw).filter((k) => !k.startsWith("_"));
      expect(keys.length).toBe(18);
      for (const k of keys) expect([k, (c as Record<string, unknown>)[k]]).toEqual([k, raw[k]]);
      expect(Object.keys(c).some((k) => k.startsWith("_"))).toBe(false);
      expect([c.client_request_bytes, c.server_reply_bytes]).toEqual([4, 8]);
      // How each is used: the VM names' 9 digits, the chart's span, the load generator's target (server_ip none: the front).
      expect(c.auto_scaler_vm_num_digits).toBe(9);
      // Its VMs are PREFIX + NNNNNNNNN (the prefix brings its own dash).
      expect(formatName(c.auto_scaler_domain_prefix, c.auto_scaler_vm_num_digits, 0)).toBe("cs695-ubuntu18.04-000000000");
      expect(chartHistorySamples(c)).toBe(180);
      expect(defaultTarget(c)).toBe(c.listen);
      expect(defaultTarget({ ...c, server_ip: "192.168.122.10" })).toBe("192.168.122.10:21001");
      // And what virtscale does otherwise than the assignment, one line each.
      const notes = configNotes(c);
      expect(notes).toHaveLength(4);
      expect(notes[0]).toMatch(/^logging_level DEBUG: virtscale writes no debug lines/);
      expect(notes[1]).toMatch(/^logging_file \/dev\/stdout: log lines go to stderr/);
      expect(notes[2]).toMatch(/^server_up_time 30: a new VM joins once it answers the service check and 30 s after its start/);
      expect(notes[3]).toMatch(/^req_num_low\.\.req_num_high 50000000\.\.70000000 at vm\.work_scale 200: a request is 1\.2e\+10 steps/);
      expect(configNotes(parseConfig({}))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("comment keys (names starting with _) are ignored at any depth; 13 digits are too many", () => {
    const c = parseConfig({ _note: 1, scaler: { "__ why": "x", max: 5 }, lb: { _: [] } });
    expect(c.scaler.max).toBe(5);
    expect(() => parseConfig({ auto_scaler_vm_num_digits: 13 })).toThrow(/auto_scaler_vm_num_digits: Too big: expected number to be <=12/);
    expect(parseConfig({ logging_level: "warning" }).logging_level).toBe("WARNING");
    expect(() => parseConfig({ logging_level: "LOUD" })).toThrow(/logging_level: .*DEBUG/);
    expect(() => parseConfig({ req_load: "fast" })).toThrow(/req_load: expected low, mid, high, off or N\/s/);
  });

  test("unknown keys: each on its own line with the closest known key", () => {
    let msg = "";
    try {
      parseConfig({ scaler: { maxx: 3, mni: 1, polcy: "target" }, req_lod: "low", zzzzzz: 1 });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg.split("\n").sort()).toEqual(
      [
        "req_lod: unknown key; did you mean 'req_load'?",
        "scaler.maxx: unknown key; did you mean 'max'?",
        "scaler.mni: unknown key; did you mean 'min'?",
        "scaler.polcy: unknown key; did you mean 'policy'?",
        "zzzzzz: unknown key",
      ].sort(),
    );
  });

  test("a JSON syntax error names its line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "virtscale-cfg-"));
    try {
      const f = join(dir, "client.conf");
      // client.conf edited by hand: a missing comma after "req_load" on line 3.
      writeFileSync(f, '{\n  "server_port": 21001,\n  "req_load": "low"\n  "server_ip": "none"\n}\n');
      expect(() => loadConfig([f])).toThrow(/client\.conf: not valid JSON: line 4, column 3: unexpected '"': expected ',' or '}' after a value/);
      writeFileSync(f, '{"scaler": {"max": 3,}}');
      expect(() => loadConfig([f])).toThrow(/line 1, column 22: .*trailing comma/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
