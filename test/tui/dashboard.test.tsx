import { afterEach, describe, expect, test } from "bun:test";
import React from "react";
import { cleanup, render } from "ink-testing-library";
import { Dashboard } from "../../tui/Dashboard.tsx";
import { helpColumns } from "../../tui/components/HelpOverlay.tsx";
import { helpRows } from "../../tui/keys.ts";
import { fullStore, live, plain, resize, storeWith, until, vm, sleep } from "./helpers.ts";

afterEach(() => cleanup());

const ARROW_DOWN = "\x1b[B";

function mount(store = storeWith(3), size: [number, number] = [120, 40]) {
  const r = render(<Dashboard store={store} fps={50} title="test" />);
  resize(r.stdout, size[0], size[1]);
  const frame = () => plain(live(r.lastFrame()));
  return { ...r, store, frame };
}

describe("dashboard", () => {
  test("the VM table shows each VM's name, state, role, CPU and address", async () => {
    const { frame } = mount();
    await until(() => frame().includes("127.0.0.1:35003"), "the third VM's address (full width)");
    const f = frame();
    expect(f).toContain("NAME");
    expect(f).toContain("ROLE");
    expect(f).toMatch(/vst-tui-0001\s+running\s+serving\s+1\s+256M/);
    expect(f).toContain("127.0.0.1:35002");
    expect(f).toContain("3 VMs · 3 serving");
  });

  test("the CPU chart labels the scaler's thresholds and updates with the store", async () => {
    const store = storeWith(2);
    store.setScaler({ policy: "threshold", paused: false, current: 2, desired: 2, min: 1, max: 4, high: 70, low: 20, avgCpu: 50, windowRemainingS: null, warmPool: 0 });
    const { frame } = mount(store);
    await until(() => frame().includes("high 70%"), "the high threshold in the chart title");
    const f = frame();
    expect(f).toContain("low 20%");
    // Axis labels on the threshold rows, and braille dots drawn on them.
    expect(f).toMatch(/ 70 ┤[⠀-⣿ ]*[⠁-⣿]/);
    expect(f).toMatch(/ 20 ┤[⠀-⣿ ]*[⠁-⣿]/);
    expect(f).toContain("Autoscaler · threshold");
    // New VM appears in the legend after the store changes (frame-rate capped, not frozen).
    store.setVms([vm(1), vm(2), vm(9)]);
    await until(() => frame().includes("vst-tui-0009"), "the new VM after a store change");
  });

  test("? shows every key from the key table, greying out unregistered commands", async () => {
    const store = storeWith(1);
    store.register({ name: "scale+1", help: "add a VM", run: () => undefined });
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0001"), "first frame");
    stdin.write("?");
    await until(() => frame().includes("Keys"), "the help overlay");
    const f = frame();
    expect(f).toMatch(/\+\s+scale out by one VM \[scale\+1\]\s+║/); // registered: no marker
    expect(f).toMatch(/-\s+scale in by one VM \[scale-1\] \(not available in this mode\)/);
    expect(f).toMatch(/1\s+load generator: low \[load\] \(not available in this mode\)/);
    expect(f).toContain("snapshot the selected VM and halt it");
    stdin.write("x"); // any key closes
    await until(() => !frame().includes("Keys ("), "help closed");
  });

  test("s snapshots the selected VM (after moving down) through the store command", async () => {
    const store = storeWith(3);
    const calls: string[][] = [];
    let release!: () => void;
    store.register({
      name: "snapshot",
      help: "snapshot NAME resume|halt",
      run: (args) => {
        calls.push(args);
        return store.operations.run(args[0]!, "snapshot", "dashboard", () => new Promise<void>((r) => (release = r)), { label: `snapshot ${args[0]}` });
      },
    });
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0002"), "first frame");
    stdin.write(ARROW_DOWN);
    await until(() => /▶ vst-tui-0002/.test(frame()), "selection on the second VM");
    stdin.write("s");
    await until(() => calls.length === 1, "the snapshot command");
    expect(calls[0]).toEqual(["vst-tui-0002", "resume"]);
    // While it runs the screen keeps drawing and shows it as busy.
    await until(() => frame().includes("snapshot vst-tui-0002 resume: running"), "progress in the status line");
    expect(frame()).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] snapshot vst-tui-0002/);
    release();
    await until(() => frame().includes("snapshot vst-tui-0002 resume: done"), "done in the status line");
    stdin.write("S");
    await until(() => calls.length === 2, "the halt snapshot");
    expect(calls[1]).toEqual(["vst-tui-0002", "halt"]);
    release();
  });

  test("a failing command shows libvirt's message; an unregistered one says not available", async () => {
    const store = storeWith(1);
    store.register({ name: "scale+1", help: "", run: () => Promise.reject(new Error("Requested operation is not valid: domain is already running")) });
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0001"), "first frame");
    stdin.write("+");
    await until(() => frame().includes("scale+1: Requested operation is not valid: domain is already running"), "the error");
    stdin.write("-");
    await until(() => frame().includes("not available in this mode"), "not available");
    // The failure is also in the event log (<Static>, above the live area).
    expect(store.events().some((e) => e.type === "error" && e.message.includes("already running"))).toBe(true);
  });

  test("/ filters the table as you type; Esc clears", async () => {
    const { frame, stdin } = mount(storeWith(12));
    await until(() => frame().includes("vst-tui-0012"), "first frame");
    stdin.write("/");
    await sleep(30);
    stdin.write("0011");
    await until(() => frame().includes("filter “0011” (1)"), "the filter in the header");
    const f = frame();
    expect(f).toContain("vst-tui-0011");
    expect(f).not.toContain("vst-tui-0012");
    expect(f).not.toContain("vst-tui-0001 ");
    stdin.write("\r");
    await sleep(30);
    await until(() => !frame().includes("Enter keeps"), "filter input closed, filter kept");
    expect(frame()).toContain("filter “0011” (1)");
    stdin.write("\x1b");
    await until(() => !frame().includes("filter “") && /[▶●] vst-tui-0001 /.test(frame()), "all rows back");
  });

  test("100 VMs: rows are windowed to the terminal height, the selection stays visible, resize re-windows", async () => {
    const { frame, stdin, stdout } = mount(storeWith(100, 5), [120, 40]);
    await until(() => frame().includes("vst-tui-0001"), "first frame");
    const rowsOf = (f: string) => f.split("\n").filter((l) => /^[▶●] vst-tui-/.test(l)).length;
    const tall = rowsOf(frame());
    expect(tall).toBeGreaterThan(3);
    expect(tall).toBeLessThan(40);
    expect(frame()).toContain(`↓${100 - tall}`);
    // Every live line fits the width and the live area is shorter than the terminal.
    const lines = frame().split("\n");
    expect(lines.length).toBeLessThan(40);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(120);
    stdin.write("G"); // last VM
    await until(() => /▶ vst-tui-0100/.test(frame()), "the last VM selected and shown");
    resize(stdout, 80, 20);
    await until(() => frame().split("\n").every((l) => [...l].length <= 80), "narrow frame");
    const small = rowsOf(frame());
    expect(small).toBeLessThan(tall);
    expect(small).toBeGreaterThan(0);
    expect(frame()).toMatch(/▶ vst-tui-0100/);
    expect(frame().split("\n").length).toBeLessThan(20);
  });

  test("o cycles the sort column (CPU: busiest first)", async () => {
    const store = storeWith(0);
    store.setVms([vm(1, { cpuPct: 10 }), vm(2, { cpuPct: 95 }), vm(3, { cpuPct: 50 })]);
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0003"), "first frame");
    stdin.write("o");
    await until(() => frame().includes("CPU↓"), "sorted by CPU");
    const order = frame()
      .split("\n")
      .filter((l) => /^[▶●] vst-tui-/.test(l))
      .map((l) => l.slice(2, 14));
    expect(order).toEqual(["vst-tui-0002", "vst-tui-0003", "vst-tui-0001"]);
  });
});

