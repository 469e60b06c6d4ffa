// Bad-input corpus, what Rolecall reads back: its state file, keychain entries (the broker's
// session cache, both its readers; SSO tokens; client registrations), the agent's wire answers
// and handshake lines, the AWS CLI's SSO token cache, and names and ARNs. Hostile values give
// a clean result or one clean line without a secret, and a read never changes the file it read.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshFromCacheEntry } from '../../../src-main/cli/hot/keychain-cache';
import { SDK_PARTITIONS } from '../../../src-main/core/console/partition-data';
import { HOT_PROFILE_NAME } from '../../../src-main/cli/hot/credential-process';
import { printError, type CliIO } from '../../../src-main/cli/output';
import { profileName } from '../../../src-main/cli/validate';
import { AgentRequest } from '../../../src-main/core/agent/protocol';
import { parseMessage } from '../../../src-main/core/agent/handshake';
import { credentialsFromWire, parseResponse, sessionsFromWire } from '../../../src-main/core/agent/wire';
import { readCachedSession, readCachedSessions } from '../../../src-main/core/broker/session-cache';
import { StateStore } from '../../../src-main/core/files/state-store';
import { CachedSession, IamUserSecret, RegistrationFile, TokenRecord, parseSessionEntry, sessionEntryName } from '../../../src-main/core/secrets/keychain-entries';
import { JsonSecret, readJsonSecret } from '../../../src-main/core/secrets/secret-store';
import { cacheFileName, parseCacheTimestamp, readAwsCliToken } from '../../../src-main/core/sso/aws-cli-cache';
import { readJson } from '../../../src-main/core/sso/oidc';
import { PROFILE_NAME_PATTERN, ProfileName, RoleArn } from '../../../src-shared/names';
import { cleanOutcome, cleanOutcomeSync, count, expectCleanError, hostileJson, leakedSecret, nearMissName, SECRET, SECRETS, stateLike } from '../../helpers/corpus';
import { MemorySecretStore } from '../../helpers/memory-secret-store';

const RUNS = 300;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-corpus-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const isoish = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2030-01-01T00:00:00Z', '2030-02-30T00:00:00Z', '2030-01-01T00:00:00', '2030-01-01 00:00:00Z', '2030-01-01T24:00:00Z', '', 'soon', '2030-01-01T00:00:00+25:00'),
  fc.string({ maxLength: 30 }),
  fc.integer(),
);

