import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFileName, parseCacheTimestamp, readAwsCliToken, writeAwsCliToken } from '../../../../src-main/core/sso/aws-cli-cache';

const session = { name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1' };
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-cli-cache-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const put = async (key: string, body: unknown) => {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, cacheFileName(key)), typeof body === 'string' ? body : JSON.stringify(body));
};

describe('the AWS CLI SSO token cache', () => {
  it.each([
    ['2030-01-02T03:04:05Z', '2030-01-02T03:04:05.000Z'],
    ['2030-01-02T03:04:05.123Z', '2030-01-02T03:04:05.123Z'],
    ['2030-01-02T03:04:05UTC', '2030-01-02T03:04:05.000Z'],
    ['2030-01-02T03:04:05+00:00', '2030-01-02T03:04:05.000Z'],
  ])('reads the timestamp %s', (text, iso) => {
    expect(parseCacheTimestamp(text)?.toISOString()).toBe(iso);
  });

  it.each(['2030-01-02 03:04:05', 'tomorrow', '2030-01-02T03:04:05+02:00', ''])('does not trust the timestamp %j', (text) => {
    expect(parseCacheTimestamp(text)).toBeNull();
  });

  it('finds a token by sso-session name first, then by start URL, only for the same start URL and region', async () => {
    await put('https://acme.awsapps.com/start', { startUrl: session.startUrl, region: 'us-east-1', accessToken: 'by-url', expiresAt: '2030-01-02T03:04:05Z' });
    expect((await readAwsCliToken(dir, session))?.accessToken).toBe('by-url');
    await put('acme', { startUrl: `${session.startUrl}/`, region: 'us-east-1', accessToken: 'by-name', expiresAt: '2030-01-02T03:04:05.000Z' });
    expect(await readAwsCliToken(dir, session)).toMatchObject({ accessToken: 'by-name', expiresAt: new Date('2030-01-02T03:04:05Z') });
    expect(await readAwsCliToken(dir, { ...session, region: 'eu-west-1' })).toBeNull();
    expect(await readAwsCliToken(dir, { ...session, startUrl: 'https://other.awsapps.com/start' })).toBeNull();
  });

  it('skips files that are not JSON or lack fields', async () => {
    await put('acme', '{not json');
    await put(session.startUrl, { startUrl: session.startUrl, expiresAt: '2030-01-02T03:04:05Z' });
    expect(await readAwsCliToken(dir, session)).toBeNull();
  });

  it("writes the CLI's format, without a refresh token or client secret", async () => {
    await writeAwsCliToken(path.join(dir, 'sso', 'cache'), session, { accessToken: 'tok', expiresAt: new Date('2030-01-02T03:04:05.678Z') });
    const text = await readFile(path.join(dir, 'sso', 'cache', cacheFileName('acme')), 'utf8');
    expect(JSON.parse(text)).toEqual({ startUrl: session.startUrl, region: 'us-east-1', accessToken: 'tok', expiresAt: '2030-01-02T03:04:05Z' });
  });
});
