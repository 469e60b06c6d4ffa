// The agent's per-install token: random, created once, readable only by its owner. It is the
// secret of the handshake (handshake.ts) in which agent and caller each prove they know it; it
// never crosses the socket, so a listener someone else put at the socket path learns nothing.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, link, unlink, writeFile } from 'node:fs/promises';
import { RolecallError } from '../errors';

/** The token, creating the file when there is none. Safe when many processes race to create it. */
export async function ensureAgentToken(file: string): Promise<string> {
  const existing = await readAgentToken(file);
  if (existing) {
    if (process.platform !== 'win32') await chmod(file, 0o600).catch(() => undefined);
    return existing;
  }
  const token = randomBytes(32).toString('hex');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, token + '\n', { mode: 0o600, flag: 'wx' });
    // link() fails when the file exists: the first creator wins, whole, and everyone reads its token.
    await link(temp, file).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  } catch (e) {
    throw new RolecallError(`Cannot create the agent token ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`, 'file', undefined, { cause: e });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const token2 = await readAgentToken(file);
  if (!token2) throw new RolecallError(`The agent token ${file} is empty`, 'file', `delete it and start the agent again`);
  return token2;
}

/**
 * The token, or null when there is none yet (so no agent can be running). Read synchronously:
 * on the credential_process hot path fs/promises alone costs ~3 ms to load, and there is
 * nothing else to do meanwhile.
 */
export async function readAgentToken(file: string): Promise<string | null> {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RolecallError(`Cannot read the agent token ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`, 'file', undefined, { cause: e });
  }
}
