// The same signed STS calls against moto (a second, independent imitation of AWS) and the
// sandbox: the XML shapes of the answers and of an error must agree. Where moto is wrong the
// difference is noted here rather than copied:
//  - moto answers PackedPolicySize on every AssumeRole/GetFederationToken; AWS only when a
//    policy or tags were passed (so these calls pass a Policy, and both answer it);
//  - moto's GetCallerIdentity gives an IAM user an `arn:aws:sts::...:user/...` ARN (AWS: `arn:aws:iam::`);
//  - moto's RequestId is a 52-character random string (AWS: a UUID); its Expiration carries
//    microseconds (AWS: whole seconds); it takes any DurationSeconds;
//  - moto's length message has a double space ("less than or  equal to").
import { spawn, type ChildProcess } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../helpers/net';
import { DEMO, stsSigner, useDemoSandbox, type AwsCredentialIdentity } from './sts-fixtures';

let moto: ChildProcess | undefined;
let motoUrl = '';
const sandbox = useDemoSandbox();

beforeAll(async () => {
  const port = await freeLoopbackPort();
  motoUrl = `http://127.0.0.1:${port}`;
  moto = spawn(process.env.ROLECALL_TEST_PYTHON || 'python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${motoUrl}/moto-api/`)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || moto.exitCode !== null) throw new Error('moto.server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
});
afterAll(async () => {
  if (moto?.pid !== undefined && moto.exitCode === null) {
    const exited = new Promise((resolve) => moto?.once('exit', resolve));
    moto.kill('SIGTERM');
    await exited;
  }
});

interface Answer {
  status: number;
  contentType: string;
  requestId: string | null;
  root: string;
  namespace: string;
  paths: string[];
  doc: Record<string, unknown>;
}

/** POSTs a SigV4-signed STS query request, as the SDKs send it, and reads the XML's shape. */
async function call(endpoint: string, credentials: AwsCredentialIdentity, params: Record<string, string>): Promise<Answer> {
  const url = new URL(endpoint);
  const body = new URLSearchParams({ Version: '2011-06-15', ...params }).toString();
  const signed = await stsSigner(credentials).sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body });
  const doc = new XMLParser({ ignoreAttributes: false }).parse(await res.text()) as Record<string, unknown>;
  const root = Object.keys(doc).find((k) => k !== '?xml') ?? '';
  const paths: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('@_') || k === '#text') continue;
      paths.push(`${path}/${k}`);
      walk(v, `${path}/${k}`);
    }
  };
  walk(doc[root], root);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    requestId: res.headers.get('x-amzn-requestid'),
    root,
    namespace: String((doc[root] as Record<string, unknown>)['@_xmlns']),
    paths: paths.sort(),
    doc,
  };
}

const motoKeys = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY' };
const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });

const cases: Array<[string, Record<string, string>]> = [
  ['GetCallerIdentity', { Action: 'GetCallerIdentity' }],
  ['AssumeRole', { Action: 'AssumeRole', RoleArn: DEMO.readOnly, RoleSessionName: 'compare', Policy: policy }],
  ['GetSessionToken', { Action: 'GetSessionToken', DurationSeconds: '900' }],
  ['GetFederationToken', { Action: 'GetFederationToken', Name: 'compare', Policy: policy }],
];

describe('sandbox STS answers have the shapes moto gives', () => {
  it.each(cases)('%s', async (_name, params) => {
    const [fromMoto, fromSandbox] = await Promise.all([call(motoUrl, motoKeys, params), call(sandbox().url, DEMO.alice, params)]);
    expect(fromMoto.status).toBe(200);
    expect(fromSandbox.status).toBe(200);
    expect(fromSandbox.root).toBe(fromMoto.root);
    expect(fromSandbox.namespace).toBe(fromMoto.namespace);
    expect(fromSandbox.paths).toEqual(fromMoto.paths);
    expect(fromSandbox.contentType).toBe(fromMoto.contentType);
    expect(fromSandbox.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('an error: the same code, status, ErrorResponse shape and message', async () => {
    const params = { Action: 'AssumeRole', RoleArn: DEMO.readOnly, RoleSessionName: 'a'.repeat(70) };
    const [fromMoto, fromSandbox] = await Promise.all([call(motoUrl, motoKeys, params), call(sandbox().url, DEMO.alice, params)]);
    expect(fromSandbox.status).toBe(400);
    expect(fromSandbox.status).toBe(fromMoto.status);
    expect(fromSandbox.root).toBe('ErrorResponse');
    expect(fromSandbox.paths).toEqual(fromMoto.paths);
    const error = (a: Answer) => (a.doc.ErrorResponse as { Error: Record<string, string> }).Error;
    expect(error(fromSandbox).Type).toBe(error(fromMoto).Type);
    expect(error(fromSandbox).Code).toBe('ValidationError');
    expect(error(fromSandbox).Code).toBe(error(fromMoto).Code);
    expect(error(fromSandbox).Message).toBe(String(error(fromMoto).Message).replace('or  equal', 'or equal'));
  });
});