describe("dashboard on a short terminal", () => {
  test("help flows into columns and stays inside the screen", async () => {
    const { frame, stdin } = mount(storeWith(2), [80, 20]);
    await until(() => frame().includes("vst-tui-0002") && !frame().includes("CPU %"), "the small layout (no chart)");
    stdin.write("?");
    await until(() => frame().includes("Keys ("), "help");
    const f = frame();
    expect(f).toContain("q/Ctrl-C");
    expect(f).toContain("(n/a) scale out by one VM");
    expect(f.split("\n").length).toBeLessThan(20);
    for (const l of f.split("\n")) expect([...l].length).toBeLessThanOrEqual(80);
  });
});

describe("dashboard commands", () => {
  test("r lists snapshots saved in this run; Enter restores the chosen one", async () => {
    const store = storeWith(1);
    const restored: string[][] = [];
    store.register({ name: "restore", help: "", run: (a) => void restored.push(a) });
    store.emit({ type: "snapshot", ts: 1, name: "vst-tui-0001", action: "save", status: "done", path: "/snap/vst-tui-0001-a.save", ms: 5 });
    store.emit({ type: "snapshot", ts: 2, name: "vst-tui-0001", action: "save", status: "failed", path: "/snap/failed.save", error: "x" });
    store.emit({ type: "snapshot", ts: 3, name: "vst-tui-0001", action: "save", status: "done", path: "/snap/vst-tui-0001-b.save", ms: 5 });
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0001"), "first frame");
    stdin.write("r");
    await until(() => frame().includes("Restore from a snapshot"), "the restore picker");
    expect(frame()).toContain("path: /snap/vst-tui-0001-b.save"); // newest first
    expect(frame()).not.toContain("failed.save");
    stdin.write("\x1b[B"); // down: the older one
    await until(() => frame().includes("path: /snap/vst-tui-0001-a.save"), "the older snapshot chosen");
    stdin.write("\r");
    await until(() => restored.length === 1, "the restore command");
    expect(restored[0]).toEqual(["/snap/vst-tui-0001-a.save"]);
  });

  test("load keys send load low/mid/high/off when a generator is registered", async () => {
    const store = storeWith(1);
    const rates: string[] = [];
    store.register({ name: "load", help: "", run: (a) => void rates.push(a[0]!) });
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0001"), "first frame");
    for (const k of ["3", "1", "2", "0"]) {
      stdin.write(k);
      await sleep(20);
    }
    await until(() => rates.length === 4, "four load commands");
    expect(rates).toEqual(["high", "low", "mid", "off"]);
  });

  test("q asks first when quitting removes VMs: n stays, y runs quit; Ctrl-C twice quits too", async () => {
    for (const keys of [["q", "y"], ["\x03", "\x03"]]) {
      const store = storeWith(2);
      let quits = 0;
      store.register({ name: "quit", help: "", run: () => void quits++ });
      const { frame, stdin } = mount(store);
      await until(() => frame().includes("vst-tui-0002"), "first frame");
      stdin.write(keys[0]!);
      await until(() => frame().includes("Quit: stop the group and remove 2 VMs (vst-tui-0001, vst-tui-0002)? y/n"), `the question after ${JSON.stringify(keys[0])}`);
      if (keys[0] === "\x03") expect(frame()).toContain("(Ctrl-C again: yes)");
      expect(quits).toBe(0);
      stdin.write(keys[1]!);
      await until(() => quits === 1, `quit via ${JSON.stringify(keys)}`);
      cleanup();
    }
    // n (and Esc) keep the dashboard and the group.
    const store = storeWith(1);
    let quits = 0;
    store.register({ name: "quit", help: "", run: () => void quits++ });
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0001"), "first frame");
    stdin.write("q");
    await until(() => frame().includes("y/n"), "the question");
    stdin.write("x"); // not an answer: the question stays
    await sleep(30);
    expect(frame()).toContain("y/n");
    stdin.write("n");
    await until(() => !frame().includes("y/n") && frame().includes("cancelled"), "cancelled");
    expect(quits).toBe(0);
    stdin.write("\x1b");
    await sleep(30);
    expect(quits).toBe(0);
  });

  test("q quits at once when nothing would be removed (no VMs of the group, or the run keeps them)", async () => {
    for (const [store, props] of [
      [storeWith(0), {}],
      [(() => { const s = storeWith(0); s.setVms([vm(1, { role: "unmanaged" })]); return s; })(), {}],
      [storeWith(2), { quitRemovesVms: false }],
    ] as const) {
      let quits = 0;
      store.register({ name: "quit", help: "", run: () => void quits++ });
      const r = render(<Dashboard store={store} fps={50} {...props} />);
      resize(r.stdout, 120, 40);
      await until(() => plain(r.lastFrame() ?? "").includes(" virtscale "), "first frame");
      r.stdin.write("q");
      await until(() => quits === 1, "quit without a question");
      cleanup();
    }
  });
});

