// Starting and ending the fake agent (fake-agent.mjs) in the agent tests: as this user or, through
// runuser, as another local user. Every start is remembered, so a test's afterEach ends them all.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FAKE = fileURLToPath(new URL('./fake-agent.mjs', import.meta.url));

export class FakeAgents {
  private readonly children: ChildProcess[] = [];
  /** The fakes' own pids: one run through runuser is not runuser's pid, and outlives it. */
  private readonly pids: number[] = [];

  /** Starts one (node fake-agent.mjs SOCKET LOGFILE [DIR_MODE]) and resolves its pid once it listens. */
  start(args: string[], asUser?: string): Promise<number> {
    const cmd = asUser ? ['runuser', ['-u', asUser, '--', process.execPath, FAKE, ...args]] : [process.execPath, [FAKE, ...args]];
    const child = spawn(cmd[0] as string, cmd[1] as string[], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /ready (\d+)/.exec(out);
        if (m) {
          this.pids.push(Number(m[1]));
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`fake agent exited (${code})`)));
    });
  }

  /** Ends every fake started since the last call. */
  stopAll(): void {
    for (const pid of this.pids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const c of this.children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
