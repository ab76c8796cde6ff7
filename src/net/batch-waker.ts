// The batch engine's waker (a Worker thread): while the loop on the owning
// thread is idle, this thread blocks in epoll_wait on the loop's epoll
// descriptor and posts one message when a socket becomes readable. The owning
// thread then reads the sockets itself (level-triggered epoll: waiting here
// consumes nothing). So the owning thread never blocks, and an idle balancer
// costs no polling.
//
// Protocol: owner -> waker {ep}: "watch ep"; waker -> owner {ready: true} once
// something is readable, or {error} if epoll_wait failed.
import { setImmediate } from "node:timers";
import { runtime } from "../../ffi/runtime/index.ts";
import { EINTR, describeErrno, errno, libc } from "./libc.ts";

declare const self: { onmessage: ((ev: MessageEvent) => void) | null; postMessage(m: unknown): void };

const event = new Uint8Array(16); // one struct epoll_event
const eventPtr = runtime.pinned(event);
/** How long one wait blocks before giving this thread's event loop a turn (termination). */
const WAIT_MS = 100;

let ep = -1;

function watch(): void {
  const n = libc.epoll_wait(ep, eventPtr, 1, WAIT_MS);
  if (n > 0) return self.postMessage({ ready: true });
  if (n < 0) {
    const e = errno();
    if (e !== EINTR) return self.postMessage({ error: `epoll_wait: ${describeErrno(e)}` });
  }
  setImmediate(watch);
}

self.onmessage = (ev: MessageEvent) => {
  ep = (ev.data as { ep: number }).ep;
  watch();
};
self.postMessage({ started: true });
