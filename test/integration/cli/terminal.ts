// Runs the built rolecall on a pseudo-terminal, as a person at the keyboard would: Node has no
// pty of its own, so Python's pty module waits for each prompt, then types the answer.
import { expect } from 'vitest';
import { parseJson, type CliHarness } from './harness';

const DRIVER = `
import json, os, pty, select, sys, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
out = b''
def read_until(text, seconds):
    global out
    end = time.time() + seconds
    while time.time() < end and (text is None or text.encode() not in out):
        if select.select([fd], [], [], 0.05)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            out += data
for step in spec['steps']:
    read_until(step['after'], 20)
    os.write(fd, (step['type'] + '\\r').encode())
read_until('\\x00', 20)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'screen': out.decode()}))
`;

/**
 * Runs `rolecall ARGS` on a terminal, typing each step's answer after its prompt; returns the screen as a person reads it.
 * With stdoutTo, its stdout goes to that file instead (as when a program reads it) and the terminal keeps stdin and stderr.
 */
export async function atTerminal(
  h: CliHarness,
  args: string[],
  steps: { after: string; type: string }[],
  o: { stdoutTo?: string } = {},
): Promise<{ code: number; screen: string }> {
  const python = process.env.ROLECALL_TEST_PYTHON || 'python3';
  const argv = [process.execPath, h.script, ...args];
  const spec = { argv: o.stdoutTo ? ['sh', '-c', 'out="$1"; shift; exec "$@" > "$out"', 'sh', o.stdoutTo, ...argv] : argv, env: h.env, steps };
  const r = await h.run(python, ['-c', DRIVER, JSON.stringify(spec)], { timeoutMs: 60_000 });
  expect(r.stderr).toBe('');
  const out = parseJson<{ code: number; screen: string }>(r.stdout);
  // readline's cursor controls and the terminal's CR before LF removed.
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences are what it removes
  return { ...out, screen: out.screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r+\n/g, '\n') };
}
