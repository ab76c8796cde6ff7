// One value as one line of JSON, safe for what the store holds: bigint
// (libvirt's cpu.time, byte counters) becomes a number when it fits exactly,
// else a decimal string; Maps become objects; non-finite numbers become null.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** JSON with no newline inside (JSON.stringify escapes newlines in strings) and none at the end. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value, replacer);
}
