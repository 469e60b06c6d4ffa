// The data dir's launcher: what `rolecall config write` puts in credential_process, so the lines
// survive moving, re-installing or upgrading Rolecall (a clone moved, `npm install -g` again).
// `<dataDir>/bin/rolecall` is a shell script naming the install that last wrote the config; a
// copy of the native helper sits beside it. Each write refreshes both, atomically, so a running
// AWS tool sees the old launcher or the new one. When the install it names is gone the launcher
// says what to do; the copied helper still answers from a running agent or the keychain cache.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { RolecallError } from '../errors';
import type { RolecallPaths } from '../paths';
import { writeFileAtomic } from './atomic';

export interface Install {
  /** The Node.js (or Electron-as-Node) executable that runs the CLI. */
  nodePath: string;
  /** The CLI entry (dist/cli/rolecall.cjs). */
  script: string;
  /** The native credential_process helper built beside it, if any. */
  helper?: string;
  /** nodePath is the packaged app's Electron, which runs the CLI as Node only when told to. */
  electronAsNode?: boolean;
}

export interface InstalledLauncher {
  launcher: string;
  /** The data dir's copy of the native helper, when the install has one. */
  helper?: string;
}

export const launcherDir = (paths: Pick<RolecallPaths, 'dataDir'>) => path.join(paths.dataDir, 'bin');

/** A word for sh: single-quoted, with ' written as '\''. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The launcher script for an install (a pure function, so its text is testable). */
export function launcherScript(install: Pick<Install, 'nodePath' | 'script' | 'electronAsNode'>): string {
  for (const [what, p] of [['Node.js path', install.nodePath], ['rolecall script path', install.script]] as const) {
    // eslint-disable-next-line no-control-regex -- a control character cannot be written into a script line safely
    if (!path.isAbsolute(p) || /[\x00-\x1f\x7f]/.test(p)) throw new RolecallError(`Cannot write a launcher for the ${what} ${JSON.stringify(p)}: it must be absolute and on one line`, 'invalid-input');
  }
  return [
    '#!/bin/sh',
    '# Written by `rolecall config write`: runs the Rolecall install that wrote it (rewritten on every write).',
    `script=${shQuote(install.script)}`,
    'if [ ! -f "$script" ]; then',
    `  echo "rolecall: the Rolecall install your AWS profiles use is gone ($script): run 'rolecall config write' with Rolecall where it is now" >&2`,
    '  exit 1',
    'fi',
    ...(install.electronAsNode ? ['ELECTRON_RUN_AS_NODE=1', 'export ELECTRON_RUN_AS_NODE'] : []),
    `exec ${shQuote(install.nodePath)} "$script" "$@"`,
    '',
  ].join('\n');
}

/** Where installLauncher puts the launcher (and the helper's copy); undefined on Windows, which runs Node directly. */
export function launcherPaths(paths: Pick<RolecallPaths, 'dataDir'>, install: Install, platform: NodeJS.Platform = process.platform): InstalledLauncher | undefined {
  if (platform === 'win32') return undefined;
  const dir = launcherDir(paths);
  return { launcher: path.join(dir, 'rolecall'), ...(install.helper ? { helper: path.join(dir, 'rolecall-credential-process') } : {}) };
}

/** Writes the launcher (and the helper's copy) into the data dir, where launcherPaths says. */
export async function installLauncher(paths: Pick<RolecallPaths, 'dataDir'>, install: Install, platform: NodeJS.Platform = process.platform): Promise<void> {
  const at = launcherPaths(paths, install, platform);
  if (!at) return;
  const dir = launcherDir(paths);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await writeFileAtomic(at.launcher, launcherScript(install), { mode: 0o700 });
  // The install's helper was found when the lines were made (nativeHelper), so it is copied as is.
  if (install.helper && at.helper) await writeFileAtomic(at.helper, await readFile(install.helper), { mode: 0o700 });
}
