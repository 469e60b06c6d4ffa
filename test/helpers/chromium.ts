// Debian's Chromium for browser tests, headless, with the flags this machine's closed network
// needs (no background networking, no component updates) and a fresh profile of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterEach, beforeEach } from 'vitest';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** A persistent context in a new user-data dir; close() ends the browser and removes the dir. */
export async function launchChromium(opts: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, ...opts });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser for each test of the file that calls it, closed when the test ends; call the result inside a test. */
export function useChromium(opts: Parameters<typeof launchChromium>[0] = {}): () => BrowserContext {
  let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeEach(async () => {
    chrome = await launchChromium(opts);
  });
  afterEach(async () => {
    await chrome?.close();
    chrome = undefined;
  });
  return () => {
    if (!chrome) throw new Error('useChromium: the browser is there only inside a test');
    return chrome.context;
  };
}
