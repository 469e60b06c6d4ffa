// Whether a process still exists, for locks and temp files whose owner may have died, and for
// `agent stop` and the app's handover waiting on the agent's pid.

/** True while `pid` exists, whoever owns it (EPERM: it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until `pid` has exited (true), or `ms` have passed (false). */
export async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processExists(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
