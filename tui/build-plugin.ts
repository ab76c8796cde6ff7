// Bun.build plugin that makes Ink compile into a standalone binary.
//
// Why: ink/build/reconciler.js does `await import('./devtools.js')` only when
// $DEV=true, but Bun's bundler still resolves devtools.js's static import of
// `react-devtools-core` (not installed). `bun build --compile` fails with
// "Could not resolve: react-devtools-core"; `--external react-devtools-core`
// compiles but the binary dies at start ("Cannot find package"), because the
// bundle hoists the external import. Resolving it to an empty module fixes
// both; yoga-layout's wasm is inlined (base64) and needs no flag.
// Use: Bun.build({ entrypoints, compile: { outfile }, plugins: [inkDevtoolsStub] }).
import type { BunPlugin } from "bun";

export const inkDevtoolsStub: BunPlugin = {
  name: "ink-devtools-stub",
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "react-devtools-core", namespace: "virtscale-stub" }));
    build.onLoad({ filter: /.*/, namespace: "virtscale-stub" }, () => ({
      contents: "export default { initialize() {}, connectToDevTools() {} };",
      loader: "js",
    }));
  },
};
