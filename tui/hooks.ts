// React hooks that connect the dashboard to the store and the terminal.
import { useCallback, useEffect, useRef, useState } from "react";
import { useStdout } from "ink";
import type { Store } from "../src/store.ts";

/**
 * The store's change counter, re-read at most `fps` times a second: producers
 * may change the store thousands of times a second (every datagram), the
 * screen follows at a capped frame rate.
 */
export function useStoreVersion(store: Store, fps: number): number {
  const [version, setVersion] = useState(store.changes);
  useEffect(() => {
    const gap = 1000 / Math.max(1, fps);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const flush = () => {
      timer = undefined;
      last = Date.now();
      setVersion(store.changes);
    };
    const off = store.onChange(() => {
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, gap - (Date.now() - last)));
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [store, fps]);
  return version;
}

export interface TermSize {
  columns: number;
  rows: number;
}

/** The terminal's size, updated on resize (SIGWINCH reaches us as stdout 'resize'). */
export function useTerminalSize(): TermSize {
  const { stdout } = useStdout();
  const read = (): TermSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  return size;
}

/** A clock that ticks every `ms` while `active` (spinner, countdowns); idle otherwise. */
export function useTicker(ms: number, active: boolean): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms, active]);
  return n;
}

/**
 * State whose latest value is readable at once through `.current`: key
 * presses that arrive before the next render (fast typing, pasted chunks)
 * must see what the previous key did, not the last rendered value.
 */
export function useRefState<T>(initial: T | (() => T)): [T, (next: T | ((prev: T) => T)) => void, { readonly current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: T | ((prev: T) => T)) => {
    ref.current = typeof next === "function" ? (next as (prev: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, set, ref];
}
