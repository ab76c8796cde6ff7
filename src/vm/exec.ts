// Running the few host tools the image builder needs (apt-get, dpkg-deb, cpio,
// gzip, ldd, bun build). Portable: node:child_process works under Bun and Deno.
import { spawn } from "node:child_process";
import { errorMessage } from "../errors.ts";

export class ToolError extends Error {
  constructor(
    message: string,
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/** Run argv; resolves with stdout, rejects with a ToolError carrying the tool's own stderr. */
export function runTool(argv: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; hint?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      reject(new ToolError(`${argv[0]}: cannot run: ${errorMessage(e)}${opts.hint ? ` (${opts.hint})` : ""}`, argv[0]!, null, ""));
      return;
    }
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    child.stdout!.on("data", (d: Uint8Array) => out.push(d));
    child.stderr!.on("data", (d: Uint8Array) => err.push(d));
    child.on("error", (e: Error) =>
      reject(new ToolError(`${argv[0]}: cannot run: ${e.message}${opts.hint ? ` (${opts.hint})` : ""}`, argv[0]!, null, "")),
    );
    child.on("close", (code: number | null) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8").trim();
      if (code === 0) resolve(stdout);
      else
        reject(
          new ToolError(
            `${argv.join(" ")} failed (exit ${code})${stderr ? `: ${stderr.split("\n").slice(-5).join(" | ")}` : ""}${opts.hint ? ` (${opts.hint})` : ""}`,
            argv[0]!,
            code,
            stderr,
          ),
        );
    });
  });
}
