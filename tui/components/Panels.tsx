// The summary panels above the chart: autoscaler, balancer, load generator.
import { hostParts } from "../hosts.ts";
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

/** The pool tiers: VMs ready / tier size (yellow while short), refills under way; without tiers, the warm pool as before. */
function PoolText({ s }: { s: ScalerView }) {
  const p = s.pool;
  if (!p) return <Text color="gray"> · warm pool {s.warmPool}</Text>;
  const tier = (name: string, ready: number, size: number, color: string) =>
    size > 0 || ready > 0 ? (
      <Text color={ready < size ? "yellow" : color}>
        {" "}
        · {name} {ready}/{size}
      </Text>
    ) : null;
  return (
    <Text color="gray">
      {tier("hot", p.hot, p.hotSize, "blueBright")}
      {tier("warm", p.warm, p.warmSize, "cyan")}
      {p.filling ? ` (+${p.filling} filling)` : ""}
    </Text>
  );
}

/** The host's capacity beside the status (src/scaler/capacity.ts): yellow at the cap, where a scale-out waits. */
function CapacityText({ s }: { s: ScalerView }) {
  const c = s.capacity;
  if (!c) return null;
  return c.atCap ? <Text color="yellow"> · at host capacity: {c.text}</Text> : <Text color="gray"> · host {c.text}</Text>;
}

/** A group over several hosts: each one's VMs of the group and cap, red when lost. */
export function HostsText({ s }: { s: ScalerView }) {
  if (!s.hosts) return null;
  return (
    <Text color="gray">
      {" · hosts "}
      {hostParts(s.hosts).map((h, i) => (
        <Text key={i} color={h.lost ? "red" : undefined}>
          {i ? ", " : ""}
          {h.text}
        </Text>
      ))}
    </Text>
  );
}

/** How the pool's refill runs beside the serving VMs: at low CPU weight, or waiting for headroom (yellow while it waits). */
function RefillText({ s }: { s: ScalerView }) {
  const r = s.refill;
  if (!r || (r.state === "idle" && r.mode !== "headroom")) return null;
  if (r.state === "waiting") return <Text color="yellow"> · refill waits</Text>;
  const how = r.mode === "low weight" ? `low weight${r.shares ? ` ${r.shares.low}/${r.shares.normal}` : ""}` : r.mode;
  return <Text color="gray"> · refill {r.state === "idle" ? how : `${r.state} (${how})`}</Text>;
}

export function ScalerPanel({ s, width, height }: { s?: ScalerView; width: number; height: number }) {
  if (!s) return <Absent title="Autoscaler" note="not running in this mode" width={width} height={height} />;
  const d = s.lastDecision;
  // Which way the window points follows from the average against the thresholds.
  const [windowColor, windowEnd] =
    s.avgCpu !== null && s.avgCpu >= s.high ? ["red", "scale out"] : s.avgCpu !== null && s.avgCpu <= s.low ? ["blue", "scale in"] : ["yellow", "decide"];
  return (
    <Panel title={`Autoscaler · ${s.policy}`} width={width} height={height}>
      <Row k="status">
        {s.paused ? <Text color="yellow">paused (p resumes)</Text> : <Text color="green">active</Text>}
        <CapacityText s={s} />
        <HostsText s={s} />
      </Row>
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
        {s.idle && s.idle.forS !== null ? <Text color="gray"> · idle {Math.floor(s.idle.forS)}/{s.idle.timeoutS} s</Text> : null}
      </Row>
      {s.policy === "concurrency" ? (
        <Row k="in flight">
          <Text>{s.concurrency == null ? "-" : s.concurrency.toFixed(2)}</Text>
          <Text color="gray">
            {" "}
            per VM (target {s.concurrencyTarget ?? "-"}) · p99 {ms(s.p99Ms ?? null)} · CPU {pct(s.avgCpu)}
          </Text>
        </Row>
      ) : (
        <Row k="avg CPU">
          <Text color={cpuColor(s.avgCpu, s.high, s.low)}>{pct(s.avgCpu)}</Text>
          <Text color="gray">
            {" "}
            (out ≥{s.high}% · in ≤{s.low}%)
          </Text>
        </Row>
      )}
      <Row k="window">
        {s.windowRemainingS === null ? (
          <Text color="gray">idle</Text>
        ) : (
          <Text color={windowColor}>
            {s.windowRemainingS.toFixed(1)} s to {windowEnd}
          </Text>
        )}
        <PoolText s={s} />
        <RefillText s={s} />
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
        {(lb as { holding?: number }).holding ? <Text color="yellow"> · {count((lb as { holding?: number }).holding!)} held (waking a VM)</Text> : null}
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
