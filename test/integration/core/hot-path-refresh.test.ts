// The credential_process hot path, run in this process with autostart off (no agent): it serves
// the broker's cached session until the broker's refreshAt, and --force-refresh goes past every
// cache (its own keychain read, the cold gate's second look, the broker's) to a new session.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialProcessInProcess } from '../../helpers/credential-process-io';
import { startHarness, type Harness } from '../../helpers/harness';
import { sharedParentProfiles } from '../../helpers/memory-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  const key = h.sandbox.state.org.users.find((u) => u.name === 'alice')!.accessKeys[0]!;
  await h.core.secrets.set('iam-user/alice', JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
  await h.addProfiles(...sharedParentProfiles.slice(0, 2));
});
afterEach(() => h.close());

interface ProcessCredentials {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

async function credentialProcess(forceRefresh?: boolean): Promise<ProcessCredentials> {
  const { code, out, err } = await credentialProcessInProcess({ profile: 'dev/ReadOnly', ...(forceRefresh ? { forceRefresh } : {}) }, h.env);
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return JSON.parse(out) as ProcessCredentials;
}

describe('credential-process without an agent', () => {
  it('serves the cached session, and --force-refresh fetches a new one that later calls get', async () => {
    const first = await credentialProcess();
    expect(Object.keys(first).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version']);
    expect(first.Version).toBe(1);
    expect(first.AccessKeyId).toMatch(/^ASIA/);
    expect(await credentialProcess()).toEqual(first);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(1);

    const forced = await credentialProcess(true);
    expect(forced.AccessKeyId).not.toBe(first.AccessKeyId);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(2);
    expect(await credentialProcess()).toEqual(forced);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(2);
  });
});
