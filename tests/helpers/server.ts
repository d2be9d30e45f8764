import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './project';

export { freePorts } from '../../scripts/freePorts';

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

