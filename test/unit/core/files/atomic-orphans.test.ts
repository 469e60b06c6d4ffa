// Temp files left by writers that were killed mid-write are removed by the next write of the same
// file; a live writer's temp file, and other files, are left alone.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src-main/core/files/atomic';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-orphans-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('removes a dead writer\'s temp file beside the file it writes, and nothing else', async () => {
  const dead = await new Promise<number>((resolve) => {
    const c = spawn(process.execPath, ['-e', '']);
    c.once('exit', () => resolve(c.pid!));
  });
  const orphan = `.config.${dead}.0123456789ab.tmp`;
  const live = `.config.${process.ppid}.0123456789ab.tmp`;
  const other = `.credentials.${dead}.0123456789ab.tmp`;
  for (const f of [orphan, live, other]) await writeFile(path.join(dir, f), 'half');
  await writeFileAtomic(path.join(dir, 'config'), 'new\n');
  expect((await readdir(dir)).sort()).toEqual([live, other, 'config'].sort());
});
