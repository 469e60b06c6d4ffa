import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src-main/core/files/atomic';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const mode = async (f: string) => (await stat(f)).mode & 0o777;

describe('writeFileAtomic', () => {
  it('creates a new file with mode 0600 unless a mode is given', async () => {
    await writeFileAtomic(path.join(dir, 'a'), 'one');
    await writeFileAtomic(path.join(dir, 'b'), 'two', { mode: 0o640 });
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('one');
    expect(await mode(path.join(dir, 'a'))).toBe(0o600);
    expect(await mode(path.join(dir, 'b'))).toBe(0o640);
  });

  it("replaces the content and keeps the existing file's mode, whatever the umask", async () => {
    const f = path.join(dir, 'config');
    await writeFile(f, 'old');
    await chmod(f, 0o644);
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(f, 'new');
    } finally {
      process.umask(old);
    }
    expect(await readFile(f, 'utf8')).toBe('new');
    expect(await mode(f)).toBe(0o644);
    expect(await readdir(dir)).toEqual(['config']);
  });

  it('keeps a backup of the previous content only when there was one', async () => {
    const f = path.join(dir, 'config');
    await writeFileAtomic(f, 'first', { backupSuffix: '.bak' });
    expect(await readdir(dir)).toEqual(['config']);
    await chmod(f, 0o640);
    await writeFileAtomic(f, 'second', { backupSuffix: '.bak' });
    expect(await readFile(f + '.bak', 'utf8')).toBe('first');
    expect(await mode(f + '.bak')).toBe(0o640);
    expect(await readFile(f, 'utf8')).toBe('second');
  });

  it('writes through a symlink and leaves the link in place', async () => {
    await mkdir(path.join(dir, 'dotfiles'));
    const real = path.join(dir, 'dotfiles', 'config');
    const link = path.join(dir, 'config');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('new');
  });

  it('fails with a RolecallError and leaves no temp file behind', async () => {
    // A directory where the file should be: the final rename fails after the temp file exists.
    const target = path.join(dir, 'state.json');
    await mkdir(target);
    await writeFile(path.join(target, 'keep'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: expect.stringContaining(target) });
    expect(await readdir(dir)).toEqual(['state.json']);
    expect(await readdir(target)).toEqual(['keep']);
  });

  it('fails cleanly when the directory does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({ code: 'file' });
    expect(await readdir(dir)).toEqual([]);
  });
});
