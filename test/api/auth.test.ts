// Who may call the API: loopback binds are open to local processes, any other
// bind needs a token (refused at start without one); tokens are compared in
// constant time; a wrong or missing token is 401.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bearerOf, checkBind, hostHeaderIsLoopback, isLoopbackHost, originIsLoopback, tokenMatches, ApiStartError } from "../../src/api/auth.ts";
import { startApi } from "../../src/api/server.ts";
import { apiRig, type ApiRig } from "./helpers.ts";

const TOKEN = "s3cret-token-0123456789";

describe("loopback and bind checks", () => {
  test.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["localhost", true],
    ["0.0.0.0", false],
    ["::", false],
    ["192.168.1.10", false],
    ["10.0.0.1", false],
    ["example.com", false],
    ["128.0.0.1", false],
    ["127.0.0.1.nip.io", false],
  ])("isLoopbackHost(%s) = %p", (h, want) => {
    expect(isLoopbackHost(h)).toBe(want);
  });

  test("a non-loopback bind without a token is refused with a clear error", () => {
    expect(() => checkBind("0.0.0.0", undefined)).toThrow(ApiStartError);
    expect(() => checkBind("0.0.0.0", undefined)).toThrow(/not a loopback address, without a token: set api.token .* VIRTSCALE_API_TOKEN/);
    expect(() => checkBind("0.0.0.0", "short")).toThrow(/at least 16 characters/);
    expect(() => checkBind("0.0.0.0", TOKEN)).not.toThrow();
    expect(() => checkBind("127.0.0.1", undefined)).not.toThrow();
  });

  test("startApi refuses before binding anything", async () => {
    const rig = await apiRig();
    try {
      await expect(startApi({ listen: { host: "0.0.0.0", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config })).rejects.toThrow(ApiStartError);
      await expect(startApi({ listen: { host: "0.0.0.0", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config, token: "" })).rejects.toThrow(/without a token/);
    } finally {
      await rig.close();
    }
  });

  test("tokenMatches compares digests: equal only for the same string", () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN + "x", TOKEN)).toBe(false);
    expect(tokenMatches("", TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN.slice(0, -1) + "X", TOKEN)).toBe(false);
  });

  test("bearerOf and Host parsing", () => {
    expect(bearerOf(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerOf(`bearer   ${TOKEN} `)).toBe(TOKEN);
    expect(bearerOf(`Basic ${TOKEN}`)).toBeNull();
    expect(bearerOf("Bearer a b")).toBeNull();
    expect(bearerOf(null)).toBeNull();
    expect(hostHeaderIsLoopback("127.0.0.1:8080")).toBe(true);
    expect(hostHeaderIsLoopback("[::1]:8080")).toBe(true);
    expect(hostHeaderIsLoopback("localhost")).toBe(true);
    expect(hostHeaderIsLoopback("attacker.example:8080")).toBe(false);
    expect(hostHeaderIsLoopback("127.0.0.1.attacker.example")).toBe(false);
    expect(originIsLoopback(null)).toBe(true);
    expect(originIsLoopback("http://127.0.0.1:8080")).toBe(true);
    expect(originIsLoopback("http://[::1]:8080")).toBe(true);
    expect(originIsLoopback("https://evil.example")).toBe(false);
    expect(originIsLoopback("null")).toBe(false);
    expect(originIsLoopback("file://")).toBe(false);
  });
});

describe("token required (on loopback, as a non-loopback bind would)", () => {
  let rig: ApiRig;
  beforeAll(async () => {
    rig = await apiRig({ token: TOKEN, api: { requireToken: true } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  test("missing token: 401 with WWW-Authenticate", async () => {
    const r = await rig.req("GET", "/v1/vms");
    expect(r.status).toBe(401);
    expect(r.json.error).toEqual({ code: 401, reason: "Unauthorized", description: "missing Authorization: Bearer token" });
    expect(r.headers.get("www-authenticate")).toStartWith("Bearer");
  });

  test("wrong token: 401, on every route, before the body is read", async () => {
    for (const [m, p] of [["GET", "/v1/vms"], ["POST", "/snapshot"], ["GET", "/metrics"], ["GET", "/openapi.json"], ["GET", "/nope"]] as const) {
      const r = await rig.req(m, p, m === "POST" ? { x: 1 } : undefined, { authorization: `Bearer ${TOKEN}x` });
      expect(r.status).toBe(401);
      expect(r.json.error.description).toBe("wrong token");
    }
    expect((await rig.req("GET", "/v1/vms", undefined, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
  });

  test("right token passes (and any Host is fine then)", async () => {
    const r = await rig.req("GET", "/v1/vms", undefined, { authorization: `Bearer ${TOKEN}`, host: "virtscale.internal:8080" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ vms: [] });
    const doc = await rig.req("GET", "/openapi.json", undefined, { authorization: `Bearer ${TOKEN}` });
    expect(doc.json.security).toEqual([{ bearer: [] }]);
  });

  test("requireToken without a token refuses to start", async () => {
    await expect(startApi({ listen: { host: "127.0.0.1", port: 0 }, store: rig.store, vms: rig.vms, config: rig.config, requireToken: true })).rejects.toThrow(/requireToken/);
  });
});
