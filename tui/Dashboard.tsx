// The live dashboard: reads the store, draws at a capped frame rate, sends
// named commands through the store. It knows nothing of the balancer, the
// scaler or libvirt; what is not in the store is not on the screen. Keys go
// through the mode reducer (modes.ts); this component applies its effects.
import React, { useEffect, useRef, useState } from "react";
import { useApp, useInput, useStdin, type Key } from "ink";
import type { Store } from "../src/store.ts";
import { charKey, fitHints, footerHints, KEYS, type KeyBinding } from "./keys.ts";
import { layout } from "./layout.ts";
import { initialUi, reduceKey, type Effect, type ReduceContext, type UiState } from "./modes.ts";
import { matchesFilter, selectedIndex, visibleRows, windowStart } from "./table-model.ts";
import { recentSnapshotPaths } from "./event-format.ts";
import { clock } from "./format.ts";
import { seriesColor } from "./theme.ts";
import { Box, ColorContext, colorAllowed, Text } from "./ink.tsx";
import { useRefState, useStoreVersion, useTerminalSize, useTicker } from "./hooks.ts";
import { VmTable } from "./components/VmTable.tsx";
import { CpuChart, averageSeries } from "./components/CpuChart.tsx";
import { BalancerPanel, LoadPanel, ScalerPanel } from "./components/Panels.tsx";
import { StatusLines } from "./components/StatusLines.tsx";
import { EventLog } from "./components/EventLog.tsx";
import { HelpOverlay } from "./components/HelpOverlay.tsx";
import { RestorePicker } from "./components/RestorePicker.tsx";
import { errorMessage } from "../src/errors.ts";

export interface DashboardProps {
  store: Store;
  title?: string;
  /** Frames per second at most (default 10). */
  fps?: number;
  /** Seconds between CPU samples, for the chart's time axis and the CPU time column (default 1). */
  sampleSeconds?: number;
  /** Replace the key table (tests). */
  keys?: readonly KeyBinding[];
  /** Draw colours (default: unless NO_COLOR is set). */
  color?: boolean;
  /**
   * Whether the store's quit command removes the run's VMs (default true):
   * q then asks first while any VM of the group exists. `up --keep` says false.
   */
  quitRemovesVms?: boolean;
}

