// /v1/scaler: the group's state and its policy settings, changed at run time
// through the Group's own API (configure, pause, resume).
import type { PolicyConfig } from "../../scaler/policy.ts";
import type { Group } from "../../scaler/group.ts";
import { ApiError } from "../errors.ts";
import { errorDoc, json, type ApiDeps, type RouteDef } from "../route.ts";
import { ScalerPatch, ScalerState } from "../schemas.ts";
import type { z } from "zod";

function groupOf(deps: ApiDeps): Group {
  if (!deps.scaler) throw new ApiError(404, "no scaler runs in this process (the API was started without a group: use virtscale up --api)");
  return deps.scaler;
}

function stateOf(g: Group): z.infer<typeof ScalerState> {
  const v = g.view();
  const s = g.settings();
  return {
    policy: v.policy,
    paused: v.paused,
    current: v.current,
    desired: v.desired,
    min: v.min,
    max: v.max,
    avg_cpu: v.avgCpu,
    window_remaining_s: v.windowRemainingS,
    warm_pool: v.warmPool,
    last_decision: v.lastDecision ?? null,
    settings: {
      policy: s.policy,
      min: s.min,
      max: s.max,
      high: s.high,
      low: s.low,
      window_s: s.windowS,
      target: s.target,
      tolerance: s.tolerance,
      cooldown_s: s.cooldownS,
    },
  };
}

export function scalerRoutes(): RouteDef[] {
  return [
    {
      method: "GET",
      path: "/v1/scaler",
      tags: ["scaler"],
      summary: "The scaler's state and settings",
      responses: { 200: { description: "state", schema: ScalerState }, 404: errorDoc("no scaler in this process") },
      handle(_i, deps) {
        return json(200, stateOf(groupOf(deps)));
      },
    },
    {
      method: "PATCH",
      path: "/v1/scaler",
      tags: ["scaler"],
      summary: "Change thresholds, bounds, policy, or pause/resume",
      request: { schema: ScalerPatch, required: true },
      responses: {
        200: { description: "the new state", schema: ScalerState },
        400: errorDoc("bad body, or settings that contradict each other (min > max, low >= high)"),
        404: errorDoc("no scaler in this process"),
      },
      handle({ body }, deps) {
        const g = groupOf(deps);
        const p = body as z.infer<typeof ScalerPatch>;
        const cur = g.settings();
        const next: PolicyConfig = {
          ...cur,
          ...(p.policy !== undefined && { policy: p.policy }),
          ...(p.min !== undefined && { min: p.min }),
          ...(p.max !== undefined && { max: p.max }),
          ...(p.high !== undefined && { high: p.high }),
          ...(p.low !== undefined && { low: p.low }),
          ...(p.target !== undefined && { target: p.target }),
          ...(p.tolerance !== undefined && { tolerance: p.tolerance }),
          ...(p.cooldown_s !== undefined && { cooldownS: p.cooldown_s }),
        };
        const problems: string[] = [];
        if (next.min > next.max) problems.push(`min: ${next.min} exceeds max ${next.max}`);
        if (next.low >= next.high) problems.push(`low: ${next.low} must be below high ${next.high}`);
        if (problems.length) throw new ApiError(400, problems.join("; "));
        g.configure({ policy: next.policy, min: next.min, max: next.max, high: next.high, low: next.low, target: next.target, tolerance: next.tolerance, cooldownS: next.cooldownS });
        if (p.paused === true) g.pause();
        if (p.paused === false) g.resume();
        return json(200, stateOf(g));
      },
    },
  ];
}
