import path from 'node:path';

/** The repository root (views, UI catalogs, public assets, the default project), from source or from dist/. */
export const APP_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
