// The assignment's command FIFO (client.conf fifo_communication_file): other
// programs steer the client by writing lines into a named pipe (`echo high >
// client_fifo`, the assignment's auto_scaler wrote `+ IP PORT`). Made with
// libc's mkfifo (node:fs has none) when missing, and removed again at close
// (or at process exit) only if made here. Read without blocking: the FIFO is
// opened O_RDONLY|O_NONBLOCK (which never waits for a writer on Linux) and
// polled every 100 ms, as the assignment's client polled its non-blocking
// file; writers may come and go (each `echo` opens and closes it), and an
// empty read just means no writer right now. No thread is parked in a read,
// so closing never hangs.
import { Buffer } from "node:buffer";
import { closeSync, constants, openSync, readSync, statSync, unlinkSync } from "node:fs";
import { lazySymbols, LIBC_PATH, runtime } from "../../ffi/runtime/index.ts";
import { describeErrno, errno } from "../net/libc.ts";

type Fn = (...args: any[]) => any;
const fifoLibc = lazySymbols<{ mkfifo: Fn }>(
  // int mkfifo(const char *pathname, mode_t mode)
  { mkfifo: { args: ["buf", "u32"], returns: "i32" } },
  (name, def) => runtime.bind(LIBC_PATH, name, def),
);

export interface FifoReader {
  readonly path: string;
  /** Whether it was made here (and so is removed at close). */
  readonly created: boolean;
  close(): void;
}

export interface FifoOptions {
  /** Poll period (default 100 ms). */
  pollMs?: number;
  /** Mode bits for a FIFO made here (default 0o600: only its owner may steer the client). */
  mode?: number;
  /** A read failed (not EAGAIN): told once, then reading stops. */
  onError?: (e: Error) => void;
}

/** Make `path` a FIFO with libc's mkfifo; errors carry libc's text ("File exists (errno 17)"). */
export function mkfifo(path: string, mode = 0o600): void {
  const rc = fifoLibc.mkfifo(new TextEncoder().encode(path + "\0"), mode);
  if (rc !== 0) throw new Error(`mkfifo ${path}: ${describeErrno(errno())}`);
}

function isFifo(path: string): boolean | null {
  try {
    return statSync(path).isFIFO();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Read lines from the FIFO at `path` (made when missing) until close(). */
export function openFifo(path: string, onLine: (line: string) => void, o: FifoOptions = {}): FifoReader {
  const kind = isFifo(path);
  if (kind === false) throw new Error(`fifo_communication_file ${path}: exists and is not a FIFO (named pipe)`);
  let created = false;
  if (kind === null) {
    mkfifo(path, o.mode ?? 0o600);
    created = true;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (created) unlinkSync(path);
    throw e;
  }
  const buf = Buffer.alloc(64 * 1024);
  let partial = "";
  let closed = false;
  const poll = () => {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") return;
        stopReading();
        o.onError?.(e as Error);
        return;
      }
      // 0: no writer has it open right now (between two `echo`s); the next one's lines come in a later poll.
      if (n === 0) return;
      partial += buf.toString("utf8", 0, n);
      const lines = partial.split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        const l = line.replace(/\r$/, "");
        if (l.trim()) onLine(l);
      }
    }
  };
  const timer = setInterval(poll, o.pollMs ?? 100);
  // The FIFO never keeps the process alive: it ends when the command does.
  (timer as { unref?: () => void }).unref?.();
  const remove = () => {
    if (!created) return;
    try {
      if (isFifo(path)) unlinkSync(path);
    } catch {
      /* gone already */
    }
  };
  // An exit that skips close() (process.exit from elsewhere) still removes what was made here.
  process.once("exit", remove);
  const stopReading = () => {
    clearInterval(timer);
  };
  return {
    path,
    created,
    close() {
      if (closed) return;
      closed = true;
      stopReading();
      // A last line written without its newline still counts.
      try {
        poll();
      } catch {
        /* closing anyway */
      }
      if (partial.trim()) onLine(partial.replace(/\r$/, ""));
      partial = "";
      closeSync(fd);
      remove();
      process.off("exit", remove);
    },
  };
}
