// `?`: every key from the one key table, greyed out when the command it
// needs is not registered in this mode (say, load keys without a generator).
// Flows into two or three columns when the terminal is short.
import React from "react";
import { Box, Text } from "ink";
import { helpRows, isAvailable, requiredCommands, type KeyBinding } from "../keys.ts";

export function HelpOverlay({ has, width, height, table }: { has: (name: string) => boolean; width: number; height: number; table?: readonly KeyBinding[] }) {
  const rows = helpRows(table);
  const labelW = Math.max(...rows.map((r) => r.label.length)) + 2;
  const fit = Math.max(1, height - 3); // border (2) + title (1)
  const ncols = Math.min(3, Math.ceil(rows.length / fit));
  const perCol = Math.ceil(rows.length / ncols);
  const colW = Math.floor((width - 4) / ncols);
  const compact = ncols > 1;
  const columns = Array.from({ length: ncols }, (_, i) => rows.slice(i * perCol, (i + 1) * perCol));
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="cyan" width={width} height={height} paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">
        Keys <Text color="gray">(greyed out: not available in this mode) · any key closes</Text>
      </Text>
      <Box flexDirection="row">
        {columns.map((col, i) => (
          <Box key={i} flexDirection="column" width={colW} paddingRight={1}>
            {col.map((b) => {
              const ok = isAvailable(b, has);
              const req = requiredCommands(b);
              return (
                <Text key={b.label} wrap="truncate" color={ok ? undefined : "gray"} dimColor={!ok}>
                  <Text color={ok ? "cyanBright" : "gray"} bold={ok}>
                    {b.label.padEnd(labelW)}
                  </Text>
                  {compact && !ok ? <Text color="gray">(n/a) </Text> : null}
                  {b.help}
                  {!compact && req.length > 0 ? <Text color="gray"> [{req.join("|")}]</Text> : null}
                  {!compact && !ok ? <Text color="gray"> (not available in this mode)</Text> : null}
                </Text>
              );
            })}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
