// Starts a background broker (`rolecall serve --idle-exit N`, detached, stdio ignored, as
// gpg-agent starts) when none runs. However many processes try at once, one spawns: it holds a
// lock file while the agent boots; the others poll the socket until it answers.
//
// The agent outlives the caller and serves every later one, so it inherits none of the caller's
// quirks: no Node flags (process.execArgv, NODE_OPTIONS: an --inspect there left a 15-minute
// agent with an open inspector), and of the environment only what it needs to find its files,
// the keychain and a browser. The caller's AWS settings travel with each request instead.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { AgentClient } from '../../core/agent/client';
import { withFileLock } from '../../core/lock';
import type { RolecallPaths } from '../../core/paths';

const BOOT_TIMEOUT_MS = 20_000;
const POLL_MS = 25;

/** Variables the agent keeps, by exact name. */
const KEPT = new Set([
  // Its files, and the AWS CLI's SSO cache under HOME.
  'HOME', 'ROLECALL_HOME', 'TMPDIR', 'TMP', 'TEMP', 'PATH', 'USER', 'LOGNAME',
  // The keychain: Secret Service over the session bus (Linux), the login session (macOS, Windows).
  'DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY',
  // Locale; and what decides whether it may open a browser for a sign-in (browserLikelyAvailable).
  'LANG', 'LANGUAGE', 'TZ', 'BROWSER', 'SSH_CONNECTION', 'SSH_TTY', 'WSL_DISTRO_NAME',
  // Windows: where the user's profile and data dir live, and what the system needs to run.
  'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'HOMEDRIVE', 'HOMEPATH', 'USERNAME', 'SystemRoot', 'SYSTEMROOT', 'windir', 'ComSpec', 'PATHEXT',
]);
/** And by prefix: XDG base dirs and runtime dir (data dir, socket, keychain), locale categories. */
const KEPT_PREFIXES = ['XDG_', 'LC_'];

/** The agent's environment: an allow-list of the caller's, with a relative ROLECALL_HOME made absolute. */
export function agentEnvironment(env: NodeJS.ProcessEnv, paths: Pick<RolecallPaths, 'dataDir'>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (KEPT.has(name) || KEPT_PREFIXES.some((p) => name.startsWith(p)))) out[name] = value;
  }
  // A relative ROLECALL_HOME means the caller's cwd, which the agent does not share.
  if (env.ROLECALL_HOME) out.ROLECALL_HOME = paths.dataDir;
  return out;
}

/** True once an agent answers on the socket (started here or by someone else). */
export async function ensureAgent(paths: RolecallPaths, idleSeconds: number, env: NodeJS.ProcessEnv): Promise<boolean> {
  const client = new AgentClient(paths, { quickTimeoutMs: 2000 });
  const lock = path.join(paths.locksDir, 'agent-start.lock');
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await client.alive()) return true;
    let started: boolean | undefined;
    try {
      // timeoutMs 0: one attempt. Whoever does not get the lock goes back to polling the socket.
      started = await withFileLock(lock, () => spawnAndWait(client, paths, idleSeconds, env, deadline), { timeoutMs: 0, staleMs: BOOT_TIMEOUT_MS });
    } catch (e) {
      if ((e as { code?: string }).code !== 'timeout') return false;
    }
    if (started !== undefined) return started;
    await sleep(POLL_MS);
  }
  return false;
}

async function spawnAndWait(client: AgentClient, paths: RolecallPaths, idleSeconds: number, env: NodeJS.ProcessEnv, deadline: number): Promise<boolean> {
  if (await client.alive()) return true;
  const script = process.argv[1];
  if (!script) return false;
  let exited = false;
  const child = spawn(process.execPath, [path.resolve(script), 'serve', '--idle-exit', String(idleSeconds)], {
    detached: true,
    stdio: 'ignore',
    env: agentEnvironment(env, paths),
    // Not the caller's cwd: a long-lived agent should not pin whatever directory it was started in.
    cwd: path.parse(process.cwd()).root,
    windowsHide: true,
  });
  child.once('error', () => (exited = true));
  child.once('exit', () => (exited = true));
  child.unref();
  while (!exited && Date.now() < deadline) {
    if (await client.alive()) return true;
    await sleep(POLL_MS);
  }
  return client.alive();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
