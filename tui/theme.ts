// Colors the dashboard uses, in one place. Plain 16-color ANSI names so it
// reads the same over SSH and in any terminal (no truecolor, no mouse).

/** Series colors for VM lines in the chart and the dot next to each name. Red and blue are kept for thresholds. */
export const SERIES_COLORS = ["cyan", "magenta", "yellow", "green", "cyanBright", "magentaBright", "yellowBright", "greenBright", "white"] as const;
export const HIGH_COLOR = "red";
export const LOW_COLOR = "blue";
export const AVG_COLOR = "white";

/** A VM's color: by its position among all VM names sorted, so it stays put while the table re-sorts. */
export function seriesColor(index: number): string {
  return SERIES_COLORS[((index % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length]!;
}

export const ROLE_COLORS: Record<string, string> = {
  serving: "green",
  starting: "yellow",
  draining: "magenta",
  hot: "blueBright",
  warm: "cyan",
  stopped: "gray",
  failed: "red",
  unmanaged: "gray",
};

export const STATE_COLORS: Record<string, string> = {
  running: "green",
  paused: "yellow",
  shutoff: "gray",
  shutdown: "yellow",
  crashed: "red",
  blocked: "yellow",
  pmsuspended: "cyan",
  nostate: "gray",
};

/** CPU % color against the scaler's thresholds. */
export function cpuColor(v: number | null | undefined, high = 80, low = 35): string | undefined {
  if (v === null || v === undefined) return "gray";
  if (v >= high) return "red";
  if (v <= low) return "blue";
  return undefined;
}
