// VMs made through the API joining the running group as members (issue 14):
// POST /create with resume true (a restore) joins by default
// (scaler.restored_join), ?join=false keeps it a one-off; POST /v1/vms with
// join: true joins. A real Group (manual steps, paused: nothing launched of
// its own) and Balancer, the VmManager on test:///default.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Connection, DomainMetadataType } from "../../ffi/index.ts";
import { METADATA_NS } from "../../src/vm/metadata.ts";
import { apiGroupRig, type ApiGroupRig } from "./helpers.ts";

let rig: ApiGroupRig;
let group: ApiGroupRig["group"];
const keeper = Connection.open("test:///default");
beforeAll(async () => {
  rig = await apiGroupRig({ scaler: { min: 0, max: 3, paused: true, ready_timeout_s: 60 } });
  group = rig.group;
});
afterAll(async () => {
  await rig?.close();
  keeper.close();
});

const member = (name: string) => group.members().some((m) => m.name === name);
function metaRole(name: string): string | undefined {
  using d = keeper.lookupByName(name);
  return /role="([^"]*)"/.exec(d.getMetadata(DomainMetadataType.ELEMENT, METADATA_NS) ?? "")?.[1];
}

/** A VM made through the API, snapshotted with halt into pair/ID.{json,save}: ready for POST /create resume. */
async function haltedPair(id: string): Promise<{ name: string; port: number }> {
  const r = await rig.req("POST", "/v1/vms", {});
  expect(r.status).toBe(201);
  const { name, port } = r.json;
  const s = await rig.req("POST", "/snapshot", { cpu_snapshot_path: `pair/${id}.json`, memory_snapshot_path: `pair/${id}.save`, rpc_port: port, resume: false });
  expect(s.status).toBe(200);
  return { name, port };
}

describe("API VMs joining the group", () => {
  test("POST /create resume true: the restored VM joins by default (member header, role serving, the group grows by one)", async () => {
    const { name, port } = await haltedPair("a");
    expect(member(name)).toBe(false);
    const before = group.desiredSize;
    const r = await rig.req("POST", "/create", { cpu_snapshot_path: "pair/a.json", memory_snapshot_path: "pair/a.save", resume: true });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ pid: null, port }); // the original's body, field for field
    expect(r.headers.get("x-virtscale-group")).toBe("member");
    expect(member(name)).toBe(true);
    expect(metaRole(name)).toBe("serving");
    expect(group.desiredSize).toBe(before + 1);
  });

  test("?join=false keeps it a one-off (role api, not adopted); a bad value is 400", async () => {
    const { name } = await haltedPair("b");
    const bad = await rig.req("POST", "/create?join=maybe", { cpu_snapshot_path: "pair/b.json", memory_snapshot_path: "pair/b.save", resume: true });
    expect(bad.status).toBe(400);
    expect(bad.json.error.description).toMatch(/join: expected true or false/);
    const before = group.desiredSize;
    const r = await rig.req("POST", "/create?join=false", { cpu_snapshot_path: "pair/b.json", memory_snapshot_path: "pair/b.save", resume: true });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-virtscale-group")).toBe("one-off");
    expect(member(name)).toBe(false);
    expect(metaRole(name)).toBe("api");
    expect(group.desiredSize).toBe(before);
  });

  test("POST /v1/vms join: true joins; at max it stays a one-off and says why", async () => {
    const r = await rig.req("POST", "/v1/vms", { join: true });
    expect(r.status).toBe(201);
    expect(r.headers.get("x-virtscale-group")).toBe("member");
    expect(member(r.json.name)).toBe(true);
    expect(group.desiredSize).toBe(2);
    // A third member reaches max 3; the next is refused a place.
    expect((await rig.req("POST", "/v1/vms", { join: true })).headers.get("x-virtscale-group")).toBe("member");
    const full = await rig.req("POST", "/v1/vms", { join: true });
    expect(full.status).toBe(201);
    expect(full.headers.get("x-virtscale-group")).toBe("one-off: the group is at max 3");
    expect(member(full.json.name)).toBe(false);
  });
});