/** Values near the broker's session entry: right fields with wrong types or dates, extra keys, secrets. */
const sessionEntryish = fc.record(
  {
    accessKeyId: fc.oneof(fc.constant('ASIAIOSFODNN7EXAMPLE'), fc.anything()),
    secretAccessKey: fc.oneof(fc.constant(SECRET), fc.anything()),
    sessionToken: fc.oneof(fc.constant(SECRETS[1]), fc.anything()),
    expiration: isoish,
    refreshAt: isoish,
    credentialType: fc.oneof(fc.constantFrom('iam-user', 'session-token', 'role', 'Role', ''), fc.anything()),
    arn: fc.oneof(fc.constant('arn:aws:sts::123456789012:assumed-role/R/s'), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('the state file', () => {
  const stateBytes = fc.oneof(
    hostileJson(stateLike).map((t) => Buffer.from(t, 'utf8')),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), Buffer.from('{"version":1}\u0000'), Buffer.from('['.repeat(100_000))),
  );

  it('loads a valid state or refuses in one clean line, and leaves the file as it was', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(stateBytes, async (bytes) => {
        count('state.json load');
        const home = path.join(dir, `state-${n++}`);
        await mkdir(home);
        const file = path.join(home, 'state.json');
        await writeFile(file, bytes);
        const store = new StateStore({ stateFile: file, locksDir: path.join(home, 'locks') });
        const { value } = await cleanOutcome(() => store.load());
        // A loaded state holds no secret: a planted secretAccessKey is never kept.
        if (value) expect(leakedSecret(JSON.stringify(value).replace(/"accessKeyId":"[^"]*"/g, ''))).toBeUndefined();
        expect((await readFile(file)).equals(bytes)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('an update over a broken state changes nothing and says so cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(stateBytes, async (bytes) => {
        count('state.json update over hostile file');
        const home = path.join(dir, `update-${n2++}`);
        await mkdir(home);
        const file = path.join(home, 'state.json');
        await writeFile(file, bytes);
        const store = new StateStore({ stateFile: file, locksDir: path.join(home, 'locks') }, { timeoutMs: 2000 });
        const { error } = await cleanOutcome(() => store.update((s) => void s.profiles.push({ kind: 'iam-user', name: 'corpus', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' })));
        if (error) expect((await readFile(file)).equals(bytes)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
  let n2 = 0;
});

describe('keychain entries', () => {
  const entryText = hostileJson(sessionEntryish);

  it("the hot path's session reader agrees with the broker's schema, and never throws", () => {
    fc.assert(
      fc.property(entryText, fc.date({ noInvalidDate: true }), (text, now) => {
        count('session entry (hot path vs zod)');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const byZod = CachedSession.safeParse(json).success;
        expect(parseSessionEntry(text) !== undefined).toBe(byZod);
        const fresh = freshFromCacheEntry(text, now.getTime());
        if (fresh) expect(Number.isNaN(fresh.expiration?.getTime())).toBe(false);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("the broker's session cache reads a corrupt entry as none, removes it, and never throws", async () => {
    await fc.assert(
      fc.asyncProperty(entryText, async (text) => {
        count('session entry (broker)');
        const store = new MemorySecretStore();
        const key = sessionEntryName('dev');
        store.data.set(key, text);
        const listed = await cleanOutcome(() => readCachedSessions(store, ['dev'], ''));
        const one = await cleanOutcome(() => readCachedSession(store, 'dev', ''));
        expect(one.value === undefined).toBe(listed.value?.get('dev') === undefined);
        if (one.value) expect(Number.isNaN(one.value.result.expiration.getTime()) || Number.isNaN(one.value.refreshAt.getTime())).toBe(false);
        else expect(store.data.has(key)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('SSO token records, registrations and IAM user keys: hostile values read as absent', async () => {
    const schemas: z.ZodType<unknown>[] = [TokenRecord, RegistrationFile, IamUserSecret];
    await fc.assert(
      fc.asyncProperty(hostileJson(), fc.constantFrom(0, 1, 2), async (text, which) => {
        count('keychain JSON entries');
        const store = new MemorySecretStore();
        store.data.set('k', text);
        await cleanOutcome(() => readJson(store, 'k', schemas[which]!));
        await cleanOutcome(() => readJsonSecret(store, 'k', schemas[which]!, 'keep'));
        expect(store.data.get('k')).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('storing an invalid secret is refused without quoting it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ accessKeyId: fc.oneof(fc.constant(SECRETS[1]), fc.string({ maxLength: 15 }), fc.anything()), secretAccessKey: fc.oneof(fc.constant(''), fc.constant(SECRET), fc.anything()) }, { requiredKeys: [] }),
        async (value) => {
          count('keychain write of invalid secret');
          const store = new MemorySecretStore();
          await cleanOutcome(() => new JsonSecret(store, 'iam-user/x', IamUserSecret).set(value as never));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("the agent's answers and handshake lines", () => {
  // Answers near the real ones, with secrets inside and a field broken.
  const answer = fc.oneof(
    fc.record({ ok: fc.constant(true), result: fc.oneof(sessionEntryish, fc.record({ accessKeyId: fc.string(), secretAccessKey: fc.constant(SECRET), expiration: isoish, notices: fc.anything() }, { requiredKeys: [] }), fc.array(fc.record({ profile: fc.anything(), expiration: isoish, refreshAt: isoish }, { requiredKeys: [] })), fc.anything()) }),
    fc.record({ ok: fc.constant(false), error: fc.oneof(fc.record({ message: fc.oneof(fc.string(), fc.anything()), code: fc.oneof(fc.constantFrom('agent', 'timeout', 'toString'), fc.anything()), hint: fc.anything() }, { requiredKeys: [] }), fc.anything()) }),
    fc.record({ ok: fc.anything(), id: fc.anything() }, { requiredKeys: [] }),
  );

  it('parseResponse, credentialsFromWire and sessionsFromWire: a value or a clean agent error', () => {
    fc.assert(
      // No secret planted at random here: an error answer's message is the broker's, passed on as is.
      fc.property(hostileJson(answer, { plant: false }), (line) => {
        count('agent wire answers');
        let result: unknown;
        try {
          result = parseResponse(line);
        } catch (e) {
          // An error answer carries the broker's own message; the CLI prints it folded to one line.
          expectCleanError(e, { folded: true });
          const printed = printed1(e);
          expect(printed.split('\n').filter(Boolean)).toHaveLength(1);
          return;
        }
        cleanOutcomeSync(() => credentialsFromWire(result));
        cleanOutcomeSync(() => sessionsFromWire(result));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('handshake lines and requests: an object or null, a schema verdict, never a throw', () => {
    fc.assert(
      fc.property(hostileJson(fc.record({ type: fc.constantFrom('hello', 'proof', 'credentials', 'forget', '__proto__'), profile: nearMissName, mfaCode: fc.string(), awsSettings: fc.anything(), id: fc.anything() }, { requiredKeys: [] })), (line) => {
        count('agent handshake lines + requests');
        const m = parseMessage(line);
        if (m !== null) expect(typeof m === 'object' && !Array.isArray(m)).toBe(true);
        const r = AgentRequest.safeParse(m);
        if (r.success && 'profile' in r.data) expect(r.data.profile).toMatch(PROFILE_NAME_PATTERN);
      }),
      { numRuns: RUNS },
    );
  });
});

// What printError writes for an error, as the CLI would show it.
function printed1(e: unknown): string {
  let out = '';
  const io = { stderr: { write: (s: string) => ((out += s), true) } } as unknown as CliIO;
  printError(io, e);
  return out;
}

describe("the AWS CLI's SSO token cache", () => {
  const session = { name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' };
  const cached = fc.record(
    {
      startUrl: fc.oneof(fc.constantFrom(session.startUrl, session.startUrl + '/', 'https://evil.example/start'), fc.anything()),
      region: fc.oneof(fc.constantFrom('eu-west-1', 'us-east-1'), fc.anything()),
      accessToken: fc.oneof(fc.constant(SECRETS[2]), fc.constant(''), fc.anything()),
      expiresAt: fc.oneof(isoish, fc.constantFrom('2030-01-01T00:00:00UTC', '2030-01-01T00:00:00.123456789Z', '2030-13-01T00:00:00Z')),
      refreshToken: fc.constant(SECRETS[2]),
    },
    { requiredKeys: [] },
  );

  it('a token for this instance with a real expiry, or null; the file untouched', async () => {
    const cacheDir = path.join(dir, 'sso-cache');
    await mkdir(cacheDir, { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileJson(cached).map((t) => Buffer.from(t)), fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b))), async (bytes) => {
        count('AWS CLI SSO cache file');
        const file = path.join(cacheDir, cacheFileName(session.name));
        await writeFile(file, bytes);
        const { value } = await cleanOutcome(() => readAwsCliToken(cacheDir, session));
        if (value) {
          expect(Number.isNaN(value.expiresAt.getTime())).toBe(false);
          expect(value.accessToken.length).toBeGreaterThan(0);
        }
        expect((await readFile(file)).equals(bytes)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('parseCacheTimestamp: a valid Date or null', () => {
    fc.assert(
      fc.property(fc.oneof(isoish.map(String), fc.string()), (s) => {
        count('SSO cache timestamps');
        const d = parseCacheTimestamp(s);
        if (d) expect(Number.isNaN(d.getTime())).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('profile names and role ARNs', () => {
  it('an accepted profile name can break neither the INI file nor a shell; both checks agree', () => {
    fc.assert(
      fc.property(nearMissName, (name) => {
        count('profile names');
        const ok = ProfileName.safeParse(name).success;
        expect(HOT_PROFILE_NAME.test(name)).toBe(ok);
        // eslint-disable-next-line no-control-regex -- what a name must never hold
        if (ok) expect(name).not.toMatch(/[\s[\]#;"'`$\\\u0000-\u001f]/);
        const r = cleanOutcomeSync(() => profileName(name));
        expect(r.error === undefined).toBe(ok);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('an accepted role ARN is one IAM role of a 12-digit account in a known partition', () => {
    const arnish = fc.oneof(
      fc.tuple(fc.constantFrom('arn', 'ARN', 'arn '), fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b', 'aws-eusc', 'aws-x', 'aws-iso-x', ''), fc.constantFrom('iam', 'sts', 'IAM'), fc.constantFrom('', 'us-east-1'), fc.oneof(fc.constant('123456789012'), fc.stringMatching(/^\d{0,14}$/)), fc.oneof(fc.constant('role/Admin'), fc.string({ maxLength: 30 }).map((s) => `role/${s}`), fc.string({ maxLength: 20 })))
        .map((p) => p.join(':')),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(arnish, (arn) => {
        count('role ARNs');
        if (!RoleArn.safeParse(arn).success) return;
        const [prefix, partition, service, region, account, resource] = arn.split(':');
        expect([prefix, service, region]).toEqual(['arn', 'iam', '']);
        expect(SDK_PARTITIONS.map((p) => p.name)).toContain(partition);
        expect(account).toMatch(/^\d{12}$/);
        expect(resource).toMatch(/^role\/\S+$/);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('RoleArn and the SDK partition table', () => {
  it('accepts a role in each partition the SDK knows, and no other partition', () => {
    for (const p of SDK_PARTITIONS) expect(RoleArn.safeParse(`arn:${p.name}:iam::123456789012:role/Admin`).success, p.name).toBe(true);
    for (const other of ['aws-x', 'aws-iso-x', 'aws-cn-x', 'awsx']) expect(RoleArn.safeParse(`arn:${other}:iam::123456789012:role/Admin`).success, other).toBe(false);
  });
});
