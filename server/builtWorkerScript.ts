import { existsSync } from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from './appRoot';

/**
 * The compiled script of a worker thread, `<name>.js` of the module in `dir` (its `__dirname`):
 * from the compiled app it sits beside that module; from the TypeScript sources (tests, the
 * benchmark) the build's copy is used, so `npm run build` comes first (npm test and npm run bench
 * do it). `what` names the thread in the error when it is not built.
 */
export function builtWorkerScript(dir: string, name: string, what: string): string {
  const beside = path.join(dir, `${name}.js`);
  if (existsSync(beside)) return beside;
  const built = path.join(APP_ROOT, 'dist', path.relative(APP_ROOT, dir).replace(/^dist[\\/]/, ''), `${name}.js`);
  if (existsSync(built)) return built;
  throw new Error(`The ${what} is not built (${built} is missing): run npm run build.`);
}
