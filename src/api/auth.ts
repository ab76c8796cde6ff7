// Who may talk to the API. Loopback binds are open to local processes (the
// same trust as the libvirt socket); any other bind needs a bearer token,
// compared in constant time. Without a token, requests must also name a
// loopback Host, so a web page cannot reach the API through DNS rebinding.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/** 127.0.0.0/8, ::1, ::ffff:127.x and "localhost" (not 0.0.0.0 / ::, which mean every interface). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || /^(?:0{0,4}:){5}0{0,4}:?ffff:127\./.test(h) || /^::ffff:127\./.test(h) || h === "0:0:0:0:0:0:0:1";
  return false;
}

export class ApiStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiStartError";
  }
}

/** Refuse to start in a way that would expose the API without a token. */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token)
    throw new ApiStartError(
      `refusing to serve the API on ${host}, which is not a loopback address, without a token: set api.token in the config or VIRTSCALE_API_TOKEN (at least 16 characters), or bind to 127.0.0.1`,
    );
  if (token !== undefined && token.length < 16) throw new ApiStartError("the API token must be at least 16 characters (api.token / VIRTSCALE_API_TOKEN)");
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time comparison: equal-length SHA-256 digests through timingSafeEqual. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token from `Authorization: Bearer <token>`, or null. */
export function bearerOf(header: string | null): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1]! : null;
}

/** Whether the Host header names this machine (no Host at all is accepted: HTTP/1.0 tools). */
export function hostHeaderIsLoopback(hostHeader: string | null): boolean {
  if (hostHeader === null || hostHeader === "") return true;
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(hostHeader.trim());
  return !!m && isLoopbackHost(m[1]!);
}

/**
 * Whether a browser's Origin header (sent on cross-site POSTs, which need no
 * preflight when the body is empty) names a page on this machine. No Origin:
 * not a browser request, accepted.
 */
export function originIsLoopback(origin: string | null): boolean {
  if (origin === null) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && isLoopbackHost(u.hostname);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
}
