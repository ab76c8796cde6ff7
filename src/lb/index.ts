export { Balancer, OVERLOAD_MS, BACKLOG_MAX, type BalancerOptions, type BackendViewExt, type LbViewExt, type LbConfig } from "./balancer.ts";
export { lbPrometheus } from "./metrics.ts";
export { LB_STATS, DROP_REASONS, type LbCountersExt } from "./stats.ts";
export { makePicker, type PolicyName } from "./policy.ts";
export { bindUdp, defaultEngine, type Udp, type UdpEngine } from "../net/udp.ts";
export { LogHistogram, WindowedHistogram } from "../net/histogram.ts";
