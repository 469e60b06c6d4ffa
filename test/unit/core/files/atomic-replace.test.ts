// Files are replaced, never rewritten in place (temp file + rename): a reader that opened the
// file before a write (the AWS CLI, an editor, a backup) reads the whole old content, never half
// of the new, and a hard link the user made keeps the old bytes. Checked for the three writers:
// writeFileAtomic itself, the state file, and the managed block in ~/.aws/config.
import { link, mkdtemp, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src-main/core/files/atomic';
import { renderManagedBlock, writeManagedBlock } from '../../../../src-main/core/files/aws-config';
import { StateStore } from '../../../../src-main/core/files/state-store';
import { emptyAppState } from '../../../../src-shared/profile';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-atomic-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const block = renderManagedBlock([{ name: 'dev', credentialProcess: 'rolecall credential-process --profile dev' }]);

const writers: [string, string, (file: string) => Promise<unknown>][] = [
  ['writeFileAtomic', 'f.txt', (file) => writeFileAtomic(file, 'new content\n')],
  [
    'the state file',
    'state.json',
    (file) => new StateStore({ stateFile: file, locksDir: path.join(dir, 'locks') }).update((s) => {
      s.settings.refreshAheadSeconds = 600;
    }),
  ],
  ['the AWS config', 'config', (file) => writeManagedBlock(file, block)],
];

describe.each(writers)('%s', (_name, base, write) => {
  // Long enough that an in-place write could not hide behind one read() of the old handle.
  const old = base === 'state.json' ? JSON.stringify({ ...emptyAppState(), pad: 'x'.repeat(200_000) }) : `[profile mine]\nregion = eu-west-1\n# ${'x'.repeat(200_000)}\n`;

  it('replaces the file: a reader that opened it before the write reads the old content whole', async () => {
    const file = path.join(dir, base);
    await writeFile(file, old);
    const before = await stat(file);
    const reader = await open(file, 'r');
    try {
      await write(file);
      expect((await reader.readFile('utf8')) === old).toBe(true);
    } finally {
      await reader.close();
    }
    expect((await stat(file)).ino).not.toBe(before.ino);
    expect(await readFile(file, 'utf8')).not.toBe(old);
  });

  it('leaves a hard link to the old file with the old bytes, and no temp file behind', async () => {
    const file = path.join(dir, base);
    await writeFile(file, old);
    await link(file, path.join(dir, 'linked'));
    await write(file);
    expect((await readFile(path.join(dir, 'linked'), 'utf8')) === old).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