describe("event log", () => {
  test("scale, vm, snapshot and error events show in the frame's event panel, newest last, each once", async () => {
    const store = storeWith(1);
    store.emit({ type: "log", ts: Date.now(), level: "info", message: "from before the dashboard" });
    const r = render(<Dashboard store={store} fps={50} />);
    resize(r.stdout, 120, 40);
    const all = () => plain(r.lastFrame() ?? "");
    await until(() => all().includes("from before the dashboard"), "the backlog");
    store.emit({ type: "scale", ts: Date.now(), action: "out", from: 1, to: 2, reason: "avg CPU 91% ≥ 80% for 5 s" });
    store.emit({ type: "snapshot", ts: Date.now(), name: "vst-tui-0001", action: "save", status: "failed", error: "Requested operation is not valid" });
    store.error("libvirt", Object.assign(new Error("Domain not found: no domain with matching name 'x'"), { code: 42, domain: 10 }));
    store.tick(); // ticks are not logged
    await until(() => all().includes("Domain not found"), "the error line");
    const f = all();
    expect(f).toMatch(/scale out\s+1 → 2: avg CPU 91% ≥ 80% for 5 s/);
    expect(f).toContain("save vst-tui-0001 failed: Requested operation is not valid");
    expect(f).toContain("libvirt: Domain not found: no domain with matching name 'x' [code 42, domain 10]");
    // Inside the frame: below the table, above the footer; the newest is the last line of the log.
    const lines = f.split("\n");
    const title = lines.findIndex((l) => l.startsWith("── Events"));
    expect(title).toBeGreaterThan(lines.findIndex((l) => l.includes("vst-tui-0001")));
    const logLines = lines.slice(title + 1).filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    expect(logLines.at(-1)).toContain("Domain not found");
    expect(logLines[0]).toContain("from before the dashboard");
    expect(lines.length).toBe(39); // the whole frame: terminal rows - 1
    // Shown once: later frames redraw the panel, they do not add to it.
    store.setVms([vm(1), vm(2)]);
    await until(() => all().includes("vst-tui-0002"), "a later frame");
    expect(all().split("Domain not found").length - 1).toBe(1);
  });
});

