// The product bugs the bad-input corpus found (issue 14), each pinned by the input it was
// reported with: what a person sees now instead.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSdkError } from '../../../src-main/core/aws/errors';
import { getRoleCredentials, portalCredentials } from '../../../src-main/core/aws/sso-portal';
import { credentialProcessCommand, importAwsConfig, renderManagedBlock } from '../../../src-main/core/files/aws-config';
import { createOidcClient } from '../../../src-main/core/sso/oidc';
import { profileName } from '../../../src-main/cli/validate';
import { expectCleanError } from '../../helpers/corpus';

// A 127.0.0.1 endpoint answering every call with `body` (JSON, 200 unless `status` says).
let body = '';
let status = 200;
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const answer = (b: string, s = 200) => {
  body = b;
  status = s;
};
const thrown = async (p: Promise<unknown>): Promise<Error & { hint?: string }> => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a refusal');
};
const portal = () => getRoleCredentials({ region: 'us-east-1', accessToken: 'access', accountId: '123456789012', roleName: 'R' }, { AWS_ENDPOINT_URL: url });
const FUTURE = 4102444800000;

describe('1. GetRoleCredentials answers are checked before they are used', () => {
  it.each([
    ['"secretAccessKey":{}', { accessKeyId: 'ASIAX', secretAccessKey: {}, sessionToken: 't', expiration: FUTURE }, 'secretAccessKey is not a string'],
    ['an empty sessionToken', { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: '', expiration: FUTURE }, 'sessionToken is empty'],
    ['no accessKeyId', { secretAccessKey: 's', sessionToken: 't', expiration: FUTURE }, 'no accessKeyId'],
    ['"expiration":1 (1970)', { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: 1 }, "their expiration has passed; check this computer's clock"],
    ['"expiration":" "', { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: ' ' }, 'expiration is not a number of epoch milliseconds'],
    ['"expiration":1e300', { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: 1e300 }, 'expiration is not a time'],
  ])('%s is refused in one line that quotes no value', async (_, roleCredentials, why) => {
    answer(JSON.stringify({ roleCredentials }));
    const e = await thrown(portal());
    expect(e.message).toBe(`the IAM Identity Center portal sent credentials Rolecall cannot use (sso:GetRoleCredentials: ${why})`);
    expect(e.hint).toBe(`if it persists, check what answers at ${url}`);
    expectCleanError(e, { maxLength: 300 });
  });

  it('well-formed credentials come through with their expiry', async () => {
    answer(JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: FUTURE } }));
    expect(await portal()).toEqual({ accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't', expiration: new Date(FUTURE) });
  });

  it('an expiry a moment from now is still accepted, one a moment ago is not', () => {
    const c = { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't' };
    expect(portalCredentials({ ...c, expiration: 1_000_001 }, url, 1_000_000).expiration.getTime()).toBe(1_000_001);
    expect(() => portalCredentials({ ...c, expiration: 1_000_000 }, url, 1_000_000)).toThrow(/expiration has passed/);
  });
});

describe('2. SSO OIDC CreateToken answers are checked against the model', () => {
  const refresh = async () => (await createOidcClient('us-east-1', { AWS_ENDPOINT_URL: url })).createToken({ grantType: 'refresh_token', clientId: 'c', clientSecret: 'cs', refreshToken: 'r' });

  it.each([
    ['"accessToken":[]', { accessToken: [], expiresIn: 1 }, 'accessToken is not a non-empty string'],
    ['"expiresIn":"3600"', { accessToken: 'a', expiresIn: '3600' }, 'expiresIn is not a positive whole number of seconds'],
    ['"expiresIn":1.5', { accessToken: 'a', expiresIn: 1.5 }, 'expiresIn is not a positive whole number of seconds'],
    ['no expiresIn', { accessToken: 'a' }, 'no expiresIn'],
    ['"refreshToken":5', { accessToken: 'a', expiresIn: 3600, refreshToken: 5 }, 'refreshToken is not a non-empty string'],
  ])('%s is refused in one line', async (_, grant, why) => {
    answer(JSON.stringify(grant));
    const e = await thrown(refresh());
    expect(e.message).toBe(`IAM Identity Center OIDC sent an answer Rolecall cannot use (sso-oidc:CreateToken: ${why})`);
    expectCleanError(e, { maxLength: 300 });
  });

  it('a grant as AWS sends it is taken, an empty refreshToken as none', async () => {
    answer(JSON.stringify({ accessToken: 'a', expiresIn: 3600, refreshToken: 'r2', tokenType: 'Bearer' }));
    expect(await refresh()).toEqual({ accessToken: 'a', expiresIn: 3600, refreshToken: 'r2' });
    answer(JSON.stringify({ accessToken: 'a', expiresIn: 3600, refreshToken: '' }));
    expect(await refresh()).toEqual({ accessToken: 'a', expiresIn: 3600, refreshToken: undefined });
  });
});

