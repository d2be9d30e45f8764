import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * `count` ports free now, told by the system (listening on port 0), all different: a random port
 * may be one another server (another test file's) listens on, which would answer for ours.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      held.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, resolve));
    }
    return held.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
