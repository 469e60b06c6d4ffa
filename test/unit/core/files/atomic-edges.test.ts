// writeFileAtomic at its edges: a write that cannot be done says which file and why (and changes
// nothing), and temp files a crashed writer left behind are cleared, but never a live writer's.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src-main/core/files/atomic';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-atomic-edges-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A pid that belonged to a process now gone. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;

describe('writeFileAtomic', () => {
  it.each([
    ['its directory is missing', (d: string) => path.join(d, 'missing', 'config'), 'ENOENT'],
    ['its directory is a file', (d: string) => path.join(d, 'plain', 'config'), 'ENOTDIR'],
  ])('says which file and why when %s, as a file error', async (_what, where, code) => {
    await writeFile(path.join(dir, 'plain'), 'x');
    const file = where(dir);
    const e = await writeFileAtomic(file, 'new').then(() => undefined, (err: unknown) => err);
    expect(e).toMatchObject({ name: 'RolecallError', code: 'file', cause: expect.objectContaining({ code }) });
    expect((e as Error).message).toMatch(new RegExp(`^Cannot write ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect((e as Error).message).toContain(code);
  });

  it('creates a missing file with mode 0600, and leaves no temp file', async () => {
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it("clears temp files a dead writer of this file left, and keeps a live writer's and other files' ones", async () => {
    const dead = `.config.${deadPid()}.0123456789ab.tmp`;
    const live = `.config.${process.ppid}.0123456789ab.tmp`;
    const other = `.other.${deadPid()}.0123456789ab.tmp`;
    const odd = '.config.notapid.tmp';
    for (const f of [dead, live, other, odd]) await writeFile(path.join(dir, f), 'partial');
    await writeFileAtomic(path.join(dir, 'config'), 'new');
    expect((await readdir(dir)).sort()).toEqual([live, odd, other, 'config'].sort());
  });
});
