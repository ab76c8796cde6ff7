// Value types more than one config section uses (a HOST:PORT string, a port
// number, a percentage), so each section file states them the same way.
import { z } from "zod";

export const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, "expected HOST:PORT");
export const port = z.number().int().min(1).max(65535);
export const pct = z.number().min(0).max(100);
