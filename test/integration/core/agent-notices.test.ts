// The broker's notices reach the caller through the agent: credential-process asking a running
// agent prints the same chain-cap notice on stderr as a broker in its own process would.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { AgentClient } from '../../../src-main/core/agent/client';
import { AgentServer } from '../../../src-main/core/agent/server';
import { mfaCode, startHarness, type Harness } from '../../helpers/harness';

const ALICE_MFA = 'arn:aws:iam::111122223333:mfa/alice';
const alice: Profile = { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' };
const developer: Profile = { name: 'dev/Developer', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer', mfaSerial: ALICE_MFA };
const deployer: Profile = { name: 'prod/Deployer', kind: 'assume-role', sourceProfile: 'dev/Developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer', durationSeconds: 7200 };
const CAPPED = "profile 'prod/Deployer': asked for 7200 s; AWS caps role chaining at 3600 s, so 3600 s";

let h: Harness;
let server: AgentServer;
beforeEach(async () => {
  h = await startHarness();
  await h.storeIamUserKey('alice');
  await h.addProfiles(alice, developer, deployer);
  server = new AgentServer(h.core.broker, h.core.paths);
  await server.listen();
});
afterEach(async () => {
  await server.close();
  await h.close();
});

it("hands the broker's chain-cap notice back to the agent's caller, only for the request that caused it", async () => {
  // The caller's environment (its AWS settings go with each request): the sandbox's endpoint.
  const client = new AgentClient(h.core.paths, { env: h.env });
  const told: string[] = [];
  const creds = await client.credentials('prod/Deployer', { mfaCode: mfaCode(h.sandbox, ALICE_MFA), onNotice: (m) => told.push(m) });
  expect(creds).toEqual({
    accessKeyId: expect.stringMatching(/^ASIA[A-Z0-9]{16}$/),
    secretAccessKey: expect.stringMatching(/^.{40}$/),
    sessionToken: expect.stringMatching(/^IQoJb3JpZ2luX2Vj/),
    expiration: expect.any(Date),
  });
  expect(told).toEqual([CAPPED]);
  // The agent's own sink (its log) still hears it too.
  expect(h.notices).toEqual([CAPPED]);
  // From the broker's memory: nothing was capped this time, so nothing is told.
  await client.credentials('prod/Deployer', { onNotice: (m) => told.push(m) });
  expect(told).toEqual([CAPPED]);
  // A forced refresh asks STS again, and says so again.
  await client.credentials('prod/Deployer', { forceRefresh: true, onNotice: (m) => told.push(m) });
  expect(told).toEqual([CAPPED, CAPPED]);
  expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(3);
});
