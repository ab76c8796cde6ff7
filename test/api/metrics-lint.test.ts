// /metrics as Prometheus expects it: scraped from a real running program and
// checked by Prometheus' own linter (`promtool check metrics`, Debian package
// `prometheus`, installed by scripts/setup.sh), plus the naming rules promtool
// does not check (base units, no rates, no summaries, no pseudo labels).
// Without promtool this fails in CI and is skipped, loudly, on a dev machine.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { Balancer } from "../../src/lb/balancer.ts";
import { LbSchema } from "../../src/config.ts";
import { startServer } from "../../src/guest/serve.ts";
import { Store } from "../../src/store.ts";
import { apiRig, rand6 } from "./helpers.ts";
import { testClient, until } from "../lb/client.ts";
import { startUpRun } from "../output/real-run.ts";

const PROMTOOL = Bun.which("promtool");
const lint = PROMTOOL || process.env.CI ? test : test.skip;
if (!PROMTOOL)
  console.warn(
    `\n*** promtool not found: the Prometheus linter checks of /metrics are ${process.env.CI ? "FAILING (CI)" : "SKIPPED on this machine"}; install it with apt-get install prometheus (scripts/setup.sh) ***\n`,
  );

/** promtool's verdict on a scrape: "" when clean, else what it said. */
function promtool(text: string): string {
  if (!PROMTOOL) throw new Error("promtool is not installed (Debian package prometheus; scripts/setup.sh installs it)");
  const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8", timeout: 20_000 });
  return r.status === 0 ? "" : `promtool exit ${r.status}: ${r.stdout}${r.stderr}`;
}

/** Sample lines and each family's TYPE. */
function parse(text: string): { types: Map<string, string>; samples: { name: string; labels: string; value: number }[] } {
  const types = new Map<string, string>();
  const samples: { name: string; labels: string; value: number }[] = [];
  for (const l of text.split("\n")) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(l);
    if (t) types.set(t[1]!, t[2]!);
    const s = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(l);
    if (s && !l.startsWith("#")) samples.push({ name: s[1]!, labels: s[2] ?? "", value: s[3] === "+Inf" ? Infinity : Number(s[3]) });
  }
  return { types, samples };
}

