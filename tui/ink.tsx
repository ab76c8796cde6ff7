// Ink's Box and Text as the dashboard draws them: with NO_COLOR set
// (https://no-color.org: any non-empty value) every colour is dropped here,
// once for all components, while bold, underline and inverse stay (the
// standard is about colour; the selected row then shows in inverse).
// chalk, under Ink, does not read NO_COLOR itself.
import React, { createContext, useContext } from "react";
import { Box as InkBox, Text as InkText, type BoxProps, type TextProps } from "ink";

/** Whether colours are drawn (false under NO_COLOR). */
export const ColorContext = createContext(true);

export const useColor = (): boolean => useContext(ColorContext);

/** NO_COLOR's rule: present and not empty turns colour off, whatever its value. */
export function colorAllowed(env: Record<string, string | undefined> = process.env): boolean {
  return !env.NO_COLOR;
}

export function Text(props: TextProps) {
  const color = useContext(ColorContext);
  if (color) return <InkText {...props} />;
  return <InkText {...props} color={undefined} backgroundColor={undefined} />;
}

export function Box(props: BoxProps & { children?: React.ReactNode }) {
  const color = useContext(ColorContext);
  if (color) return <InkBox {...props} />;
  return (
    <InkBox
      {...props}
      backgroundColor={undefined}
      borderColor={undefined}
      borderTopColor={undefined}
      borderBottomColor={undefined}
      borderLeftColor={undefined}
      borderRightColor={undefined}
    />
  );
}