describe('3. an answer the SDK cannot parse is never quoted', () => {
  const issued = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('the reported answer: a quote missing after secretAccessKey', async () => {
    answer(`{"roleCredentials":{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","secretAccessKey:"${issued}","sessionToken":"t","expiration":${FUTURE}}}`);
    const e = await thrown(portal());
    expect(e.message).toBe('the IAM Identity Center portal sent an answer Rolecall could not read (sso:GetRoleCredentials)');
    expect(`${e.message} ${e.hint}`).not.toContain(issued.slice(0, 6));
  });

  it('an error answer cut short (HTTP 403) is unreadable too, and a 5xx page still an outage', async () => {
    answer(`{"message":"${issued}`, 403);
    expect((await thrown(portal())).message).toBe('the IAM Identity Center portal sent an answer Rolecall could not read (sso:GetRoleCredentials)');
    answer(`<html>${issued}`, 502);
    expect((await thrown(portal())).message).toMatch(/^the IAM Identity Center portal is failing \(HTTP 502 SyntaxError from sso:GetRoleCredentials, \d+ attempts\)$/);
  });

  it('an XML parse error (STS) says the same without the body', () => {
    const e = Object.assign(new Error(`@aws-sdk XML parse error: unexpected content.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`), {
      $metadata: { httpStatusCode: 200 },
    });
    Object.defineProperty(e, '$responseBodyText', { value: `<x>${issued}` });
    expect(fromSdkError(e, 'sts:AssumeRole', { name: 'AWS STS', url: 'https://sts.us-east-1.amazonaws.com' }).message).toBe('AWS STS sent an answer Rolecall could not read (sts:AssumeRole)');
  });
});

describe('4. invalid names are quoted cut short', () => {
  it('profile add with a 100 KB name: a short message with the length', () => {
    const e = (() => {
      try {
        profileName('a'.repeat(100_000));
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(e.message).toMatch(new RegExp(`^invalid profile name "a{64}…" \\(100000 characters\\): a profile name is 1-128 characters`));
    expect(e.message.length).toBeLessThan(300);
  });

  it('config import of a [profile <5 MB name>]: skipped, and the reason is short', async () => {
    const name = 'a'.repeat(5 * 1024 * 1024);
    const r = await importAwsConfig(`[profile ${name}]\nregion = eu-west-1\n[profile ok]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = ${'b'.repeat(name.length)}\n`);
    expect(r.profiles).toEqual([]);
    expect(r.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^profile name: a profile name is 1-128 characters/),
      `source_profile "${'b'.repeat(64)}…" (5242880 characters) is not defined`,
    ]);
  });
});

describe('5. no raw line break in a message', () => {
  it.each([['a\nb', '"a\\nb"'], ['a\rb', '"a\\rb"'], ['x\u001b[2J', '"x\\u001b[2J"']])('renderManagedBlock and credentialProcessCommand quote %j escaped', (name, shown) => {
    expect(() => renderManagedBlock([{ name, credentialProcess: 'x' }])).toThrow(`Invalid profile name ${shown}: a profile name is`);
    expect(() => credentialProcessCommand('/node', '/rolecall', name, 'linux')).toThrow(`Invalid profile name ${shown}: a profile name is`);
  });

  it('an STS <Code>Access&#10;Denied</Code> gives one line', () => {
    const e = Object.assign(new Error('denied'), { name: 'Access\nDenied', Code: 'Access\nDenied', $metadata: { httpStatusCode: 403 } });
    expect(fromSdkError(e, 'sts:AssumeRole').message).toBe('sts:AssumeRole failed: Access\\nDenied: denied');
  });

  it('{Code: -1} and other non-string fields become a RolecallError, not a TypeError', () => {
    expect(fromSdkError({ Code: -1 }, 'sts:AssumeRole').message).toBe('sts:AssumeRole failed: UnknownError: UnknownError');
    expect(fromSdkError({ Code: 'X', message: { toString: 1 }, $metadata: { attempts: '3', httpStatusCode: '503' } }, 'sts:AssumeRole').message).toBe('sts:AssumeRole failed: X: X');
  });
});
