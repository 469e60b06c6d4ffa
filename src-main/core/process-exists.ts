// Whether a process still exists, for locks and temp files whose owner may have died, and for
// `agent stop` waiting on the agent's pid.

/** True while `pid` exists, whoever owns it (EPERM: it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