describe("balancer figures per VM", () => {
  test("requests/s, in flight and p99 come from the backend of the same name; an unhealthy backend shows", async () => {
    const store = storeWith(0);
    store.setVms([vm(1, { rps: undefined, inFlight: undefined, p99Ms: undefined }), vm(2, { rps: undefined, inFlight: undefined, p99Ms: undefined })]);
    const counters = { requestsIn: 0, forwarded: 0, answered: 0, timedOut: 0, dropped: {}, p50Ms: null, p90Ms: null };
    store.setLb({
      listen: "127.0.0.1:1",
      policy: "round_robin",
      total: { ...counters, inFlight: 0, p99Ms: null, rpsIn: 0, rpsOut: 0 },
      backends: [
        { ...counters, id: "vst-tui-0001", address: "127.0.0.1:35001", state: "active", inFlight: 7, p99Ms: 12.5, rpsIn: 321, rpsOut: 320 },
        { ...counters, id: "vst-tui-0002", address: "127.0.0.1:35002", state: "unhealthy", inFlight: 0, p99Ms: null, rpsIn: 0, rpsOut: 0 },
      ],
    });
    const { frame } = mount(store);
    await until(() => frame().includes("vst-tui-0002"), "rows");
    expect(frame()).toMatch(/vst-tui-0001\s+running\s+serving .* 321\s+7\s+13ms/);
    expect(frame()).toMatch(/vst-tui-0002\s+running\s+unhealthy/);
  });
});

