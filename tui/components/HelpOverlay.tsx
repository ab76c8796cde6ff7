// `?`: every key from the one key table, greyed out when the command it
// needs is not registered in this mode (say, load keys without a generator).
import React from "react";
import { Box, Text } from "ink";
import { helpRows, isAvailable, requiredCommands, type KeyBinding } from "../keys";

export function HelpOverlay({ has, width, height, table }: { has: (name: string) => boolean; width: number; height: number; table?: readonly KeyBinding[] }) {
  const rows = helpRows(table);
  const labelW = Math.max(...rows.map((r) => r.label.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="cyan" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">
        Keys <Text color="gray">(greyed out: not available in this mode) · any key closes</Text>
      </Text>
      {rows.map((b) => {
        const ok = isAvailable(b, has);
        const req = requiredCommands(b);
        return (
          <Text key={b.label} wrap="truncate" color={ok ? undefined : "gray"} dimColor={!ok}>
            <Text color={ok ? "cyanBright" : "gray"} bold={ok}>
              {b.label.padEnd(labelW)}
            </Text>
            {b.help}
            {req.length > 0 ? <Text color="gray"> [{req.join("|")}]</Text> : null}
            {ok ? null : <Text color="gray"> (not available in this mode)</Text>}
          </Text>
        );
      })}
    </Box>
  );
}
