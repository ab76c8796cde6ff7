// `r`: choose a snapshot file to restore (recent saves from the event log) or type a path.
import React from "react";
import { Box, Text } from "../ink.tsx";
import { windowStart } from "../table-model.ts";

export interface RestorePickerProps {
  paths: string[];
  index: number;
  typed: string;
  width: number;
  height: number;
}

export function RestorePicker(p: RestorePickerProps) {
  const listH = Math.max(1, p.height - 5);
  const start = windowStart(0, p.index, p.paths.length, listH);
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="yellow" width={p.width} height={p.height} paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">
        Restore from a snapshot <Text color="gray">↑↓ choose · type a path · Enter restores · Esc cancels</Text>
      </Text>
      <Text wrap="truncate">
        <Text color="gray">path: </Text>
        {p.typed}
        <Text inverse> </Text>
      </Text>
      {p.paths.length === 0 ? (
        <Text color="gray">no snapshots saved in this run yet: type a path</Text>
      ) : (
        p.paths.slice(start, start + listH).map((path, i) => {
          const sel = start + i === p.index;
          return (
            <Text key={path} wrap="truncate" inverse={sel}>
              {sel ? "▶ " : "  "}
              {path}
            </Text>
          );
        })
      )}
    </Box>
  );
}
