// `rolecall` on PATH for the installed app: a symlink to the app's own CLI launcher
// (<resources>/cli/rolecall), made when the person asks for it, like an editor's "install the
// shell command". AWS tools need no link (credential_process names the data dir's launcher);
// people typing `rolecall` in a terminal do.
import { access, constants, lstat, mkdir, readlink, rename, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileErrorText, RolecallError } from '../errors';

export interface CliLinkResult {
  /** The link made or found: <dir>/rolecall. */
  link: string;
  /** created: there was none; replaced: it named an earlier Rolecall's CLI (the app was moved); already: it names this one. */
  was: 'created' | 'replaced' | 'already';
  /** Whether the link's directory is on this process's PATH (a shell started from a login one has the same). */
  onPath: boolean;
}

/**
 * Where the link goes: macOS /usr/local/bin when this user may write there (on PATH in every
 * shell), else ~/.local/bin (the XDG place for a user's own commands, which most Linux shells
 * add to PATH once it exists).
 */
export async function cliLinkDir(platform: NodeJS.Platform, home: string): Promise<string> {
  if (platform === 'darwin' && (await access('/usr/local/bin', constants.W_OK).then(() => true, () => false))) return '/usr/local/bin';
  return path.join(home, '.local', 'bin');
}

/** A link that names some Rolecall's packaged CLI (<something>/cli/rolecall): ours to replace. */
const isRolecallCli = (target: string) => path.basename(target) === 'rolecall' && path.basename(path.dirname(target)) === 'cli';

/** Links `dir`/rolecall to `target`; never replaces a file or link that is not Rolecall's. */
export async function linkCli(target: string, dir: string, pathEnv: string | undefined): Promise<CliLinkResult> {
  const link = path.join(dir, 'rolecall');
  const onPath = (pathEnv ?? '').split(path.delimiter).some((d) => d && path.resolve(d) === path.resolve(dir));
  const failed = (what: string, e: unknown) =>
    new RolecallError(`Cannot ${what} ${link}: ${fileErrorText(e)}`, 'file', `link it by hand: ln -sf '${target}' '${link}'`, { cause: e });
  const existing = await lstat(link).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw failed('look at', e);
  });
  let was: CliLinkResult['was'] = 'created';
  if (existing) {
    const points = existing.isSymbolicLink() ? await readlink(link).catch(() => '') : '';
    if (!points || !isRolecallCli(points)) {
      throw new RolecallError(
        `${link} already exists and is not Rolecall's ${existing.isSymbolicLink() ? `link (it points to ${points})` : 'link'}: left as it was`,
        'conflict',
        `remove it and try again, or run Rolecall's CLI by its path: ${target}`,
      );
    }
    if (path.resolve(dir, points) === path.resolve(target)) return { link, was: 'already', onPath };
    was = 'replaced';
  }
  try {
    await mkdir(dir, { recursive: true });
    // Made beside and renamed over, so a shell never finds the command missing or half-made.
    const next = `${link}.rolecall-${process.pid}`;
    await unlink(next).catch(() => undefined);
    await symlink(target, next);
    await rename(next, link).catch(async (e: unknown) => {
      await unlink(next).catch(() => undefined);
      throw e;
    });
  } catch (e) {
    throw failed(was === 'replaced' ? 'replace' : 'make', e);
  }
  return { link, was, onPath };
}

/** What the person reads after linkCli: where the command is, and how to reach it when its directory is not on PATH. */
export function cliLinkMessage(r: CliLinkResult): string {
  const done = r.was === 'already' ? `The rolecall command is already linked at ${r.link}` : `The rolecall command is now linked at ${r.link}`;
  if (r.onPath) return `${done}.`;
  const dir = path.dirname(r.link);
  return `${done}, but ${dir} is not on PATH: add it to your shell's profile (export PATH="${dir}:$PATH") and open a new terminal.`;
}
