// The live dashboard: reads the store, draws at a capped frame rate, sends
// named commands through the store. It knows nothing of the balancer, the
// scaler or libvirt; what is not in the store is not on the screen.
import React, { useEffect, useRef, useState } from "react";
import { Box, Static, Text, useApp, useInput, useStdin, type Key } from "ink";
import type { Store } from "../src/store.ts";
import { charKey, findBinding, footerHints, isAvailable, isPrintable, resolveCommand, type KeyBinding, type LocalAction, KEYS } from "./keys.ts";
import { layout } from "./layout.ts";
import { matchesFilter, selectedIndex, SORT_KEYS, visibleRows, windowStart, type SortKey } from "./table-model.ts";
import { formatEvent, recentSnapshotPaths, type EventLine } from "./event-format.ts";
import { clock } from "./format.ts";
import { seriesColor } from "./theme.ts";
import { useRefState, useStoreVersion, useTerminalSize, useTicker } from "./hooks.ts";
import { VmTable } from "./components/VmTable.tsx";
import { CpuChart, averageSeries } from "./components/CpuChart.tsx";
import { BalancerPanel, LoadPanel, ScalerPanel } from "./components/Panels.tsx";
import { HelpOverlay } from "./components/HelpOverlay.tsx";
import { RestorePicker } from "./components/RestorePicker.tsx";
import { errorMessage } from "../src/errors.ts";

export interface DashboardProps {
  store: Store;
  title?: string;
  /** Frames per second at most (default 10). */
  fps?: number;
  /** Seconds between CPU samples, for the chart's time axis (default 1). */
  sampleSeconds?: number;
  /** How many past events to print when the dashboard starts (default 20). */
  backlog?: number;
  /** Replace the key table (tests). */
  keys?: readonly KeyBinding[];
}

