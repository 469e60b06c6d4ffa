// Starts a background broker (`rolecall serve --idle-exit N`, detached, stdio ignored, as
// gpg-agent starts) when none runs. However many processes try at once, one spawns: it holds a
// lock file while the agent boots; the others poll the socket until it answers.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { AgentClient } from '../../core/agent/client';
import { withFileLock } from '../../core/lock';
import type { RolecallPaths } from '../../core/paths';

const BOOT_TIMEOUT_MS = 20_000;
const POLL_MS = 25;

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
  const child = spawn(process.execPath, [...process.execArgv, path.resolve(script), 'serve', '--idle-exit', String(idleSeconds)], {
    detached: true,
    stdio: 'ignore',
    // A relative ROLECALL_HOME means the caller's cwd, which the agent does not share.
    env: env.ROLECALL_HOME ? { ...env, ROLECALL_HOME: paths.dataDir } : env,
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
