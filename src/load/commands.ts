// The load generator's named store command, for the dashboard keys and the
// --json stdin lines: `load low|mid|high|off|N/s`. With fifo_communication_file
// in the config, the assignment's commands are also read from that FIFO for as
// long as the generator runs (up's built-in load: the rate ones; the server
// list is the balancer's, the group's own).
import type { Store } from "../store.ts";
import { errorMessage } from "../errors.ts";
import { runClientCommand } from "./client-commands.ts";
import { openFifo } from "./fifo.ts";
import type { LoadGenerator } from "./generator.ts";

export function registerLoadCommands(store: Store, gen: LoadGenerator): void {
  store.register({
    name: "load",
    help: "load low|mid|high|off|N/s: change the load generator's request rate",
    run(args: string[]) {
      const rate = args[0];
      if (!rate) throw new Error("load: give a rate: low, mid, high, off or N/s");
      gen.setRate(rate);
      const r = gen.currentRate;
      store.log(`load: rate ${r.label} (${r.perSecond}/s${r.basis ? `: ${r.basis}` : ""})`);
      return gen.currentRate;
    },
  });
  store.setLoadSource(() => gen.view());
  attachFifo(store, gen);
}

/** Read the config's FIFO (when it names one other than stdin) until the generator stops; lines and failures go to the store's log. */
function attachFifo(store: Store, gen: LoadGenerator): void {
  const path = gen.config.fifo_communication_file;
  if (path === undefined || path === "/dev/stdin") return;
  const ctx = { gen, serverListRefused: "the balancer's backends are the group's (the scaler adds and removes them); only virtscale load keeps a server list" };
  try {
    const fifo = openFifo(
      path,
      (line) => {
        runClientCommand(line, ctx).then(
          (msg) => store.log(`fifo: ${msg}`),
          (e) => store.log(`fifo ${path}: ${errorMessage(e)}`, "warn"),
        );
      },
      { onError: (e) => store.error(`fifo ${path}`, e) },
    );
    store.log(`fifo: reading commands from ${path}${fifo.created ? " (made here, removed at exit)" : ""}`);
    gen.onStop(() => fifo.close());
  } catch (e) {
    store.error(`fifo ${path}`, e);
  }
}
