// The autoscaler panel shows the pool tiers (ready / size each, refills) and,
// at min 0, the idle clock; the balancer panel shows requests held while a VM wakes.
import { afterEach, describe, expect, test } from "bun:test";
import React from "react";
import { cleanup, render } from "ink-testing-library";
import { Dashboard } from "../../tui/Dashboard.tsx";
import { live, plain, resize, storeWith, until } from "./helpers.ts";

afterEach(() => cleanup());

describe("pool tiers on the dashboard", () => {
  test("hot and warm ready / size, refills under way, the idle clock", async () => {
    const store = storeWith(1);
    const base = { policy: "threshold", paused: false, current: 1, desired: 1, min: 0, max: 3, high: 80, low: 35, avgCpu: 20, windowRemainingS: null, warmPool: 1 } as const;
    store.setScaler({ ...base, pool: { hot: 1, warm: 0, hotSize: 1, warmSize: 1, filling: 1 }, idle: { forS: 12.4, timeoutS: 60 } });
    const r = render(<Dashboard store={store} fps={50} title="test" />);
    resize(r.stdout, 140, 40);
    const frame = () => plain(live(r.lastFrame()));
    await until(() => frame().includes("· hot 1/1 · warm 0/1 (+1 filling)"), "the tiers in the autoscaler panel");
    expect(frame()).toContain("idle 12/60 s");
    // Without tiers: the warm pool as before.
    store.setScaler({ ...base, min: 1 });
    await until(() => frame().includes("warm pool 1"), "the warm pool alone");
  });
});
