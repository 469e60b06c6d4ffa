// Speaks the agent's wire by hand, for tests that must send what the real client never would
// (wrong proofs, replays, floods) or see exactly what a server received.
import net from 'node:net';
import { newNonce, proofOf } from '../../../src-main/core/agent/handshake';

export interface RawConnection {
  send(data: string): void;
  /** The next line the other side sent; undefined when it closed (or `ms` passed) first. */
  line(ms?: number): Promise<string | undefined>;
  /** Resolves once the other side has closed (true) or `ms` passed (false). */
  closed(ms?: number): Promise<boolean>;
  /** Every byte received so far. */
  received(): string;
  end(): void;
}

export function rawConnect(socket: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let all = '';
    let buffer = '';
    let isClosed = false;
    const lines: string[] = [];
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    c.setEncoding('utf8');
    c.on('data', (d: string) => {
      all += d;
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        lines.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
      wake();
    });
    c.on('error', () => undefined);
    c.on('close', () => {
      isClosed = true;
      wake();
    });
    const wait = (ms: number, done: () => boolean) =>
      new Promise<void>((r) => {
        if (done()) return r();
        const t = setTimeout(r, ms);
        const check = () => (done() ? (clearTimeout(t), r()) : waiters.push(check));
        waiters.push(check);
      });
    c.once('connect', () =>
      resolve({
        send: (data) => void c.write(data),
        line: async (ms = 2000) => {
          await wait(ms, () => lines.length > 0 || isClosed);
          return lines.shift();
        },
        closed: async (ms = 2000) => {
          await wait(ms, () => isClosed);
          return isClosed;
        },
        received: () => all,
        end: () => void c.destroy(),
      }),
    );
    c.once('error', reject);
  });
}

/** Says hello and reads the challenge. */
export async function hello(c: RawConnection, clientNonce = newNonce()): Promise<{ clientNonce: string; serverNonce: string; serverProof: string }> {
  c.send(JSON.stringify({ type: 'hello', v: 1, clientNonce }) + '\n');
  const line = await c.line();
  if (!line) throw new Error('no challenge');
  const m = JSON.parse(line) as { type: string; serverNonce: string; serverProof: string };
  if (m.type !== 'challenge') throw new Error(`not a challenge: ${line}`);
  return { clientNonce, serverNonce: m.serverNonce, serverProof: m.serverProof };
}

/** A connection that has done the whole handshake with `token`. */
export async function authenticated(socket: string, token: string): Promise<RawConnection> {
  const c = await rawConnect(socket);
  const { clientNonce, serverNonce } = await hello(c);
  c.send(JSON.stringify({ type: 'proof', clientProof: proofOf(token, 'client', clientNonce, serverNonce) }) + '\n');
  return c;
}
