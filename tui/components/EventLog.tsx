// The event log inside the frame: the last events that fit, newest at the
// bottom. Errors and warnings wrap (libvirt's whole message matters); other
// lines keep to one line. Drawn from the store's own event list each frame,
// so nothing scrolls above the dashboard and nothing is printed twice.
import React from "react";
import { Text } from "../ink.tsx";
import type { VirtscaleEvent } from "../../src/events.ts";
import { formatEvent, type EventLine } from "../event-format.ts";
import { wrapWords } from "../format.ts";

const TAG = 10;
/** "12:00:00 " + tag + " " */
const PREFIX = 9 + TAG + 1;

interface Row {
  key: string;
  line: EventLine;
  /** The text on this row; `first` rows carry time and tag, the others are indented. */
  text: string;
  first: boolean;
}

/** The rows the last events take in `rows` lines of `width` columns, oldest first. */
export function eventRows(events: readonly VirtscaleEvent[], width: number, rows: number): Row[] {
  const out: Row[] = [];
  const textW = Math.max(10, width - PREFIX);
  for (let i = events.length - 1; i >= 0 && out.length < rows; i--) {
    const line = formatEvent(events[i]!);
    if (!line) continue;
    const wraps = line.color === "red" || line.tag === "warn";
    const parts = wraps ? wrapWords(line.text, textW) : [line.text];
    const room = rows - out.length;
    // An error taller than what is left keeps its beginning, cut at the last row with an ellipsis.
    const shown = parts.length > room ? [...parts.slice(0, room - 1), `${parts[room - 1]}…`] : parts;
    const block = shown.map((text, j) => ({ key: `${i}/${j}`, line, text, first: j === 0 }));
    out.unshift(...block);
  }
  return out;
}

export function EventLog({ events, width, height }: { events: readonly VirtscaleEvent[]; width: number; height: number }) {
  const rows = eventRows(events, width, Math.max(0, height - 1));
  return (
    <>
      <Text wrap="truncate" color="gray">
        {"── Events " + "─".repeat(Math.max(0, width - 10))}
      </Text>
      {rows.map((r) => (
        <Text key={r.key} wrap="truncate">
          {r.first ? (
            <>
              <Text color="gray">{r.line.time} </Text>
              <Text color={r.line.color} bold>
                {r.line.tag.padEnd(TAG)}
              </Text>
              <Text> </Text>
            </>
          ) : (
            <Text>{" ".repeat(PREFIX)}</Text>
          )}
          <Text color={r.line.color}>{r.text}</Text>
        </Text>
      ))}
      {Array.from({ length: Math.max(0, height - 1 - rows.length) }, (_, i) => (
        <Text key={`pad${i}`}> </Text>
      ))}
    </>
  );
}