type Mode = "normal" | "filter" | "help" | "restore";
interface Status {
  text: string;
  color?: string;
  ts: number;
}
interface LogItem {
  id: number;
  line: EventLine;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const STATUS_SHOWN_MS = 10_000;
/** Static keeps what it printed; restart it (new key) before its item list grows without bound. */
const STATIC_BATCH = 200;

export function Dashboard({ store, title, fps = 10, sampleSeconds = 1, backlog = 20, keys = KEYS }: DashboardProps) {
  useStoreVersion(store, fps);
  const { columns, rows } = useTerminalSize();
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [mode, setMode, modeRef] = useRefState<Mode>("normal");
  const [selected, setSelected, selectedRef] = useRefState<string | undefined>(undefined);
  const [sort, setSort, sortRef] = useRefState<SortKey>("name");
  const [filter, setFilter, filterRef] = useRefState("");
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [pending, setPending] = useState<string[]>([]);
  const [quitting, setQuitting] = useState(false);
  const [picker, setPicker, pickerRef] = useRefState<{ paths: string[]; index: number; typed: string }>({ paths: [], index: 0, typed: "" });
  const tableStart = useRef(0);

  // The event log: past events once at start, then each new one; printed by <Static> above the live area.
  const [log, setLog] = useState<{ gen: number; items: LogItem[] }>(() => {
    const items: LogItem[] = [];
    let id = 0;
    for (const ev of store.events().slice(-backlog)) {
      const line = formatEvent(ev);
      if (line) items.push({ id: id++, line });
    }
    return { gen: 0, items };
  });
  useEffect(() => {
    let id = 1_000_000;
    return store.subscribe((ev) => {
      const line = formatEvent(ev);
      if (!line) return;
      const item = { id: id++, line };
      setLog((l) => (l.items.length >= STATIC_BATCH ? { gen: l.gen + 1, items: [item] } : { gen: l.gen, items: [...l.items, item] }));
    });
  }, [store]);

  const state = store.state;
  const busyLabels = [...state.busy.values()];
  const spin = useTicker(100, busyLabels.length > 0 || pending.length > 0 || quitting);
  // Let the status line expire, then stop ticking.
  const statusTick = useTicker(1000, status !== undefined);
  useEffect(() => {
    if (status && Date.now() - status.ts >= STATUS_SHOWN_MS) setStatus(undefined);
  }, [statusTick, status]);

  const L = layout(columns, rows, Boolean(state.scaler || state.lb || state.load));
  const allNames = [...state.vms.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const colorIndex = new Map(allNames.map((n, i) => [n, i]));
  const colorOf = (name: string) => seriesColor(colorIndex.get(name) ?? 0);
  const rowsShown = visibleRows(state, sort, filter);
  const selIdx = selectedIndex(rowsShown, selected);
  const tableRows = Math.max(1, L.table - 1);
  tableStart.current = windowStart(tableStart.current, Math.max(0, selIdx), rowsShown.length, tableRows);
  const high = state.scaler?.high ?? 80;
  const low = state.scaler?.low ?? 35;
  const isBusy = (name: string) => busyLabels.some((l) => l.includes(name)) || [...state.busy.keys()].some((k) => k.includes(name));

  const say = (text: string, color?: string) => setStatus({ text, color, ts: Date.now() });

  const runCommand = (name: string, args: string[]) => {
    const label = [name, ...args].join(" ");
    setPending((p) => [...p, label]);
    say(`${label}: running…`, "yellow");
    Promise.resolve()
      .then(() => store.run(name, args))
      .then(
        () => say(`${label}: done`, "green"),
        (e: unknown) => say(`${label}: ${errorMessage(e)}`, "red"),
      )
      .finally(() => setPending((p) => p.filter((x, i) => x !== label || p.indexOf(label) !== i)));
  };

  const quit = () => {
    if (quitting || !store.hasCommand("quit")) {
      exit();
      return;
    }
    setQuitting(true);
    say("quitting… (q again to leave at once)", "yellow");
    Promise.resolve()
      .then(() => store.run("quit", []))
      .catch(() => undefined)
      .finally(() => exit());
  };

  // Handlers read the refs (latest values), not this render's copies: see useRefState.
  const currentRows = () => visibleRows(store.state, sortRef.current, filterRef.current);

  const openRestore = () => {
    const paths = recentSnapshotPaths(store.events());
    setPicker({ paths, index: 0, typed: paths[0] ?? "" });
    setMode("restore");
  };

  const doAction = (a: LocalAction) => {
    const rows = currentRows();
    const cur = Math.max(0, selectedIndex(rows, selectedRef.current));
    const moveTo = (i: number) => {
      if (rows.length > 0) setSelected(rows[Math.max(0, Math.min(rows.length - 1, i))]!.name);
    };
    switch (a) {
      case "up":
        return moveTo(cur - 1);
      case "down":
        return moveTo(cur + 1);
      case "page-up":
        return moveTo(cur - tableRows);
      case "page-down":
        return moveTo(cur + tableRows);
      case "top":
        return moveTo(0);
      case "bottom":
        return moveTo(rows.length - 1);
      case "sort": {
        const next = SORT_KEYS[(SORT_KEYS.indexOf(sortRef.current) + 1) % SORT_KEYS.length]!;
        setSort(next);
        return say(`sorted by ${next}`);
      }
      case "filter":
        return setMode("filter");
      case "clear-filter":
        return setFilter("");
      case "help":
        return setMode("help");
      case "restore-picker":
        return openRestore();
      case "quit":
        return quit();
    }
  };

  useInput((input, key) => {
    // Keys typed quickly (or over a slow SSH link) can arrive as one chunk
    // ("js", "\rq"): Ink then passes it whole. Take it apart, one key each.
    if (input.length > 1 && !input.includes("\x1b") && !key.upArrow && !key.downArrow) {
      for (const c of input) onKey(...charKey(c));
      return;
    }
    onKey(input, key);
  }, { isActive: Boolean(isRawModeSupported) }); // stdin not a terminal (`< /dev/null`): draw, take no keys

  function onKey(input: string, key: Key): void {
    const mode = modeRef.current;
    const picker = pickerRef.current;
    // Ctrl-C quits from every overlay too (in normal mode the key table's quit row has it).
    if (mode !== "normal" && key.ctrl && input === "c") return quit();
    if (mode === "help") return setMode("normal");
    if (mode === "filter") {
      if (key.escape) {
        setFilter("");
        return setMode("normal");
      }
      if (key.return) return setMode("normal");
      if (key.backspace || key.delete) return setFilter((f) => f.slice(0, -1));
      if (isPrintable(input, key)) setFilter((f) => f + input);
      return;
    }
    if (mode === "restore") {
      if (key.escape) return setMode("normal");
      if (key.upArrow || key.downArrow) {
        const n = picker.paths.length;
        if (n === 0) return;
        const index = (picker.index + (key.upArrow ? -1 : 1) + n) % n;
        return setPicker({ ...picker, index, typed: picker.paths[index]! });
      }
      if (key.return) {
        const path = picker.typed.trim();
        if (!path) return say("restore: type a snapshot path first", "red");
        setMode("normal");
        return runCommand("restore", [path]);
      }
      if (key.backspace || key.delete) return setPicker({ ...picker, typed: picker.typed.slice(0, -1) });
      if (isPrintable(input, key)) setPicker({ ...picker, typed: picker.typed + input });
      return;
    }
    const b = findBinding(input, key, keys);
    if (!b) return;
    if (!isAvailable(b, (n) => store.hasCommand(n))) return say(`${b.label}: not available in this mode (${b.help})`, "gray");
    if (b.action) return doAction(b.action);
    const rows = currentRows();
    const sel = rows[selectedIndex(rows, selectedRef.current)];
    const call = resolveCommand(b, { selected: sel?.name, paused: store.state.scaler?.paused });
    if (!call) return;
    if ("reason" in call) return say(call.reason, "red");
    if (!store.hasCommand(call.name)) return say(`${call.name}: not available in this mode`, "gray");
    runCommand(call.name, call.args);
  }

  // ---- drawing ----
  const serving = [...state.vms.values()].filter((v) => v.role === "serving");
  const spinner = SPINNER[spin % SPINNER.length];
  // The producer's own words ("saving web-0001") when it reports progress, else the commands still running.
  const activity = busyLabels.length ? busyLabels : pending;
  const overlayH = L.chart + L.table;
  // The load panel's figures are short: it gets less room than the scaler and balancer.
  const loadW = L.panelCount === 3 ? Math.max(26, Math.floor(columns * 0.22)) : 0;
  const panelW = L.panelCount ? Math.floor((columns - loadW) / 2) : 0;
  const history = (n: string) => state.cpuHistory.get(n) ?? [];
  const avgFrom = (serving.length ? serving : [...state.vms.values()]).map((v) => history(v.name));
  const statusLive = status && Date.now() - status.ts < STATUS_SHOWN_MS ? status : undefined;

  return (
    <>
      <Static key={log.gen} items={log.items}>
        {(item) => (
          // Errors and warnings wrap: libvirt's whole message matters; other lines keep to one line.
          <Text key={item.id} wrap={item.line.color === "red" || item.line.tag === "warn" ? "wrap" : "truncate"}>
            <Text color="gray">{item.line.time} </Text>
            <Text color={item.line.color} bold>
              {item.line.tag.padEnd(10)}
            </Text>
            <Text color={item.line.color}>{item.line.text}</Text>
          </Text>
        )}
      </Static>
      <Box flexDirection="column" width={columns}>
        <Text wrap="truncate">
          <Text bold color="cyanBright">
            {" "}virtscale{" "}
          </Text>
          {title ? <Text color="gray">{title.replace(/^virtscale\s+/, "")} · </Text> : null}
          <Text>
            {state.vms.size} VMs · {serving.length} serving
          </Text>
          {filter ? <Text color="yellow"> · filter “{filter}” ({rowsShown.length})</Text> : null}
          {activity.length ? (
            <Text color="yellow">
              {" "}
              {spinner} {activity.join(" · ")}
            </Text>
          ) : null}
          <Text color="gray"> · {clock(store.now())}</Text>
        </Text>
        {L.panels > 0 ? (
          <Box flexDirection="row" height={L.panels}>
            <ScalerPanel s={state.scaler} width={panelW} height={L.panels} />
            <BalancerPanel lb={state.lb} width={L.panelCount === 2 ? columns - panelW : panelW} height={L.panels} />
            {L.panelCount === 3 ? <LoadPanel load={state.load} width={columns - 2 * panelW} height={L.panels} /> : null}
          </Box>
        ) : null}
        {mode === "help" ? (
          <HelpOverlay has={(n) => store.hasCommand(n)} width={columns} height={overlayH} table={keys} />
        ) : mode === "restore" ? (
          <RestorePicker paths={picker.paths} index={picker.index} typed={picker.typed} width={columns} height={overlayH} />
        ) : (
          <>
            {L.chart > 0 ? (
              <CpuChart
                series={(filter ? allNames.filter((n) => matchesFilter(state.vms.get(n)!, filter)) : allNames).map((n) => ({ name: n, color: colorOf(n), values: history(n) }))}
                average={state.vms.size > 1 ? averageSeries(avgFrom) : undefined}
                high={high}
                low={low}
                width={columns}
                height={L.chart}
                sampleSeconds={sampleSeconds}
              />
            ) : null}
            <Box height={L.table} flexDirection="column">
              <VmTable
                rows={rowsShown}
                start={tableStart.current}
                height={tableRows}
                selected={selIdx}
                width={columns}
                sort={sort}
                colorOf={colorOf}
                history={history}
                busy={isBusy}
                high={high}
                low={low}
                empty={state.vms.size === 0 ? "no VMs yet" : `no VM matches “${filter}”`}
              />
            </Box>
          </>
        )}
        {mode === "filter" ? (
          <Text wrap="truncate">
            <Text color="cyanBright">/ </Text>
            {filter}
            <Text inverse> </Text>
            <Text color="gray"> Enter keeps · Esc clears</Text>
          </Text>
        ) : statusLive ? (
          <Text wrap="truncate" color={statusLive.color}>
            {" "}
            {statusLive.text}
          </Text>
        ) : (
          <Text wrap="truncate" color="gray">
            {" "}
            {footerHints((n) => store.hasCommand(n), keys).map((h) => (h === "o sort" ? `o sort:${sort}` : h)).join(" · ")}
          </Text>
        )}
      </Box>
    </>
  );
}
