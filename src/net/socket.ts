// The one socket interface every UDP engine implements (udp.ts picks the
// engine; batch-udp.ts is one of them), apart so that neither imports the other's types.

/** Called for every datagram; `data` is only valid during the call (copy to keep it). */
export type OnDatagram = (data: Uint8Array, port: number, host: string) => void;

export interface Udp {
  readonly engine: UdpEngine;
  /** Bound address (the real port when 0 was asked). */
  readonly host: string;
  readonly port: number;
  /** Returns false when the datagram could not be handed to the kernel (it is lost). */
  send(data: Uint8Array, port: number, host: string): boolean;
  close(): void;
}

export type UdpEngine = "bun" | "node" | "batch";
