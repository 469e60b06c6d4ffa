// The sandbox's HTTP server itself: an over-long request body is answered 413, and the answer
// reaches even a client that reads only once it has sent the whole body.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useDemoSandbox } from './sts-fixtures';

const sandbox = useDemoSandbox();

/** Sends a whole request (headers and body) before reading anything, as simple HTTP clients do; resolves with the raw answer. */
function sendThenRead(port: number, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.pause();
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body, () => socket.resume());
  });
}

describe('request size limit', () => {
  it('answers a body over 1 MiB with 413, then closes the connection', async () => {
    const body = Buffer.from(`Action=GetCallerIdentity&Version=2011-06-15&Padding=${'a'.repeat(4 * 1024 * 1024)}`);
    const started = Date.now();
    const answer = await sendThenRead(sandbox().port, body);
    expect(Date.now() - started).toBeLessThan(4000); // closed once the body was in, not left to the 5 s grace
    expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(answer.endsWith('\r\n\r\nRequest entity too large')).toBe(true);
  });

  it('answers 413 to fetch too, and keeps serving', async () => {
    const res = await fetch(`${sandbox().url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('Request entity too large');
    const ok = await fetch(`${sandbox().url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
    expect(ok.status).toBe(403); // unsigned: MissingAuthenticationToken, but answered
  });
});
