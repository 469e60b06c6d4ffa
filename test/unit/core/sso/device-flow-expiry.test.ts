// A device-code sign-in nobody approves gives up when AWS says the code expires (expiresIn),
// whatever that is, not after a fixed time.
import { describe, expect, it } from 'vitest';
import { deviceCodeSignIn } from '../../../../src-main/core/sso/device-flow';
import { OidcError, type OidcClient, type Registration } from '../../../../src-main/core/sso/oidc';

const reg = { clientId: 'c', clientSecret: 's' } as Registration;

function pendingForever(expiresIn: number): { oidc: OidcClient; polls: () => number } {
  let polls = 0;
  const oidc = {
    registerClient: async () => reg,
    startDeviceAuthorization: async () => ({ deviceCode: 'd', userCode: 'ABCD-EFGH', verificationUri: 'https://device.sso.us-east-1.amazonaws.com/', expiresIn, interval: 5 }),
    createToken: async () => {
      polls++;
      throw new OidcError('pending', 'sign-in-required', 'authorization_pending');
    },
  } as unknown as OidcClient;
  return { oidc, polls: () => polls };
}

describe('deviceCodeSignIn', () => {
  it.each([120, 900])('stops once the code of expiresIn %i s has expired', async (expiresIn) => {
    let now = 0;
    const { oidc, polls } = pendingForever(expiresIn);
    const err = await deviceCodeSignIn(oidc, reg, 'https://acme.awsapps.com/start', 'acme', {
      print: () => undefined,
      sleep: async (ms) => void (now += ms),
      now: () => now,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'the sign-in code expired before it was approved', code: 'timeout', hint: 'run: rolecall login sso acme' });
    // Polled every 5 s until then, and not once after.
    expect(now).toBe(expiresIn * 1000);
    expect(polls()).toBe(expiresIn / 5);
  });
});
