// `up`'s command-line overrides of the scaler config (--min, --max, --policy,
// --source, --template, --warm-pool, --listen), validated again so errors name the flag or key.
import { hostPortArg, intArg, UsageError } from "../cli.ts";
import { parseConfig, type Config } from "../config.ts";
import { errorMessage } from "../errors.ts";

export function applyOverrides(config: Config, v: Record<string, unknown>): Config {
  const scaler: Record<string, unknown> = { ...config.scaler };
  const min = intArg("min", v.min, 0);
  const max = intArg("max", v.max, 1);
  if (min !== undefined) scaler.min = min;
  if (max !== undefined) scaler.max = max;
  if (v.policy !== undefined) {
    if (v.policy !== "threshold" && v.policy !== "target" && v.policy !== "concurrency") throw new UsageError(`--policy: expected threshold, target or concurrency, got '${v.policy}'`);
    scaler.policy = v.policy;
  }
  if (v.source !== undefined) {
    if (!["template", "warm", "predefined"].includes(v.source as string)) throw new UsageError(`--source: expected template, warm or predefined, got '${v.source}'`);
    scaler.source = v.source;
  }
  if (v.template !== undefined) scaler.template = v.template;
  const pool = intArg("warm-pool", v["warm-pool"], 0);
  if (pool !== undefined) scaler.warm_pool = pool;
  if (scaler.source === "warm" && !scaler.warm_pool) scaler.warm_pool = 1;
  const listen = v.listen !== undefined ? (hostPortArg("listen", v.listen as string), v.listen as string) : config.listen;
  try {
    return parseConfig({ ...config, listen, scaler });
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
}

