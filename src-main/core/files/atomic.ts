// Crash-safe file replacement: a reader sees the old content or the new, never half of either.
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileErrorText, RolecallError } from '../errors';
import { processExists } from '../process-exists';

export interface AtomicWriteOptions {
  /** File mode; by default an existing file keeps its mode and a new one gets 0600. */
  mode?: number;
  /** Keep a copy of the previous content at `<path><backupSuffix>` (same mode). */
  backupSuffix?: string;
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  // Write through a symlink (dotfile managers link ~/.aws/config) instead of replacing the link.
  const target = await realpath(file).catch(() => file);
  try {
    const existing = await stat(target).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    const mode = options.mode ?? (existing ? existing.mode & 0o7777 : 0o600);
    if (existing && options.backupSuffix) {
      await replaceFile(target + options.backupSuffix, await readFile(target), existing.mode & 0o7777);
    }
    await replaceFile(target, data, mode);
  } catch (e) {
    if (e instanceof RolecallError) throw e;
    throw new RolecallError(`Cannot write ${file}: ${fileErrorText(e)}`, 'file', undefined, { cause: e });
  }
}

async function replaceFile(target: string, data: string | Uint8Array, mode: number): Promise<void> {
  const dir = path.dirname(target);
  // Same directory, so rename() stays within one file system and is atomic.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      // open() applies the umask; chmod sets exactly the mode asked for (e.g. keeps a 0644 file 0644).
      if (process.platform !== 'win32') await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    renamed = true;
    await syncDir(dir);
    await removeOrphans(dir, path.basename(target));
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

// A writer killed mid-write (SIGKILL, power loss) leaves its temp file; the next writer of the same
// file removes those of processes that are gone, so they never pile up beside ~/.aws/config.
async function removeOrphans(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (pid && pid !== process.pid && !processExists(pid)) await unlink(path.join(dir, name)).catch(() => undefined);
  }
}


// Makes the rename itself durable; Windows cannot open a directory, and some file systems refuse.
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
