// docs/json.md documents every event type src/events.ts declares, and every
// example line in it is valid JSON with type and ts.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const events = readFileSync(join(root, "src/events.ts"), "utf8");
const doc = readFileSync(join(root, "docs/json.md"), "utf8");

test("every VirtscaleEvent type has a section in docs/json.md", () => {
  const union = events.slice(events.indexOf("export type VirtscaleEvent"), events.indexOf("export type EventType"));
  const types = [...union.matchAll(/type: "([a-z-]+)"/g)].map((m) => m[1]!);
  expect(types.length).toBeGreaterThanOrEqual(8);
  for (const t of types) expect(doc).toContain(`### \`${t}\``);
});

test("the one-line examples in docs/json.md parse and carry type and ts", () => {
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const oneLiners = blocks.flatMap((b) => b.split("\n")).filter((l) => l.startsWith("{") && l.endsWith("}") && !l.includes("…"));
  expect(oneLiners.length).toBeGreaterThanOrEqual(5);
  for (const l of oneLiners) {
    const o = JSON.parse(l);
    expect(typeof o.type).toBe("string");
    expect(typeof o.ts).toBe("number");
  }
});
