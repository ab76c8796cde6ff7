// Defaults of the vm section that other modules (serve, image, tests) share.

/**
 * Work-function iterations per unit of n. Calibrated so that one request at the
 * top of the default range (req_num_high = 200000, i.e. 40 M LCG steps) costs
 * ~0.3 s inside a TCG guest on the project's machines: measured 234 ms at best
 * for scale 160 once the guest's JIT had warmed up (TCG runs the JIT-compiled
 * loop at close to native speed; the first few requests run ~20x slower).
 */
export const DEFAULT_WORK_SCALE = 200;

/** The guest's service port (the assignment's server_port). */
export const GUEST_PORT = 21001;

/** virtscale's metadata namespace in domain XML (contract). */
export const METADATA_NS = "https://virtscale.dev/xmlns/vm/1";
export const METADATA_PREFIX = "virtscale";
