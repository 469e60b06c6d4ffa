// Bad input from an identity provider: an id_token from the wrong issuer or for the wrong audience,
// expired, unsigned, tampered or signed by an unknown key, a discovery document naming another
// issuer, and token answers without an id_token, not JSON or oversized. Each `rolecall login oidc`
// ends with one line naming the problem and a non-zero exit, no stack trace, and nothing in the
// keychain; the same provider behaving well signs in.
import { afterEach, describe, expect, it } from 'vitest';
import { oidcTokenEntryName } from '../../../src-main/core/secrets/keychain-entries';
import { useCliHarness } from '../cli/harness';
import { HOSTILE_CLIENT_ID, startHostileIdp, type Fault, type HostileIdp } from './hostile-idp';

const NO_BROWSER = { BROWSER: '', DISPLAY: '', WAYLAND_DISPLAY: '' };
const h = useCliHarness();
let idp: HostileIdp | undefined;
afterEach(() => idp?.stop());

async function loginAgainst(fault: Fault) {
  idp = await startHostileIdp(fault);
  const add = await h().rolecall(['oidc', 'add', 'evil', '--issuer', idp.issuer, '--client-id', HOSTILE_CLIENT_ID, '--role-arn', 'arn:aws:iam::444455556666:role/FederatedDeveloper']);
  expect(add.code).toBe(0);
  return h().rolecall(['login', 'oidc', 'evil', '--device-code'], { env: NO_BROWSER, timeoutMs: 30_000 });
}

const refused = (why: string) => new RegExp(`^rolecall: the identity provider's id_token was refused: ${why}; nothing was stored; check the integration \\(rolecall oidc list\\) and the provider$`);

describe('rolecall login oidc refuses what an identity provider should not send', () => {
  it.each<[Fault, (issuer: string) => RegExp]>([
    ['wrong-issuer', (iss) => refused(`it was issued by "https://idp\\.elsewhere\\.example", not by the integration's issuer "${iss.replace(/\./g, '\\.')}"`)],
    ['wrong-audience', () => refused('its audience is "another-client", not the client id "rolecall-desktop"')],
    ['expired', () => refused('it expired at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z')],
    ['unsigned', () => refused('it is not signed \\(alg "none"\\)')],
    ['tampered', () => refused("its signature does not match the issuer's keys \\(JWKS\\)")],
    ['unknown-key', () => refused("its signature does not match the issuer's keys \\(JWKS\\)")],
    ['discovery-issuer', (iss) => new RegExp(`^rolecall: OpenID Connect discovery for ${iss.replace(/\./g, '\\.')}: the document is for the issuer "https://idp\\.elsewhere\\.example", not "${iss.replace(/\./g, '\\.')}"; give --issuer exactly`)],
    ['no-id-token', () => /^rolecall: the sign-in to 'evil': the identity provider sent no id_token; the integration's scopes must include openid/],
    ['not-json', () => /^rolecall: the sign-in to 'evil': the identity provider answered HTTP 200 with something that is not JSON$/],
    ['oversized', () => /^rolecall: the sign-in to 'evil': the identity provider's answer is larger than 262144 bytes$/],
  ])('%s: one line naming it, a non-zero exit, nothing stored', async (fault, message) => {
    const r = await loginAgainst(fault);
    const last = r.stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(message(idp?.issuer ?? ''));
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
    expect(await h().core.secrets.get(oidcTokenEntryName('evil'))).toBeNull();
  });

  it('the same provider sending a good id_token signs in (the refusals above are the token\'s, not the set-up\'s)', async () => {
    const r = await loginAgainst('good');
    expect(r.stdout).toMatch(/^Signed in to evil as mallory/);
    expect(r.code).toBe(0);
    expect(await h().core.secrets.get(oidcTokenEntryName('evil'))).not.toBeNull();
  });

  it('a renewal naming another person (sub) ends the sign-in instead of serving their roles', async () => {
    expect((await loginAgainst('switch-subject')).code).toBe(0);
    const stored = JSON.parse((await h().core.secrets.get(oidcTokenEntryName('evil'))) ?? '{}') as Record<string, unknown>;
    expect(stored.subject).toBe('mallory');
    await h().core.secrets.set(oidcTokenEntryName('evil'), JSON.stringify({ ...stored, idTokenExpiresAt: new Date(Date.now() + 60_000).toISOString() }));
    const r = await h().rolecall(['credential-process', '--profile', 'evil/FederatedDeveloper'], { env: NO_BROWSER });
    expect(r.stderr).toBe("rolecall: profile 'evil/FederatedDeveloper': the identity provider renewed the sign-in to 'evil' for someone else (another sub); sign in again; run: rolecall login oidc evil\n");
    expect(r.code).not.toBe(0);
    expect(await h().core.secrets.get(oidcTokenEntryName('evil'))).toBeNull();
  });

  it.each([
    [['--issuer', 'http://idp.example.com', '--client-id', 'c'], /^rolecall: OIDC integration 'bad': the issuer "http:\/\/idp\.example\.com" must be an https:\/\/ URL \(http:\/\/ only on 127\.0\.0\.1\)$/],
    [['--issuer', 'https://idp.example.com', '--client-id', 'c', '--scope', 'email'], /^rolecall: OIDC integration 'bad': the scopes must include openid/],
    [['--issuer', 'https://idp.example.com', '--client-id', 'c', '--role-arn', 'arn:aws:iam::1:role/X'], /^rolecall: OIDC integration 'bad' \(roleArns\.0\): a role ARN looks like/],
    [['--issuer', 'https://idp.example.com', '--client-id', 'c d'], /^rolecall: OIDC integration 'bad' \(clientId\): a client id is printable ASCII without spaces$/],
  ])('oidc add %j: one line, exit 2, nothing added', async (args, message) => {
    const withRole = args.includes('--role-arn') ? args : [...args, '--role-arn', 'arn:aws:iam::444455556666:role/FederatedDeveloper'];
    const r = await h().rolecall(['oidc', 'add', 'bad', ...withRole]);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
    expect((await h().core.state.load()).oidcIntegrations).toEqual([]);
  });
});
