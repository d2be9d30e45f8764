import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './project';

/** The built server (dist/server/server.js) over the project in `dir`, once it answers /healthz; killed and refused after `waitMs`. */
export async function startServer(dir: string, port: number, waitMs: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/server/server.js')], { env: { ...process.env, WORKBENCH_DATA: dir, PORT: String(port), ...env }, stdio: 'ignore' });
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/**
 * `count` ports free now, told by the system (listening on port 0), all different: a random port
 * may be one another test file's server listens on, which would answer for ours.
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
