// The group's store commands (the dashboard's keys, --json stdin lines, the
// API's actions): one table, so their names and help are declared once.
import type { Store } from "../store.ts";

export interface GroupCommandTarget {
  scaleBy(n: number): number;
  pause(): void;
  resume(): void;
}

export function registerGroupCommands(s: Store, g: GroupCommandTarget): void {
  s.register({ name: "scale+1", help: "add one VM now (manual, within min..max)", run: () => g.scaleBy(1) });
  s.register({ name: "scale-1", help: "remove one VM now (drained first; manual, within min..max)", run: () => g.scaleBy(-1) });
  s.register({ name: "pause", help: "pause automatic scaling (dead VMs are still replaced)", run: () => g.pause() });
  s.register({ name: "resume", help: "resume automatic scaling", run: () => g.resume() });
}
