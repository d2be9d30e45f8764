#!/usr/bin/env node
/*
 * `npm start`: starts the built server, building it first only when the build is missing or older
 * than a source it is made from (a pull, an edit). A current build starts at once: the build is
 * made by `npm install` (prepare) and `npm test`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outputs = ['dist/server/server.js', 'dist/scripts/workbench.js', 'dist/public/editor.js'].map((f) => path.join(root, f));

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

function builtAt() {
  try {
    return Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  } catch {
    return -1;
  }
}

/** True when the build exists and is newer than every source it is made from. */
function buildIsCurrent() {
  const sources = Math.max(
    ...['server', 'scripts', 'public'].map((d) => newest(path.join(root, d))),
    ...['tsconfig.json', 'tsconfig.build.json', 'tsconfig.browser.json', 'package.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs),
  );
  return builtAt() >= sources;
}

if (require.main === module) {
  if (!buildIsCurrent()) {
    console.log('The build is missing or older than the sources: building first (npm run build).');
    const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  require(path.join(root, 'dist/server/server.js'));
}

module.exports = { buildIsCurrent };
