// A fake agent, as another local user (or any process without the token) would run one: it
// listens at the given socket path, logs every byte it receives to a file, and tries to get the
// caller to accept its own "credentials" (a made-up challenge to a hello, an answer to anything
// else). Plain JS, so it runs under `runuser` with nothing but node.
//   node fake-agent.mjs SOCKET LOGFILE [DIR_MODE]
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

const [socket, log, dirMode] = process.argv.slice(2);
if (dirMode) {
  mkdirSync(path.dirname(socket), { recursive: true });
  chmodSync(path.dirname(socket), parseInt(dirMode, 8));
}
writeFileSync(log, '');
const foreign = JSON.stringify({ ok: true, result: { accessKeyId: 'ASIAFOREIGNFOREIGN', secretAccessKey: 'foreign-secret', sessionToken: 'foreign-token' } });
const server = net.createServer((c) => {
  let buffer = '';
  c.setEncoding('utf8');
  c.on('error', () => undefined);
  c.on('data', (d) => {
    appendFileSync(log, d);
    buffer += d;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const hex = () => randomBytes(32).toString('hex');
      c.write((line.includes('"hello"') ? JSON.stringify({ type: 'challenge', serverNonce: hex(), serverProof: hex() }) : foreign) + '\n');
    }
  });
});
server.listen(socket, () => {
  // Reachable by the victim, as in the report.
  chmodSync(socket, 0o777);
  process.stdout.write(`ready ${process.pid}\n`);
});
process.on('SIGTERM', () => process.exit(0));