test("a long libvirt error in the event log wraps instead of losing its end", async () => {
  const store = storeWith(1);
  const r = render(<Dashboard store={store} fps={50} />);
  resize(r.stdout, 80, 30);
  const long = "Requested operation is not valid: " + "x".repeat(90) + " END-OF-MESSAGE";
  store.error("command snapshot", Object.assign(new Error(long), { code: 55, domain: 10 }));
  await until(() => plain(r.lastFrame() ?? "").includes("END-OF-MESSAGE"), "the end of the message");
});

describe("layout at 80x24 and at 120x40", () => {
  const withCommands = (store = fullStore(3)) => {
    for (const name of ["snapshot", "restore", "scale+1", "scale-1", "pause", "resume", "load", "quit"]) store.register({ name, help: "", run: () => undefined });
    return store;
  };

  test("80x24: one status line each for the scaler, the balancer and the load, the table, the event log, the footer", async () => {
    const store = withCommands();
    store.log("balancer front 127.0.0.1:21001");
    const { frame } = mount(store, [80, 24]);
    await until(() => frame().includes("Scaler") && frame().includes("── Events") && frame().split("\n").every((l) => [...l].length <= 80), "the compact layout");
    const f = frame();
    const lines = f.split("\n");
    expect(lines.length).toBe(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^Scaler\s+active · VMs 3 \(1–4\) · avg 47%/);
    expect(lines[2]).toMatch(/^Balancer\s+in 120\/s out 119\/s · p99 4\.20ms · 3 timed out · 1 dropped/);
    expect(lines[3]).toMatch(/^Load\s+mid 120\/s · sent 1200 answered 1180/);
    expect(f).toMatch(/▶ vst-tui-0001\s+running\s+serving/);
    expect(f).toContain("balancer front 127.0.0.1:21001");
    expect(f).not.toContain("╭"); // no boxes, no chart at this size
    // The footer fits: hints that do not are left out, help and quit always stay.
    expect(lines.at(-1)).toMatch(/^ ↑↓ select · .* · \? help · q quit$/);
  });

  test("80x24: every help line is whole (long ones wrap under themselves), in two columns inside the screen", async () => {
    const store = withCommands();
    const { frame, stdin } = mount(store, [80, 24]);
    await until(() => frame().includes("Scaler"), "first frame");
    stdin.write("?");
    await until(() => frame().includes("Keys ("), "help");
    const f = frame();
    expect(f.split("\n").length).toBe(23);
    expect(f).not.toContain("…");
    // Between header and footer: 24 - 1 (spare) - 2 rows.
    const { columns } = helpColumns((n) => store.hasCommand(n), 80, 21);
    expect(columns.length).toBe(2);
    const entries = columns.flat();
    expect(entries.length).toBe(helpRows().length);
    for (const e of entries) {
      expect(e.lines.join(" ")).toBe(e.b.help);
      for (const line of e.lines) expect(f).toContain(line);
    }
    expect(f).toContain("quit; `up` stops the group");
    expect(f).toContain("(asks first)");
  });

  test("120x40: the full panels, the chart, the table and the event log", async () => {
    const store = withCommands();
    store.log("hello from the log");
    const { frame } = mount(store, [120, 40]);
    await until(() => frame().includes("Autoscaler · threshold") && frame().includes("CPU %"), "the big layout");
    const f = frame();
    expect(f.split("\n").length).toBe(39);
    expect(f).toContain("Balancer · 127.0.0.1:21001 · round_robin");
    expect(f).toContain("Load · mid");
    expect(f).toContain("high 80%");
    expect(f).toMatch(/vst-tui-0003\s+running\s+serving/);
    expect(f).toContain("hello from the log");
    expect(f).not.toMatch(/^Scaler /m); // the compact lines give way to the panels
    expect(f.split("\n").at(-1)).toBe(" ↑↓ select · s/S snapshot · r restore · +/- scale · p pause · 1-3/0 load · P/M/T/N/R sort · / filter · ? help · q quit");
  });
});

