// The summary panels in one line each, for terminals too small for the boxes
// (80x24): the figures that matter first, so a cut at the right edge loses
// the least. htop keeps its meters the same way.
import React from "react";
import { Text } from "../ink.tsx";
import type { LbView, LoadView, ScalerView } from "../../src/events.ts";
import { count, ms, pct, rate } from "../format.ts";
import { sparkline } from "../sparkline.ts";
import { cpuColor } from "../theme.ts";
import { HostsText } from "./Panels.tsx";

const Label = ({ children }: { children: string }) => (
  <Text bold color="blue">
    {children.padEnd(9)}
  </Text>
);
const Sep = () => <Text color="gray"> · </Text>;

export function ScalerLine({ s, avg }: { s: ScalerView; avg: ReadonlyArray<number | null> }) {
  const toward = s.avgCpu !== null && s.avgCpu >= s.high ? "out" : s.avgCpu !== null && s.avgCpu <= s.low ? "in" : "decide";
  return (
    <Text wrap="truncate">
      <Label>Scaler</Label>
      {s.paused ? <Text color="yellow">paused</Text> : <Text color="green">active</Text>}
      <Sep />
      VMs <Text bold>{s.current}</Text>
      {s.desired !== s.current ? <Text color="yellow">→{s.desired}</Text> : null}
      <Text color="gray"> ({s.min}–{s.max})</Text>
      <Sep />
      avg <Text color={cpuColor(s.avgCpu, s.high, s.low)}>{pct(s.avgCpu)}</Text> <Text color="cyan">{sparkline(avg, 8)}</Text>
      <Text color="gray">
        {" "}
        (out ≥{s.high} in ≤{s.low})
      </Text>
      <Sep />
      {s.windowRemainingS === null ? <Text color="gray">window idle</Text> : <Text color={toward === "out" ? "red" : toward === "in" ? "blue" : "yellow"}>{s.windowRemainingS.toFixed(1)} s to {toward === "decide" ? "decide" : `scale ${toward}`}</Text>}
      {s.pool ? <Text color="gray"> · pool {s.pool.hotSize ? `hot ${s.pool.hot} ` : ""}{s.pool.warmSize ? `warm ${s.pool.warm}` : ""}</Text> : s.warmPool ? <Text color="gray"> · pool {s.warmPool}</Text> : null}
      <Text color="gray"> · {s.policy}</Text>
      <HostsText s={s} />
    </Text>
  );
}

export function BalancerLine({ lb }: { lb: LbView }) {
  const t = lb.total;
  const dropped = Object.values(t.dropped).reduce((a, b) => a + b, 0);
  const active = lb.backends.filter((b) => b.state === "active").length;
  const unhealthy = lb.backends.filter((b) => b.state === "unhealthy").length;
  return (
    <Text wrap="truncate">
      <Label>Balancer</Label>
      in {rate(t.rpsIn)}/s out {rate(t.rpsOut)}/s
      <Sep />
      p99 {ms(t.p99Ms)}
      <Sep />
      <Text color={t.timedOut > 0 ? "yellow" : undefined}>{count(t.timedOut)} timed out</Text>
      <Sep />
      <Text color={dropped > 0 ? "yellow" : undefined}>{count(dropped)} dropped</Text>
      <Sep />
      {active} active{unhealthy ? <Text color="red"> {unhealthy} unhealthy</Text> : null}
      <Text color="gray">
        {" "}
        · {count(t.inFlight)} in flight · {lb.listen}
      </Text>
    </Text>
  );
}

export function LoadLine({ load }: { load: LoadView }) {
  return (
    <Text wrap="truncate">
      <Label>Load</Label>
      {load.rate} {rate(load.perSecond)}/s
      <Sep />
      sent {count(load.sent)} answered {count(load.answered)}
      {load.wrong > 0 ? <Text color="red"> {count(load.wrong)} wrong</Text> : null}
      <Sep />
      {count(load.timedOut)} timeouts
      <Sep />
      p99 {ms(load.p99Ms)}
    </Text>
  );
}

/** One line per part that runs, at most `lines`. */
export function StatusLines({ scaler, lb, load, avg, lines }: { scaler?: ScalerView; lb?: LbView; load?: LoadView; avg: ReadonlyArray<number | null>; lines: number }) {
  const parts: React.ReactNode[] = [];
  if (scaler) parts.push(<ScalerLine key="s" s={scaler} avg={avg} />);
  if (lb) parts.push(<BalancerLine key="b" lb={lb} />);
  if (load) parts.push(<LoadLine key="l" load={load} />);
  return <>{parts.slice(0, lines)}</>;
}
