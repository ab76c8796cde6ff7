export {};
// Child process: flood 127.0.0.1:PORT with 4-byte requests for SECONDS, as fast
// as Bun can send (batches via sendMany), then print how many were sent.
const port = Number(process.argv[2]);
const seconds = Number(process.argv[3] ?? 2);
const Bun_ = (globalThis as unknown as { Bun: { udpSocket(o: unknown): Promise<{ sendMany(a: unknown[]): number; close(): void }> } }).Bun;
const s = await Bun_.udpSocket({});
const batch: unknown[] = [];
for (let i = 0; i < 64; i++) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, i);
  batch.push(b, port, "127.0.0.1");
}
const end = Date.now() + seconds * 1000;
let sent = 0;
while (Date.now() < end) {
  for (let k = 0; k < 20; k++) sent += s.sendMany(batch);
  await new Promise((r) => setImmediate(r));
}
s.close();
process.stdout.write(`${sent}\n`);
