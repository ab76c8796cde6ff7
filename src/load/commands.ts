// The load generator's named store command, for the dashboard keys and the
// --json stdin lines: `load low|mid|high|off|N/s`.
import type { Store } from "../store.ts";
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
}
