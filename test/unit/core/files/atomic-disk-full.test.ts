// A full disk while replacing a file: the message names the file and says the disk is full, the
// old content stays, and no temp file is left beside it.
import * as fsp from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../../src-main/core/files/atomic';
import { describeError } from '../../../../src-main/core/errors';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open) };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-full-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('ENOSPC names the file, keeps the old content and leaves no temp file', async () => {
  const file = path.join(dir, 'config');
  await writeFile(file, 'old\n');
  const real = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;
  vi.mocked(fsp.open).mockImplementationOnce(async (...args: Parameters<typeof real>) => {
    const handle = await real(...args);
    handle.writeFile = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    return handle;
  });
  const err = await writeFileAtomic(file, 'new\n').catch((e) => e);
  expect(describeError(err)).toBe(`Cannot write ${file}: the disk is full (ENOSPC)`);
  expect(await readFile(file, 'utf8')).toBe('old\n');
  expect(await readdir(dir)).toEqual(['config']);
});
