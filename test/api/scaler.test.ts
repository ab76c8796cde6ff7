// /v1/scaler against a real Group (manual steps) with a real Balancer and the
// VmManager on test:///default.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ScalerState } from "../../src/api/schemas.ts";
import { apiGroupRig, type ApiGroupRig } from "./helpers.ts";

let rig: ApiGroupRig;
let group: ApiGroupRig["group"];
beforeAll(async () => {
  rig = await apiGroupRig({ scaler: { min: 0, max: 3, period_s: 1 } });
  group = rig.group;
});
afterAll(async () => {
  await rig?.close();
});

describe("/v1/scaler", () => {
  test("GET shows state and settings", async () => {
    const r = await rig.req("GET", "/v1/scaler");
    expect(r.status).toBe(200);
    const s = ScalerState.parse(r.json);
    expect(s).toMatchObject({ policy: "threshold", paused: false, min: 0, max: 3, desired: 0 });
    expect(s.settings).toMatchObject({ high: 80, low: 35, window_s: 5 });
  });

  test("PATCH changes thresholds, bounds, policy and pause through the Group", async () => {
    let r = await rig.req("PATCH", "/v1/scaler", { high: 90, low: 20, max: 5, paused: true });
    expect(r.status).toBe(200);
    expect(ScalerState.parse(r.json)).toMatchObject({ paused: true, max: 5, settings: { high: 90, low: 20, max: 5 } });
    expect(group.settings()).toMatchObject({ high: 90, low: 20, max: 5 });
    expect(group.view().paused).toBe(true);
    r = await rig.req("PATCH", "/v1/scaler", { policy: "target", target: 50, paused: false });
    expect(r.json).toMatchObject({ policy: "target", paused: false, settings: { policy: "target", target: 50 } });
    expect((await rig.req("GET", "/v1/scaler")).json.settings.target).toBe(50);
  });

  test("contradictions, unknown and read-only fields are 400 naming the field", async () => {
    const bad: [unknown, RegExp][] = [
      [{ min: 6 }, /min: 6 exceeds max 5/],
      [{ low: 95 }, /low: 95 must be below high 90/],
      [{ max: 0 }, /^max: /],
      [{ high: 101 }, /^high: /],
      [{ policy: "random" }, /^policy: /],
      [{ window_s: 9 }, /window_s: unknown field/],
      [{ paused: "yes" }, /^paused: expected boolean/],
    ];
    for (const [body, re] of bad) {
      const r = await rig.req("PATCH", "/v1/scaler", body);
      expect(r.status).toBe(400);
      expect(r.json.error.description).toMatch(re);
    }
    expect(group.settings().min).toBe(0);
  });

  test("metrics carry the scaler's state", async () => {
    group.step();
    const r = await rig.req("GET", "/metrics");
    expect(r.text).toContain('virtscale_scaler_vms{kind="max"} 5');
    expect(r.text).toContain("virtscale_scaler_paused 0");
    expect(r.text).toMatch(/virtscale_scaler_threshold_ratio\{bound="high"\} (0\.\d+|1)\n/);
    expect(r.text).toMatch(/virtscale_scaler_scale_events_total\{direction="out"\} \d+/);
  });
});
