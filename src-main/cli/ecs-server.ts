// The container credentials endpoint AWS SDKs and CLIs poll (AWS_CONTAINER_CREDENTIALS_FULL_URI
// with AWS_CONTAINER_AUTHORIZATION_TOKEN), on 127.0.0.1 for `rolecall exec --server`. Each
// request asks the broker, so a long command gets fresh credentials as they are refreshed.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Credentials } from '../../src-shared/profile';
import { describeError } from '../core/errors';

export interface EcsServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

// Long-term keys never expire, but the endpoint's answer needs an Expiration: ask again hourly.
const LONG_TERM_RECHECK_MS = 3600_000;

export async function startEcsServer(credentials: () => Promise<Credentials>): Promise<EcsServer> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(token);
  const path = `/rolecall/${randomBytes(8).toString('hex')}`;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return send(403, { message: 'forbidden' });
    if (req.method !== 'GET' || req.url !== path) return send(404, { message: 'not found' });
    credentials().then(
      (c) =>
        send(200, {
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          // Long-term keys have no token, but the field must be there as a string: the AWS SDK for
          // JavaScript refuses an answer whose Token is not a string (null, or absent), and
          // botocore reads response['Token'] (absent is a KeyError). Both sign without an empty token.
          Token: c.sessionToken ?? '',
          Expiration: (c.expiration ?? new Date(Date.now() + LONG_TERM_RECHECK_MS)).toISOString(),
        }),
      (e: unknown) => send(500, { message: describeError(e) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
