// An STS outage as a credential_process caller sees it, through a running agent and the real
// keychain: a session with 12 minutes left is printed with exit 0 and the notice on stderr; with
// --force-refresh the same outage is exit 1 and one line saying no new credentials came.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { AgentServer } from '../../../src-main/core/agent/server';
import { Broker } from '../../../src-main/core/broker/broker';
import { credentialProcessInProcess } from '../../helpers/credential-process-io';
import { startHarness, type Harness } from '../../helpers/harness';

const alice: Profile = { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' };
const readOnly: Profile = { name: 'dev/ReadOnly', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' };

let h: Harness;
let broker: Broker;
let server: AgentServer;
let skewMs = 0;
beforeEach(async () => {
  skewMs = 0;
  h = await startHarness();
  await h.storeIamUserKey('alice');
  await h.addProfiles(alice, readOnly);
  // The agent's broker, on a clock that moves with the sandbox's.
  const { paths, state, secrets, sso } = h.core;
  broker = new Broker({ paths, state, secrets, sso, env: h.env, now: () => Date.now() + skewMs, onNotice: (m) => h.notices.push(m) });
  server = new AgentServer(broker, paths);
  await server.listen();
});
afterEach(async () => {
  broker.close();
  await server.close();
  await h.close();
});

const credentialProcess = (forceRefresh?: boolean) => credentialProcessInProcess({ profile: 'dev/ReadOnly', ...(forceRefresh ? { forceRefresh } : {}) }, h.env);

it('prints the current session with exit 0 and the notice on stderr; --force-refresh fails with exit 1', async () => {
  const first = await credentialProcess();
  expect(first).toMatchObject({ code: 0, err: '' });
  const issued = JSON.parse(first.out) as { AccessKeyId: string; Expiration: string };

  const res = await fetch(`${h.sandbox.url}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 48 * 60 }) });
  expect(res.status).toBe(200);
  skewMs = 48 * 60_000;
  h.sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'unavailable', count: 100_000 }] });

  const served = await credentialProcess();
  expect(served.code).toBe(0);
  expect(JSON.parse(served.out)).toMatchObject({ AccessKeyId: issued.AccessKeyId, Expiration: issued.Expiration });
  expect(served.err).toMatch(/^rolecall: AWS STS could not refresh 'dev\/ReadOnly' \(HTTP 503\); serving the current session, valid until \d\d:\d\d \((11|12) min\); retrying in the background\n$/);

  const forced = await credentialProcess(true);
  expect(forced.code).toBe(1);
  expect(forced.out).toBe('');
  expect(forced.err.split('\n')).toEqual([expect.stringMatching(/^rolecall: a forced refresh of 'dev\/ReadOnly' failed, so no new credentials: AWS STS is failing \(HTTP 503 .*; the current session, valid until \d\d:\d\d \((11|12) min\), is served without a forced refresh$/), '']);
  expect(forced.err).not.toContain(issued.AccessKeyId);
});
