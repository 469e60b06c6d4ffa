// Ports on the loopback interface for tests that need one no server holds.
import { createServer } from 'node:net';

/** A 127.0.0.1 port nothing listens on: taken from the OS, then freed. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
