// The managed block written from the state: what `rolecall config write` does, and what the app
// does after a change when AWS config writing is on. The install that runs the CLI (a Node.js and
// the rolecall script, or the packaged app's Electron as Node) is the caller's to say.
import path from 'node:path';
import { indexProfiles, regionOf } from '../chain';
import { withFileLock } from '../lock';
import type { RolecallPaths } from '../paths';
import { credentialProcessCommand, launcherCommand, profilesOutsideBlock, renderManagedBlock, writeManagedBlock } from './aws-config';
import { installLauncher, launcherPaths, type Install } from './launcher';
import { StateStore } from './state-store';

/** A profile's credential_process command, as config write puts it in the block. */
export function credentialProcessLine(paths: Pick<RolecallPaths, 'dataDir'>, install: Install, profile: string, platform: NodeJS.Platform = process.platform): string {
  const installed = launcherPaths(paths, install, platform);
  return installed ? launcherCommand(installed.launcher, profile, platform, installed.helper) : credentialProcessCommand(install.nodePath, install.script, profile, platform, install.helper);
}

export interface ManagedBlockResult {
  file: string;
  changed: boolean;
  /** Profiles written (the default's [default] included). */
  count: number;
  /** Rolecall's default profile, not written as [default] because the user has one of their own. */
  keptDefault?: string;
}

/** Writes every profile into the AWS config's managed block (and the data dir's launcher), under the config's lock. */
export async function writeManagedBlockFromState(paths: RolecallPaths, install: Install): Promise<ManagedBlockResult> {
  const file = paths.awsConfigFile;
  // Two runs at once (the app and a terminal) must not each write from a stale read.
  return withFileLock(path.join(paths.locksDir, 'aws-config.lock'), async () => {
    const state = await new StateStore(paths).load();
    const index = indexProfiles(state.profiles);
    const entry = (name: string, profile: string) => ({ name, region: regionOf(index, profile), credentialProcess: credentialProcessLine(paths, install, profile) });
    const entries = state.profiles.map((p) => entry(p.name, p.name));
    // The profile made the default (settings.defaultProfile) also serves [default], unless the
    // user has a [default] of their own outside the block: that one is never overwritten.
    const def = state.settings.defaultProfile;
    let keptDefault: string | undefined;
    if (def && state.profiles.some((p) => p.name === def) && !state.profiles.some((p) => p.name === 'default')) {
      if ((await profilesOutsideBlock(file)).has('default')) keptDefault = def;
      else entries.push(entry('default', def));
    }
    const afterChecks = () => installLauncher(paths, install).then(() => undefined);
    const changed = await writeManagedBlock(file, renderManagedBlock(entries), { afterChecks });
    return { file, changed, count: entries.length, ...(keptDefault ? { keptDefault } : {}) };
  });
}
