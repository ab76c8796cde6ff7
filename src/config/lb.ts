// The config's `lb` section: the UDP load balancer (backend choice,
// timeouts and health, caps, the UDP engine, requests held while no backend is up).
// docs/config.md is generated from this schema and its doc comments
// (src/commands/config-doc.ts); src/config/schema.ts puts the sections together.
import { z } from "zod";

export const LbSchema = z.strictObject({
  /** Which backend gets a request: round_robin, least_outstanding (the one owing fewest answers) or p2c (the better of two at random). */
  policy: z.enum(["round_robin", "least_outstanding", "p2c"]).default("round_robin"),
  /** A request unanswered after this long counts as timed out. */
  timeout_ms: z.number().int().positive().default(2000),
  /** Timeouts that take a backend out of rotation, counted while it is silent (no answer at all, on time or late, for timeout_ms with requests outstanding): busy is not dead. */
  unhealthy_after: z.number().int().positive().default(3),
  /** Requests a backend may owe at once (in flight + timed out and still queued in it); at the cap a backend gets no new request, and with every backend at its cap requests are dropped as backend_full. 0 = no cap. */
  max_in_flight_per_backend: z.number().int().min(0).default(32),
  /** A backend out of rotation (unhealthy) is sent a probe request this often; a correct answer (service.check) puts it back. */
  probe_interval_ms: z.number().int().positive().default(250),
  /** Idle upstream sockets (per client and backend) are closed after this long. */
  idle_evict_s: z.number().positive().default(30),
  /** A draining backend leaves when its requests are answered or timed out, or after this long. */
  drain_timeout_s: z.number().positive().default(10),
  /** Upstream sessions (one socket each, per client and backend) at most; requests beyond are dropped as session_limit. */
  max_sessions: z.number().int().positive().default(4096),
  /**
   * The UDP engine of the front and upstream sockets. "batch": libc's
   * recvmmsg/sendmmsg and epoll through FFI, many datagrams per system call
   * (Linux; the fastest). "bun": Bun.udpSocket upstream. "node": node:dgram.
   * "auto" (default): $VIRTSCALE_UDP if set, else batch where libc loads,
   * else bun on Bun, else node. With bun or node the front is node:dgram.
   */
  engine: z.enum(["auto", "batch", "bun", "node"]).default("auto"),
  /**
   * Overrides the front socket's engine. "node" (node:dgram) and "batch" set a
   * 4 MiB receive buffer for client bursts; "bun" (Bun.udpSocket) cannot, and
   * a burst past ~256 datagrams is dropped by the kernel (counted as kernelDrops).
   */
  front_engine: z.enum(["node", "bun", "batch"]).optional(),
  /**
   * Requests held while no backend is in rotation and the scaler wakes one
   * (scale from zero, or the last VM being replaced); more are dropped as
   * no_backend_queue_full. Only with a scaler attached (virtscale up): the
   * static `virtscale lb` drops them as no_backend. 0: never held.
   */
  hold_queue: z.number().int().min(0).default(1024),
  /** A held request not forwarded after this long is dropped as no_backend_timeout. */
  hold_timeout_ms: z.number().int().positive().default(5000),
});
