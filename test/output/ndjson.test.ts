import { describe, expect, test } from "bun:test";
import { PassThrough, Writable } from "node:stream";
import { Store } from "../../src/store.ts";
import { runJson, splitCommandLine } from "../../src/output/ndjson.ts";
import { jsonLine } from "../../src/output/json-line.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function harness() {
  const store = new Store();
  const out = new PassThrough();
  const stdin = new PassThrough();
  let text = "";
  out.on("data", (b: Buffer) => (text += b.toString("utf8")));
  const run = runJson(store, { out, stdin });
  const lines = () =>
    text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const send = async (line: string) => {
    stdin.write(line + "\n");
    await sleep(5);
    await run.idle();
    await sleep(5);
  };
  return { store, out, stdin, run, lines, raw: () => text, send };
}

describe("runJson", () => {
  test("every event is one line of JSON with type and ts", async () => {
    const h = harness();
    h.store.setVms([{ name: "vst-out-a", state: "running", role: "serving", vcpus: 1, memoryKiB: 1024, cpuPct: null }]);
    h.store.setVms([{ name: "vst-out-a", state: "paused", role: "serving", vcpus: 1, memoryKiB: 1024, cpuPct: 12.5 }]);
    h.store.tick();
    h.store.emit({ type: "scale", ts: 1, action: "out", from: 1, to: 2, reason: "avg 90% ≥ 80% for 5 s" });
    h.store.emit({ type: "snapshot", ts: 2, name: "vst-out-a", action: "save", status: "done", path: "/tmp/x", ms: 12 });
    h.store.log("multi\nline message");
    h.store.error("libvirt", Object.assign(new Error("Domain not found"), { code: 42, domain: 10 }));
    await sleep(5);
    const raw = h.raw();
    expect(raw.endsWith("\n")).toBe(true);
    const lines = h.lines();
    for (const l of lines) {
      expect(typeof l.type).toBe("string");
      expect(typeof l.ts).toBe("number");
    }
    expect(lines.map((l) => l.type)).toEqual(["vm", "tick", "scale", "snapshot", "log", "error"]);
    const tick = lines[1] as { vms: { name: string; cpuPct: number | null }[] };
    expect(tick.vms[0]).toMatchObject({ name: "vst-out-a", cpuPct: 12.5 });
    expect(lines[0]).toMatchObject({ type: "vm", name: "vst-out-a", from: "running", to: "paused" });
    expect(lines[4]).toMatchObject({ message: "multi\nline message" }); // the newline is escaped, the line stays one line
    expect(lines[5]).toMatchObject({ source: "libvirt", message: "Domain not found", code: 42, domain: 10 });
    h.run.stop();
  });

  test("bigint values are written safely: exact numbers when they fit, strings when not", () => {
    const parsed = JSON.parse(jsonLine({ a: 5n, big: 2n ** 64n + 1n, m: new Map([["k", 1n]]), inf: Infinity }));
    expect(parsed).toEqual({ a: 5, big: "18446744073709551617", m: { k: 1 }, inf: null });
  });

  test("a tick whose balancer view carries bigint counters still serializes", async () => {
    const h = harness();
    h.store.setLbSource(() => ({ listen: "127.0.0.1:1", policy: "rr", backends: [], total: { requestsIn: 10n } as never }));
    h.store.tick();
    await sleep(5);
    expect(h.lines()[0]).toMatchObject({ type: "tick", lb: { total: { requestsIn: 10 } } });
    h.run.stop();
  });

  test("stdin lines run the named commands with their words as arguments", async () => {
    const h = harness();
    const calls: string[][] = [];
    h.store.register({ name: "scale+1", help: "add one", run: (a) => void calls.push(["scale+1", ...a]) });
    h.store.register({ name: "snapshot", help: "snap", run: (a) => (calls.push(["snapshot", ...a]), { path: "/snap/x", bytes: 3n }) });
    await h.send("scale+1");
    await h.send("  snapshot   vst-out-a   halt  ");
    await h.send('snapshot "name with space" resume');
    await h.send("# a comment");
    await h.send("");
    expect(calls).toEqual([["scale+1"], ["snapshot", "vst-out-a", "halt"], ["snapshot", "name with space", "resume"]]);
    const replies = h.lines().filter((l) => l.type === "command");
    expect(replies[0]).toMatchObject({ name: "scale+1", args: [], status: "ok" });
    expect(replies[1]).toMatchObject({ name: "snapshot", args: ["vst-out-a", "halt"], status: "ok", result: { path: "/snap/x", bytes: 3 } });
    h.run.stop();
  });

  test("lines read before `ready` wait for it: a command registered at start-up is not 'unknown'", async () => {
    const store = new Store();
    const out = new PassThrough();
    const stdin = new PassThrough();
    let text = "";
    out.on("data", (b: Buffer) => (text += b.toString("utf8")));
    let markReady!: () => void;
    const run = runJson(store, { out, stdin, ready: new Promise<void>((r) => (markReady = r)) });
    stdin.write("pause\n");
    await sleep(20);
    const calls: string[] = [];
    store.register({ name: "pause", help: "pause", run: () => void calls.push("pause") });
    expect(calls).toEqual([]);
    markReady();
    await sleep(5);
    await run.idle();
    expect(calls).toEqual(["pause"]);
    const lines = text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === "error")).toBe(false);
    expect(lines.find((l) => l.type === "command")).toMatchObject({ name: "pause", status: "ok" });
    run.stop();
  });

  test("unknown commands and failures are error events, never a crash", async () => {
    const h = harness();
    h.store.register({ name: "snapshot", help: "", run: () => Promise.reject(Object.assign(new Error("Requested operation is not valid"), { code: 55 })) });
    await h.send("frobnicate now");
    await h.send("snapshot vst-out-a halt");
    await h.send('restore "unterminated');
    const lines = h.lines();
    const errors = lines.filter((l) => l.type === "error");
    expect(errors[0]!.message).toContain("unknown command 'frobnicate'");
    expect(errors[1]).toMatchObject({ message: "Requested operation is not valid", code: 55 });
    expect(errors[2]!.message).toContain("unterminated quote");
    expect(lines.filter((l) => l.type === "command").map((l) => l.status)).toEqual(["failed", "failed"]);
    h.run.stop();
  });

  test("commands run in order; quit does not wait behind a slow one", async () => {
    const h = harness();
    const order: string[] = [];
    let release!: () => void;
    h.store.register({ name: "slow", help: "", run: () => new Promise<void>((r) => (release = () => (order.push("slow"), r()))) });
    h.store.register({ name: "after", help: "", run: () => void order.push("after") });
    h.store.register({ name: "quit", help: "", run: () => void order.push("quit") });
    h.stdin.write("slow\nafter\nquit\n");
    await sleep(30);
    expect(order).toEqual(["quit"]);
    release();
    await h.run.idle();
    expect(order).toEqual(["quit", "slow", "after"]);
    h.run.stop();
  });

  test("help lists the registered commands", async () => {
    const h = harness();
    h.store.register({ name: "scale+1", help: "add a VM", run: () => undefined });
    await h.send("help");
    expect(h.lines().find((l) => l.type === "log")!.message).toContain("scale+1: add a VM");
    h.run.stop();
  });

  test("a reader that does not keep up loses ticks, never other events, and is told", async () => {
    const store = new Store();
    const chunks: string[] = [];
    let unblock!: () => void;
    // A writable that holds its first write until released: everything after buffers, writableNeedDrain turns true.
    const out = new Writable({
      highWaterMark: 16,
      write(chunk, _enc, cb) {
        chunks.push(chunk.toString());
        if (chunks.length === 1) unblock = cb;
        else cb();
      },
    });
    const run = runJson(store, { out, stdin: null });
    store.log("first");
    store.tick();
    store.tick();
    store.log("kept");
    unblock();
    await sleep(10);
    store.tick();
    await sleep(10);
    const types = chunks.join("").trim().split("\n").map((l) => JSON.parse(l));
    expect(types.map((t) => t.type)).toEqual(["log", "log", "log", "tick"]);
    expect(types[1].message).toContain("skipped 2 tick(s)");
    expect(types[2].message).toBe("kept");
    run.stop();
  });

  test("stop() ends output and reading", async () => {
    const h = harness();
    const calls: string[] = [];
    h.store.register({ name: "scale+1", help: "", run: () => void calls.push("scale+1") });
    h.run.stop();
    h.store.log("after stop");
    h.stdin.write("scale+1\n");
    await sleep(10);
    expect(h.raw()).toBe("");
    // Reading ended too: the line ran no command (output alone could not tell, it is off).
    expect(calls).toEqual([]);
  });
});

describe("splitCommandLine", () => {
  test("words, quotes, escapes", () => {
    expect(splitCommandLine("load  high")).toEqual(["load", "high"]);
    expect(splitCommandLine('restore "/a b/c \\" d"')).toEqual(["restore", '/a b/c " d']);
    expect(splitCommandLine('x ""')).toEqual(["x", ""]);
    expect(() => splitCommandLine('x "y')).toThrow("unterminated quote");
  });
});
