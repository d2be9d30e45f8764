import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Languages the interface is translated into: English, then every `locales/<lng>/ui.json` there is. */
export function uiLanguages(appRoot: string): string[] {
  const dir = path.join(appRoot, 'locales');
  const found = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(entry.name) && existsSync(path.join(dir, entry.name, 'ui.json')))
        .map((entry) => entry.name)
    : [];
  return ['en', ...found.filter((code) => code !== 'en').sort()];
}
