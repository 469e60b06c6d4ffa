// Where Rolecall keeps its files, and where the AWS tools keep theirs. Pure for a given
// (env, platform, home), so every platform's layout is testable on any machine.
import { createHash } from 'node:crypto';
import { lstat, mkdir, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RolecallError } from './errors';

export interface RolecallPaths {
  dataDir: string;
  /** App state (profiles, sso-sessions, settings): no secrets. */
  stateFile: string;
  locksDir: string;
  /** Unix socket path, or a named pipe on Windows. */
  agentSocket: string;
  agentTokenFile: string;
  awsConfigFile: string;
  awsCredentialsFile: string;
  awsSsoCacheDir: string;
  /** Keychain "service" under which every secret of this data dir is stored. */
  keychainService: string;
}

// sun_path is 104 bytes on macOS (108 on Linux), including the terminating NUL.
const MAX_SOCKET_PATH_BYTES = 103;

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export function resolvePaths(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): RolecallPaths {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const expandHome = (f: string) => (f.startsWith('~/') || f.startsWith('~\\') ? p.join(home, f.slice(2)) : f);

  const custom = env.ROLECALL_HOME?.trim();
  const dataDir = custom ? p.resolve(expandHome(custom)) : defaultDataDir(env, platform, home, p);
  const awsDir = p.join(home, '.aws');
  return {
    dataDir,
    stateFile: p.join(dataDir, 'state.json'),
    locksDir: p.join(dataDir, 'locks'),
    agentSocket: agentSocketPath(dataDir, platform, env, p),
    agentTokenFile: p.join(dataDir, 'agent.token'),
    // As the AWS SDK reads them: the env var wins, "~/" means home.
    awsConfigFile: env.AWS_CONFIG_FILE ? expandHome(env.AWS_CONFIG_FILE) : p.join(awsDir, 'config'),
    awsCredentialsFile: env.AWS_SHARED_CREDENTIALS_FILE ? expandHome(env.AWS_SHARED_CREDENTIALS_FILE) : p.join(awsDir, 'credentials'),
    awsSsoCacheDir: p.join(awsDir, 'sso', 'cache'),
    // A custom data dir gets its own keychain entries, so tests and side-by-side installs never
    // read or overwrite the everyday install's secrets.
    keychainService: custom ? `rolecall (${dataDir})` : 'rolecall',
  };
}

function defaultDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string, p: path.PlatformPath): string {
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), 'Rolecall');
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Rolecall');
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), 'rolecall');
}

function agentSocketPath(dataDir: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv, p: path.PlatformPath): string {
  // A base name only: the pipe's real name adds a part derived from the token (agent/handshake.ts).
  if (platform === 'win32') return `\\\\.\\pipe\\rolecall-${shortHash(dataDir.toLowerCase())}`;
  const inDataDir = p.join(dataDir, 'agent.sock');
  if (Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH_BYTES) return inDataDir;
  // A deep data dir would overflow sun_path. The per-user runtime dir is the next best place
  // (private by the XDG spec, which also says to ignore a relative one); else a directory under
  // the temp dir, where other users can compute the name and create it first: ensureDataDir and
  // the client both refuse one that is not a private directory of the user's.
  const name = `rolecall-${shortHash(dataDir)}`;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && p.isAbsolute(runtime)) {
    const inRuntime = p.join(runtime, name, 'agent.sock');
    if (Buffer.byteLength(inRuntime) <= MAX_SOCKET_PATH_BYTES) return inRuntime;
  }
  return p.join(env.TMPDIR || os.tmpdir(), name, 'agent.sock');
}

/** Creates the data dir and locks dir private to the user. */
export async function ensureDataDir(paths: RolecallPaths): Promise<void> {
  try {
    for (const dir of [paths.dataDir, paths.locksDir]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // mkdir leaves an existing dir's mode alone; the agent token lives here, so tighten it.
      if (process.platform !== 'win32') await chmod(dir, 0o700);
    }
  } catch (e) {
    throw new RolecallError(`Cannot create Rolecall's data directory ${paths.dataDir}: ${(e as Error).message}`, 'file', undefined, { cause: e });
  }
}

/**
 * The agent's: creates a relocated socket dir private to the user, and refuses one that is not
 * (another user may have created it first under the shared temp dir to catch our socket). Only
 * the agent checks it, so a squatted dir costs the shared agent, not every other command.
 */
export async function ensureSocketDir(paths: RolecallPaths): Promise<void> {
  await ensureDataDir(paths);
  const socketDir = path.dirname(paths.agentSocket);
  if (process.platform === 'win32' || socketDir === paths.dataDir) return;
  await mkdir(socketDir, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const st = await lstat(socketDir).catch(() => null);
  const ownedPrivate = st?.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0;
  if (!ownedPrivate) {
    throw new RolecallError(
      `The agent socket directory ${socketDir} is not a private directory of yours`,
      'file',
      `remove it, or set ROLECALL_HOME to a shorter path`,
    );
  }
}
