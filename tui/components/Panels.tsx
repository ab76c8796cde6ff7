// The summary panels above the chart: autoscaler, balancer, load generator.
import React from "react";
import { Box, Text } from "../ink.tsx";
import type { LbView, LoadView, ScalerView } from "../../src/events.ts";
import { clock, count, ms, pct, rate } from "../format.ts";
import { cpuColor } from "../theme.ts";

const Row = ({ k, children }: { k: string; children: React.ReactNode }) => (
  <Text wrap="truncate">
    <Text color="gray">{k.padEnd(10)}</Text>
    {children}
  </Text>
);

function Panel({ title, width, height, children, dim }: { title: string; width: number; height: number; children: React.ReactNode; dim?: boolean }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={dim ? "gray" : "blue"} width={width} height={height}>
      <Text bold wrap="truncate" color={dim ? "gray" : undefined}>
        {" "}
        {title}
      </Text>
      {children}
    </Box>
  );
}

/** The panel of a part this mode does not run. */
const Absent = ({ title, note, width, height }: { title: string; note: string; width: number; height: number }) => (
  <Panel title={title} width={width} height={height} dim>
    <Text color="gray"> {note}</Text>
  </Panel>
);

export function ScalerPanel({ s, width, height }: { s?: ScalerView; width: number; height: number }) {
  if (!s) return <Absent title="Autoscaler" note="not running in this mode" width={width} height={height} />;
  const d = s.lastDecision;
  // Which way the window points follows from the average against the thresholds.
  const [windowColor, windowEnd] =
    s.avgCpu !== null && s.avgCpu >= s.high ? ["red", "scale out"] : s.avgCpu !== null && s.avgCpu <= s.low ? ["blue", "scale in"] : ["yellow", "decide"];
  return (
    <Panel title={`Autoscaler · ${s.policy}`} width={width} height={height}>
      <Row k="status">{s.paused ? <Text color="yellow">paused (p resumes)</Text> : <Text color="green">active</Text>}</Row>
      <Row k="VMs">
        <Text bold>{s.current}</Text>
        <Text color="gray"> now → </Text>
        <Text bold color={s.desired !== s.current ? "yellow" : undefined}>
          {s.desired}
        </Text>
        <Text color="gray">
          {" "}
          wanted · {s.min}–{s.max}
        </Text>
      </Row>
      <Row k="avg CPU">
        <Text color={cpuColor(s.avgCpu, s.high, s.low)}>{pct(s.avgCpu)}</Text>
        <Text color="gray">
          {" "}
          (out ≥{s.high}% · in ≤{s.low}%)
        </Text>
      </Row>
      <Row k="window">
        {s.windowRemainingS === null ? (
          <Text color="gray">idle</Text>
        ) : (
          <Text color={windowColor}>
            {s.windowRemainingS.toFixed(1)} s to {windowEnd}
          </Text>
        )}
        <Text color="gray"> · warm pool {s.warmPool}</Text>
      </Row>
      <Row k="decision">
        {d ? (
          <Text>
            <Text color="gray">{clock(d.ts)} </Text>
            {d.current}→{d.desired} <Text color="gray">{d.reason}</Text>
          </Text>
        ) : (
          <Text color="gray">none yet</Text>
        )}
      </Row>
    </Panel>
  );
}

export function BalancerPanel({ lb, width, height }: { lb?: LbView; width: number; height: number }) {
  if (!lb) return <Absent title="Balancer" note="not running in this mode" width={width} height={height} />;
  const t = lb.total;
  const drops = Object.entries(t.dropped).filter(([, n]) => n > 0);
  const count_ = (st: string) => lb.backends.filter((b) => b.state === st).length;
  return (
    <Panel title={`Balancer · ${lb.listen} · ${lb.policy}`} width={width} height={height}>
      <Row k="req/s">
        in {rate(t.rpsIn)} · out {rate(t.rpsOut)} · {count(t.inFlight)} in flight
      </Row>
      <Row k="answered">
        {count(t.answered)} of {count(t.requestsIn)}
        <Text color={t.timedOut > 0 ? "yellow" : undefined}> · {count(t.timedOut)} timed out</Text>
      </Row>
      <Row k="dropped">
        {drops.length === 0 ? <Text>none</Text> : <Text color="yellow">{drops.map(([r, n]) => `${count(n)} ${r}`).join(" · ")}</Text>}
      </Row>
      <Row k="latency">
        p50 {ms(t.p50Ms)} · p99 {ms(t.p99Ms)}
      </Row>
      <Row k="backends">
        {count_("active")} active
        {count_("draining") ? ` · ${count_("draining")} draining` : ""}
        {count_("unhealthy") ? <Text color="red"> · {count_("unhealthy")} unhealthy</Text> : null}
      </Row>
    </Panel>
  );
}

export function LoadPanel({ load, width, height }: { load?: LoadView; width: number; height: number }) {
  if (!load) return <Absent title="Load" note="no load generator" width={width} height={height} />;
  return (
    <Panel title={`Load · ${load.rate}`} width={width} height={height}>
      <Row k="rate">{rate(load.perSecond)}/s</Row>
      <Row k="sent">{count(load.sent)}</Row>
      <Row k="answered">
        {count(load.answered)}
        {load.wrong > 0 ? <Text color="red"> · {count(load.wrong)} wrong</Text> : null}
      </Row>
      <Row k="timeouts">{count(load.timedOut)}</Row>
      <Row k="latency">
        p50 {ms(load.p50Ms)} · p99 {ms(load.p99Ms)}
      </Row>
    </Panel>
  );
}