interface Status {
  text: string;
  color?: string;
  ts: number;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const STATUS_SHOWN_MS = 10_000;

export function Dashboard(props: DashboardProps) {
  return (
    <ColorContext.Provider value={props.color ?? colorAllowed()}>
      <Frame {...props} />
    </ColorContext.Provider>
  );
}

function Frame({ store, title, fps = 10, sampleSeconds = 1, keys = KEYS, quitRemovesVms = true }: DashboardProps) {
  useStoreVersion(store, fps);
  const { columns, rows } = useTerminalSize();
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [ui, setUi, uiRef] = useRefState<UiState>(() => initialUi());
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [pending, setPending] = useState<string[]>([]);
  const tableStart = useRef(0);

  const state = store.state;
  const busyLabels = [...state.busy.values()];
  const spin = useTicker(100, busyLabels.length > 0 || pending.length > 0 || ui.quitting);
  // Let the status line expire, then stop ticking.
  const statusTick = useTicker(1000, status !== undefined);
  useEffect(() => {
    if (status && Date.now() - status.ts >= STATUS_SHOWN_MS) setStatus(undefined);
  }, [statusTick, status]);

  const parts = [state.scaler, state.lb, state.load].filter(Boolean).length;
  const rowsShown = visibleRows(state, { key: ui.sort, reverse: ui.reverse }, ui.filter, sampleSeconds);
  const L = layout(columns, rows, { parts, vms: rowsShown.length });
  const allNames = [...state.vms.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const colorIndex = new Map(allNames.map((n, i) => [n, i]));
  const colorOf = (name: string) => seriesColor(colorIndex.get(name) ?? 0);
  const selIdx = selectedIndex(rowsShown, ui.selected);
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

  const apply = (e: Effect) => {
    switch (e.type) {
      case "run":
        return runCommand(e.name, e.args);
      case "say":
        return say(e.text, e.color);
      case "exit":
        return exit();
      case "quit":
        say("quitting… (q again to leave at once)", "yellow");
        Promise.resolve()
          .then(() => store.run("quit", []))
          .catch(() => undefined)
          .finally(() => exit());
        return;
    }
  };

  // The reducer reads the store as it is at the key press, not this render's copy.
  const ctx: ReduceContext = {
    keys,
    has: (n) => store.hasCommand(n),
    rows: (u) => visibleRows(store.state, { key: u.sort, reverse: u.reverse }, u.filter, sampleSeconds),
    pageSize: tableRows,
    get paused() {
      return store.state.scaler?.paused;
    },
    // The group's own VMs (not unmanaged domains, not ones already gone) are what `up`'s quit removes.
    removesOnQuit: () => (quitRemovesVms ? [...store.state.vms.values()].filter((v) => v.role !== "unmanaged" && v.role !== "stopped").map((v) => v.name).sort() : []),
    snapshotPaths: () => recentSnapshotPaths(store.events()),
  };

  useInput(
    (input, key) => {
      // Keys typed quickly (or over a slow SSH link) can arrive as one chunk
      // ("js", "\rq"): Ink then passes it whole. Take it apart, one key each.
      if (input.length > 1 && !input.includes("\x1b") && !key.upArrow && !key.downArrow) {
        for (const c of input) onKey(...charKey(c));
        return;
      }
      onKey(input, key);
    },
    { isActive: Boolean(isRawModeSupported) }, // stdin not a terminal (`< /dev/null`): draw, take no keys
  );

  function onKey(input: string, key: Key): void {
    const step = reduceKey(uiRef.current, input, key, ctx);
    if (step.ui !== uiRef.current) setUi(step.ui);
    for (const e of step.effects) apply(e);
  }

  // ---- drawing ----
  const serving = [...state.vms.values()].filter((v) => v.role === "serving");
  const spinner = SPINNER[spin % SPINNER.length];
  // The producer's own words ("saving web-0001") when it reports progress, else the commands still running.
  const activity = busyLabels.length ? busyLabels : pending;
  const middle = L.panels + L.status + L.chart + L.table + L.events;
  const panelW = Math.floor((columns - Math.max(26, Math.floor(columns * 0.22))) / 2);
  const history = (n: string) => state.cpuHistory.get(n) ?? [];
  const avgFrom = (serving.length ? serving : [...state.vms.values()]).map((v) => history(v.name));
  const average = averageSeries(avgFrom);
  const statusLive = status && Date.now() - status.ts < STATUS_SHOWN_MS ? status : undefined;
  const filter = ui.filter;

  return (
    <Box flexDirection="column" width={columns} height={L.height}>
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
      {ui.mode === "help" ? (
        <HelpOverlay has={(n) => store.hasCommand(n)} width={columns} height={middle} table={keys} />
      ) : (
        <>
          {L.panels > 0 ? (
            <Box flexDirection="row" height={L.panels}>
              <ScalerPanel s={state.scaler} width={panelW} height={L.panels} />
              <BalancerPanel lb={state.lb} width={panelW} height={L.panels} />
              <LoadPanel load={state.load} width={columns - 2 * panelW} height={L.panels} />
            </Box>
          ) : null}
          {L.status > 0 ? <StatusLines scaler={state.scaler} lb={state.lb} load={state.load} avg={average} lines={L.status} /> : null}
          {ui.mode === "restore" ? (
            <RestorePicker paths={ui.picker.paths} index={ui.picker.index} typed={ui.picker.typed} width={columns} height={L.chart + L.table + L.events} />
          ) : (
            <>
              {L.chart > 0 ? (
                <CpuChart
                  series={(filter ? allNames.filter((n) => matchesFilter(state.vms.get(n)!, filter)) : allNames).map((n) => ({ name: n, color: colorOf(n), values: history(n) }))}
                  average={state.vms.size > 1 ? average : undefined}
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
                  sort={ui.sort}
                  reverse={ui.reverse}
                  colorOf={colorOf}
                  history={history}
                  busy={isBusy}
                  high={high}
                  low={low}
                  empty={state.vms.size === 0 ? "no VMs yet" : `no VM matches “${filter}”`}
                />
              </Box>
              {L.events > 0 ? <EventLog events={store.events()} width={columns} height={L.events} /> : null}
            </>
          )}
        </>
      )}
      {ui.mode === "confirm" && ui.confirm ? (
        <Text wrap="truncate" bold color="yellow" inverse>
          {" "}
          {ui.confirm.question}{" "}
        </Text>
      ) : ui.mode === "filter" ? (
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
          {fitHints(footerHints((n) => store.hasCommand(n), keys), columns - 2).join(" · ")}
        </Text>
      )}
    </Box>
  );
}
