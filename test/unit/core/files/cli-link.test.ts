import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliLinkDir, cliLinkMessage, linkCli } from '../../../../src-main/core/files/cli-link';

let dir: string;
let bin: string;
const target = '/opt/Rolecall/resources/cli/rolecall';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-cli-link-'));
  bin = path.join(dir, 'home', '.local', 'bin');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('linkCli', () => {
  it('makes the directory and the link, and knows whether the directory is on PATH (however it is spelled there)', async () => {
    const made = await linkCli(target, bin, `/usr/bin${path.delimiter}${bin}/`);
    expect(made).toEqual({ link: path.join(bin, 'rolecall'), was: 'created', onPath: true });
    expect(await readlink(path.join(bin, 'rolecall'))).toBe(target);
    expect((await linkCli(target, bin, '/usr/bin')).onPath).toBe(false);
    // Nothing left beside it from making it.
    expect(await readdir(bin)).toEqual(['rolecall']);
  });

  it('replaces a link to an earlier Rolecall (the app moved, even one no longer there), and leaves its own link as it is', async () => {
    await mkdir(bin, { recursive: true });
    await symlink('/Volumes/Old/Rolecall.app/Contents/Resources/cli/rolecall', path.join(bin, 'rolecall'));
    expect((await linkCli(target, bin, '')).was).toBe('replaced');
    expect(await readlink(path.join(bin, 'rolecall'))).toBe(target);
    const before = await lstat(path.join(bin, 'rolecall'));
    expect((await linkCli(target, bin, '')).was).toBe('already');
    expect((await lstat(path.join(bin, 'rolecall'))).ino).toBe(before.ino);
  });

  it.each([
    ['a file of its own', async (link: string) => writeFile(link, '#!/bin/sh\necho mine\n'), /is not Rolecall's link: left as it was$/],
    ['a link to another tool', async (link: string) => symlink('/usr/bin/true', link), /is not Rolecall's link \(it points to \/usr\/bin\/true\): left as it was$/],
  ])('never replaces %s', async (_what, make, message) => {
    await mkdir(bin, { recursive: true });
    const link = path.join(bin, 'rolecall');
    await make(link);
    const before = (await lstat(link)).isSymbolicLink() ? await readlink(link) : await readFile(link, 'utf8');
    await expect(linkCli(target, bin, '')).rejects.toMatchObject({ name: 'RolecallError', code: 'conflict', message: expect.stringMatching(message), hint: `remove it and try again, or run Rolecall's CLI by its path: ${target}` });
    expect((await lstat(link)).isSymbolicLink() ? await readlink(link) : await readFile(link, 'utf8')).toBe(before);
  });

  it('says which link it cannot make and how to make it by hand (the directory is a file)', async () => {
    await mkdir(path.dirname(bin), { recursive: true });
    await writeFile(bin, '');
    await expect(linkCli(target, bin, '')).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: expect.stringContaining(`${path.join(bin, 'rolecall')}: ENOTDIR`), hint: `link it by hand: ln -sf '${target}' '${path.join(bin, 'rolecall')}'` });
  });
});

describe('cliLinkDir and cliLinkMessage', () => {
  it('links into ~/.local/bin on Linux', async () => {
    expect(await cliLinkDir('linux', '/home/ann')).toBe('/home/ann/.local/bin');
  });
  it('says where the command is, and how to reach it when its directory is not on PATH', () => {
    expect(cliLinkMessage({ link: '/usr/local/bin/rolecall', was: 'created', onPath: true })).toBe('The rolecall command is now linked at /usr/local/bin/rolecall.');
    expect(cliLinkMessage({ link: '/home/ann/.local/bin/rolecall', was: 'already', onPath: false })).toBe(
      'The rolecall command is already linked at /home/ann/.local/bin/rolecall, but /home/ann/.local/bin is not on PATH: add it to your shell\'s profile (export PATH="/home/ann/.local/bin:$PATH") and open a new terminal.',
    );
  });
});