describe("sorting keys (virt-top's P, M, T, N and a reverse)", () => {
  const order = (f: string) =>
    f
      .split("\n")
      .filter((l) => /^[▶●] vst-tui-/.test(l))
      .map((l) => l.slice(2, 14));

  test("P sorts by CPU, M by memory, T by CPU time, N by name; R (or the same key again) reverses", async () => {
    const store = storeWith(0);
    // CPU now: 2 > 3 > 1; memory: 3 > 1 > 2; CPU time over the history: 1 (long busy history) > 3 > 2.
    for (let i = 0; i < 10; i++) store.setVms([vm(1, { cpuPct: 90, memoryKiB: 2048 * 1024 }), vm(2, { cpuPct: 1, memoryKiB: 512 * 1024 }), vm(3, { cpuPct: 30, memoryKiB: 4096 * 1024 })]);
    store.setVms([vm(1, { cpuPct: 10, memoryKiB: 2048 * 1024 }), vm(2, { cpuPct: 95, memoryKiB: 512 * 1024 }), vm(3, { cpuPct: 50, memoryKiB: 4096 * 1024 })]);
    const { frame, stdin } = mount(store);
    await until(() => frame().includes("vst-tui-0003"), "first frame");
    const press = async (k: string, header: RegExp, what: string) => {
      stdin.write(k);
      await until(() => header.test(frame()), what);
    };
    await press("P", /CPU↓/, "sorted by CPU");
    expect(order(frame())).toEqual(["vst-tui-0002", "vst-tui-0003", "vst-tui-0001"]);
    await press("R", /CPU↑/, "CPU reversed");
    expect(order(frame())).toEqual(["vst-tui-0001", "vst-tui-0003", "vst-tui-0002"]);
    await press("M", /MEM↓/, "sorted by memory");
    expect(order(frame())).toEqual(["vst-tui-0003", "vst-tui-0001", "vst-tui-0002"]);
    await press("M", /MEM↑/, "memory again: reversed");
    expect(order(frame())).toEqual(["vst-tui-0002", "vst-tui-0001", "vst-tui-0003"]);
    await press("T", /TIME↓/, "sorted by CPU time");
    expect(order(frame())).toEqual(["vst-tui-0001", "vst-tui-0003", "vst-tui-0002"]);
    expect(frame()).toMatch(/vst-tui-0001 .* 9\.1s /); // 10 x 90 % + 10 % of one vCPU for 1 s samples
    await press("N", /NAME↑/, "sorted by name");
    expect(order(frame())).toEqual(["vst-tui-0001", "vst-tui-0002", "vst-tui-0003"]);
    await press("R", /NAME↓/, "name reversed");
    expect(order(frame())).toEqual(["vst-tui-0003", "vst-tui-0002", "vst-tui-0001"]);
  });

  test("at 80 columns the column sorted by stays on screen", async () => {
    const { frame, stdin } = mount(storeWith(3), [80, 24]);
    await until(() => frame().includes("vst-tui-0003"), "first frame");
    expect(frame()).not.toContain("TIME");
    stdin.write("T");
    await until(() => frame().includes("TIME↓"), "the TIME column");
  });
});
