// The assignment's logging_level and logging_file applied to virtscale's log
// lines (log.ts) and to a run's store log (attachLogFile).
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attachLogFile, configureLog, info, logged, setLogSink, warn, error } from "../../src/output/log.ts";
import { Store } from "../../src/store.ts";

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.reverse()) f();
  cleanup = [];
  configureLog({});
});

describe("logging_level / logging_file", () => {
  test("WARNING leaves out info lines; the file takes the lines in the assignment's shape", () => {
    const dir = mkdtempSync(join(tmpdir(), "vst-log-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "client.log");
    const seen: string[] = [];
    cleanup.push(setLogSink((level, m) => seen.push(`${level}:${m}`)));
    configureLog({ logging_level: "WARNING", logging_file: file });
    expect([logged("info"), logged("warn"), logged("error")]).toEqual([false, true, true]);
    info("quiet");
    warn("careful");
    error("broken");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z :: WARNING :: careful$/);
    expect(lines[1]).toMatch(/ :: ERROR :: broken$/);
    // A sink other than stderr (the dashboard's) still shows them.
    expect(seen).toEqual(["warn:careful", "error:broken"]);
    // A run's store log goes to the file too, at the same level.
    const store = new Store();
    cleanup.push(attachLogFile(store));
    store.log("scaled out");
    store.log("lb: backend out of rotation", "warn");
    store.error("launch x", new Error("boom"));
    const more = readFileSync(file, "utf8").trim().split("\n").slice(2);
    expect(more.map((l) => l.replace(/^\S+ :: /, ""))).toEqual(["WARNING :: lb: backend out of rotation", "ERROR :: launch x: boom"]);
  });

  test("/dev/stdout means the console; DEBUG and INFO keep every line; CRITICAL errors only", () => {
    const seen: string[] = [];
    cleanup.push(setLogSink((level, m) => seen.push(`${level}:${m}`)));
    configureLog({ logging_level: "DEBUG", logging_file: "/dev/stdout" });
    info("a");
    expect(seen).toEqual(["info:a"]);
    expect(attachLogFile(new Store())).toBeFunction();
    configureLog({ logging_level: "CRITICAL" });
    warn("b");
    error("c");
    expect(seen).toEqual(["info:a", "error:c"]);
  });
});