/** The naming rules of issue 17 that promtool does not enforce. */
function conventionProblems(text: string): string[] {
  const { types, samples } = parse(text);
  const problems: string[] = [];
  for (const [name, type] of types) {
    if (/_percent|_per_second|_ms\b|_milliseconds|_kib\b/.test(name)) problems.push(`${name}: not a base unit (seconds, bytes, ratio 0..1) or a rate`);
    if (type === "summary") problems.push(`${name}: a summary (use a histogram)`);
  }
  for (const s of samples) {
    const family = [...types.keys()].find((f) => s.name === f || (types.get(f) === "histogram" && [`${f}_bucket`, `${f}_sum`, `${f}_count`].includes(s.name)));
    if (!family) problems.push(`${s.name}: a sample without # TYPE`);
    if (s.labels.includes('="_total"')) problems.push(`${s.name}${s.labels}: a pseudo label value for a total`);
    if (types.get(family ?? "") === "counter" && /[{,]state="/.test(s.labels)) problems.push(`${s.name}${s.labels}: a state label on a counter`);
  }
  // Each histogram series: buckets never decrease, +Inf = _count, _sum present.
  for (const [f, type] of types) {
    if (type !== "histogram") continue;
    const series = new Map<string, number[]>();
    for (const s of samples.filter((x) => x.name === `${f}_bucket`)) {
      const key = s.labels.replace(/,?le="[^"]*"/, "");
      (series.get(key) ?? series.set(key, []).get(key)!).push(s.value);
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) if (buckets[i]! < buckets[i - 1]!) problems.push(`${f}${key}: bucket ${i} goes down`);
      const count = samples.find((x) => x.name === `${f}_count` && x.labels.replace(/[{}]/g, "") === key.replace(/[{}]/g, ""));
      if (!count || count.value !== buckets.at(-1)) problems.push(`${f}${key}: _count missing or not the +Inf bucket`);
      if (!samples.some((x) => x.name === `${f}_sum` && x.labels.replace(/[{}]/g, "") === key.replace(/[{}]/g, ""))) problems.push(`${f}${key}: no _sum`);
    }
  }
  return problems;
}

const value = (text: string, name: string, labels = ""): number | undefined => parse(text).samples.find((s) => s.name === name && s.labels === labels)?.value;

describe("/metrics of a real `virtscale up --api` on test:///default, with answered load", () => {
  lint(
    "promtool check metrics passes, and the naming rules hold",
    async () => {
      // The group's VM serves through a real `virtscale serve` on its forward port (real-run.ts).
      const run = await startUpRun({ prefix: `vst-metrics-${rand6()}`, args: ["--load", "30/s"] });
      let text = "";
      try {
        await run.waitLine((l) => l.type === "vm" && l.to === "serving", "the first VM serving");
        // Until the monitor has two CPU samples of the VM (a CPU % needs two) and the balancer has relayed answers.
        const ready = await until(
          () => {
            fetch(`${run.apiUrl}/metrics`)
              .then((r) => r.text())
              .then((t) => (text = t))
              .catch(() => {});
            return text.includes("virtscale_vm_cpu_seconds_total{") && text.includes("virtscale_vm_cpu_usage_ratio{") && (value(text, "virtscale_lb_answered_total") ?? 0) > 20;
          },
          30_000,
          300,
        );
        if (!ready) throw new Error(`no complete scrape within 30 s; last:\n${text}\nstderr:\n${run.stderr()}`);
      } finally {
        expect(await run.finish()).toBe(0);
      }
      expect(promtool(text)).toBe("");
      expect(conventionProblems(text)).toEqual([]);
      for (const f of ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds", "process_max_fds"])
        expect(value(text, f)).toBeGreaterThan(0);
      expect(value(text, "process_start_time_seconds")! * 1000).toBeLessThan(Date.now());
      expect(value(text, "process_resident_memory_bytes")).toBeGreaterThan(1 << 20);
      expect(text).toMatch(/^virtscale_build_info\{version="\d+\.\d+\.\d+[^"]*",commit="[^"]+",runtime="bun [^"]+"\} 1$/m);
      expect(text).toMatch(/^virtscale_vm_cpu_seconds_total\{name="vst-metrics-\w+-\d+"\} [0-9.e+]+$/m);
      expect(text).toMatch(/^virtscale_vm_cpu_usage_ratio\{name="vst-metrics-\w+-\d+"\} [0-9.e+-]+$/m);
      expect(text).toContain('virtscale_scaler_scale_events_total{direction="out"}');
      // The first VM's launch: decision to its first answer, as a histogram by how it came up.
      expect(value(text, "virtscale_scaler_decision_to_serving_seconds_count", '{how="cold"}')).toBe(1);
      expect(value(text, "virtscale_scaler_launches_total", '{how="cold",outcome="serving"}')).toBe(1);
      // Answers relayed: the group's histogram counts each one in time, and so does the backend's.
      const answered = value(text, "virtscale_lb_answered_total")!;
      expect(value(text, "virtscale_lb_request_duration_seconds_count")).toBe(answered);
      expect(text).toMatch(/^virtscale_lb_backend_request_duration_seconds_count\{backend="vst-metrics-\w+-0000"\} [1-9]\d*$/m);
      expect(text).toMatch(/^virtscale_lb_backend_info\{backend="vst-metrics-\w+-0000",address="127\.0\.0\.1:\d+",state="active"\} 1$/m);
    },
    90_000,
  );
});

describe("/metrics with answering backends", () => {
  lint(
    "latency histograms count every answer, also of a backend that left",
    async () => {
      const lb = LbSchema.parse({ timeout_ms: 1000, probe_interval_ms: 100, max_in_flight_per_backend: 0 });
      const servers = await Promise.all([0, 1].map(() => startServer({ port: 0, host: "127.0.0.1", scale: 1 })));
      const store = new Store();
      const balancer = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: lb, store, workScale: 1 });
      const rig = await apiRig({ api: { store, lb: balancer } });
      const client = await testClient();
      try {
        const { port } = await balancer.start();
        servers.forEach((s, i) => balancer.addBackend(`be${i}`, s.address));
        for (let i = 0; i < 200; i++) client.send(i, port);
        expect(await client.waitFor(200, 5000)).toBe(200);
        let text = (await rig.req("GET", "/metrics")).text;
        expect(promtool(text)).toBe("");
        expect(conventionProblems(text)).toEqual([]);
        expect(value(text, "virtscale_lb_answered_total")).toBe(200);
        expect(value(text, "virtscale_lb_request_duration_seconds_count")).toBe(200);
        expect(value(text, "virtscale_lb_request_duration_seconds_bucket", '{le="+Inf"}')).toBe(200);
        expect(value(text, "virtscale_lb_request_duration_seconds_sum")).toBeGreaterThan(0);
        // Loopback answers take well under a second.
        expect(value(text, "virtscale_lb_request_duration_seconds_bucket", '{le="1.048576"}')).toBe(200);
        const b0 = value(text, "virtscale_lb_backend_request_duration_seconds_count", '{backend="be0"}')!;
        expect(b0 + value(text, "virtscale_lb_backend_request_duration_seconds_count", '{backend="be1"}')!).toBe(200);
        // A backend leaves: its series go, the group's counters and histogram keep its answers.
        await balancer.removeBackend("be0");
        expect(await until(() => !balancer.backends().some((b) => b.id === "be0"), 5000)).toBe(true);
        text = (await rig.req("GET", "/metrics")).text;
        expect(text).not.toContain('backend="be0"');
        expect(value(text, "virtscale_lb_request_duration_seconds_count")).toBe(200);
        expect(value(text, "virtscale_lb_answered_total")).toBe(200);
        expect(promtool(text)).toBe("");
      } finally {
        await client.close();
        await balancer.close();
        await rig.close();
        for (const s of servers) await s.close();
      }
    },
    30_000,
  );
});
