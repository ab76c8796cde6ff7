// Entry point of the guest binary when the image is built from a source tree:
// only `serve` (no libvirt, no Ink), with the same argv shape as the compiled
// virtscale (`virtscale serve --port N --scale N`), so the image's /init does
// not care which of the two it got. A compiled virtscale puts itself into the
// image instead (see image.ts: guestBinary).
import { parseCommand, UsageError } from "../cli.ts";
import * as serve from "./serve.ts";

const argv = process.argv.slice(2);
if (argv[0] === "serve") argv.shift();
try {
  const code = await serve.run(parseCommand(serve.spec, argv));
  process.exit(code);
} catch (e) {
  process.stderr.write(`virtscale serve: ${e instanceof UsageError ? e.message : ((e as Error)?.stack ?? e)}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
