// "Install the rolecall command" in Settings, as a person uses it in headless Chromium: the link
// is made in the install's link directory and runs the app's own launcher; a second click says it
// is there already; a `rolecall` of someone else's in that place is left as it was, and the
// dialog says so in place. A face with no command of its own (the web bridge) offers no button.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/chromium';
import { repoRoot, startUiWorld, type UiWorld } from './ui-harness';

const shots = path.join(repoRoot, 'test-results/screenshots');

let dir: string;
let target: string;
let binDir: string;
let w: UiWorld;
let plain: UiWorld;
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
let page: Page;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-cli-link-'));
  // The installed app's launcher (<resources>/cli/rolecall), here a script that says who it is.
  target = path.join(dir, 'Rolecall', 'resources', 'cli', 'rolecall');
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, '#!/bin/sh\necho "the app\'s rolecall: $*"\n');
  await chmod(target, 0o755);
  binDir = path.join(dir, 'home', '.local', 'bin');
  w = await startUiWorld({ host: { cli: { target }, cliLinkDir: async () => binDir } });
  plain = await startUiWorld();
  chrome = await launchChromium({ viewport: { width: 1200, height: 760 } });
  page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await w?.close();
  await plain?.close();
  await rm(dir, { recursive: true, force: true });
});

async function openSettings(url: string) {
  // A fresh load each time (the same address with only a fragment would not reload).
  await page.goto('about:blank');
  await page.goto(url);
  await page.getByRole('complementary', { name: 'Sign-ins' }).getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel(/Refresh sessions this many minutes/).waitFor();
  return dialog;
}

describe('the rolecall command from Settings', () => {
  it('links the app\'s command, says its folder is not on PATH, and says so again without touching it on a second click', async () => {
    const dialog = await openSettings(w.url);
    const button = dialog.getByRole('button', { name: 'Install the rolecall command' });
    await button.click();
    const link = path.join(binDir, 'rolecall');
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe(
      `The rolecall command is now linked at ${link}, but ${binDir} is not on PATH: add it to your shell's profile (export PATH="${binDir}:$PATH") and open a new terminal.`,
    );
    expect(await readlink(link)).toBe(target);
    await mkdir(shots, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(shots, `settings-cli-link-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    const run = spawnSync(link, ['list'], { encoding: 'utf8' });
    expect(run.stdout).toBe("the app's rolecall: list\n");

    await button.click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/^The rolecall command is already linked at /);
    expect(await readlink(link)).toBe(target);
  });

  it('leaves a rolecall of someone else\'s as it was and says so in the dialog', async () => {
    const link = path.join(binDir, 'rolecall');
    await rm(link, { force: true });
    await writeFile(link, '#!/bin/sh\necho mine\n');
    const dialog = await openSettings(w.url);
    await dialog.getByRole('button', { name: 'Install the rolecall command' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe(`${link} already exists and is not Rolecall's link: left as it was; remove it and try again, or run Rolecall's CLI by its path: ${target}`);
    expect(await readFile(link, 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('is not offered by a face with no command of its own, whose API refuses it with the reason', async () => {
    const dialog = await openSettings(plain.url);
    await dialog.getByLabel(/Keep Rolecall's profiles/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Install the rolecall command' }).count()).toBe(0);
    expect(await plain.api.appInfo()).toEqual({ demo: false, samlLoginWindow: false, cliLink: false });
    await expect(plain.api.installCli()).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^Cannot link the rolecall command: this face \(the web bridge\)/) });
  });
});
