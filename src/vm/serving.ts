// Waiting for a new VM to serve: its address first (network mode: once the
// guest has its DHCP lease), then its first correct protocol answer
// (src/vm/ready.ts), failing at once when the domain stops meanwhile or the
// caller gives up, with the serial console's last lines when it never answers.
import { ErrorNumber, domainStateName } from "../../ffi/index.ts";
import { usableAddress, type Address } from "./address.ts";
import { isLibvirt, type VmContext } from "./context.ts";
import { consoleTail } from "./host-files.ts";
import { waitServing as probeServing } from "./ready.ts";
import { serviceCheckOf } from "../protocol/service.ts";

/**
 * Resolves with ms until the VM's first correct protocol answer (probing
 * every ~150 ms). `read`: the VM's address as libvirt reports it now (asked
 * until usable, every 250 ms). `signal`: the caller gave up (the scaler
 * retired the VM it launches): the wait ends at once with the signal's
 * reason, before any "no such domain" the retire would cause.
 */
export async function waitServing(
  ctx: VmContext,
  name: string,
  read: () => Promise<Address | null>,
  timeoutMs: number,
  opts: { signal?: AbortSignal } = {},
): Promise<number> {
  const t0 = performance.now();
  const caller = opts.signal;
  const given = () => {
    if (caller?.aborted) throw caller.reason;
  };
  given();
  assertRunning(ctx, name);
  let addr = usableAddress(await read());
  while (!addr) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`${name}: no address from libvirt (DHCP lease, ARP or guest agent) within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
    given();
    assertRunning(ctx, name);
    addr = usableAddress(await read());
  }
  const left = Math.max(1, timeoutMs - (performance.now() - t0));
  // A guest that dies while we probe (crash, panic -> destroy) fails the wait at once, not at the timeout.
  const stop = new AbortController();
  const watch = setInterval(() => {
    if (caller?.aborted) return;
    try {
      assertRunning(ctx, name);
    } catch (e) {
      stop.abort(e);
    }
  }, 1000);
  const onCaller = () => stop.abort(caller!.reason);
  caller?.addEventListener("abort", onCaller, { once: true });
  try {
    await probeServing(addr, { scale: ctx.scale, check: serviceCheckOf(ctx.config), timeoutMs: left, signal: stop.signal, onTimeout: () => consoleTail(ctx.uri, name) });
  } catch (e) {
    given();
    if (stop.signal.aborted) throw stop.signal.reason;
    throw e;
  } finally {
    clearInterval(watch);
    caller?.removeEventListener("abort", onCaller);
  }
  return Math.round(performance.now() - t0);
}

/** Throws when the domain does not exist or is not running or paused (no point in probing it). */
function assertRunning(ctx: VmContext, name: string): void {
  let state: string;
  try {
    state = ctx.with(name, (d) => domainStateName(d.state().state));
  } catch (e) {
    if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw new Error(`${name}: no such domain`);
    throw e;
  }
  if (state !== "running" && state !== "paused" && state !== "blocked") {
    const tail = consoleTail(ctx.uri, name);
    throw new Error(`${name} is ${state}, not running${tail ? `\n${tail}` : ""}`);
  }
}
