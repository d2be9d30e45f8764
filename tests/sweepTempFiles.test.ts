import { spawnSync } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { sweepTempFiles } from '../server/storage/sweepTempFiles';
import { tempPathOf } from '../server/storage/writeFileAtomic';
import { makeProject, type TestProject } from './helpers/project';

let project: TestProject;
beforeEach(() => {
  project = makeProject();
});
afterEach(() => project.cleanup());

/** A pid that no process has: one that has just ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

describe('sweepTempFiles', () => {
  it('removes the temp files of a process that is gone, and old ones; keeps those of a live process and every real file', async () => {
    const xlf = path.join(project.localesDir, 'es', 'small.xlf');
    project.write('locales/es/small.xlf', '<xliff/>');
    const dead = path.join(path.dirname(xlf), `.small.xlf.${deadPid()}.0123456789ab.tmp`);
    const mine = tempPathOf(xlf);
    const oldMine = tempPathOf(path.join(project.sourceDir, 'small.md'));
    const version = path.join(project.sourceDir, 'small.versions', `.2.md.${deadPid()}.abcdefabcdef.tmp`);
    for (const file of [dead, mine, oldMine, version]) project.write(path.relative(project.dir, file), 'half a file');
    const hourAgo = (Date.now() - 2 * 3600 * 1000) / 1000;
    utimesSync(oldMine, hourAgo, hourAgo);
    project.write('locales/es/.notes.txt', 'not a temp file');

    const removed = await sweepTempFiles(project.dir);
    expect(removed.sort()).toEqual([dead, oldMine, version].map((f) => path.relative(project.dir, f)).sort());
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(xlf)).toBe(true);
    expect(existsSync(path.join(project.localesDir, 'es', '.notes.txt'))).toBe(true);
    expect(existsSync(path.join(project.sourceDir, 'small.md'))).toBe(true);
  });
});
