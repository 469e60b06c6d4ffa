// OIDC and SAML integrations behave alike in the state file: a second one of a name is refused,
// and removing one takes its profiles, their sessions and its sign-in with it, but not while
// another profile builds on them, and never the other kind's integration of the same name.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RolecallError } from '../../../src-main/core/errors';
import { StateStore } from '../../../src-main/core/files/state-store';
import { addOidcIntegration, DEFAULT_SCOPES, removeOidcIntegration } from '../../../src-main/core/oidc/integrations';
import { ensureDataDir, resolvePaths } from '../../../src-main/core/paths';
import { addSamlIntegration, removeSamlIntegration } from '../../../src-main/core/saml/integrations';
import { oidcTokenEntryName, samlResponseEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { MemorySecretStore } from '../../helpers/memory-secret-store';

let dir: string;
let state: StateStore;
let secrets: MemorySecretStore;
let forgotten: string[];
const deps = () => ({ state, secrets, forgetProfile: async (p: string) => void forgotten.push(p) });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-integrations-'));
  const paths = resolvePaths({ ROLECALL_HOME: dir });
  await ensureDataDir(paths);
  state = new StateStore(paths);
  secrets = new MemorySecretStore();
  forgotten = [];
  // One of each kind, both named corp, each with a profile and a sign-in in the keychain.
  await addOidcIntegration(state, { name: 'corp', issuer: 'https://idp.example', clientId: 'rolecall', scopes: DEFAULT_SCOPES, roleArns: ['arn:aws:iam::777788889999:role/Admin'] });
  await addSamlIntegration(state, { name: 'corp', url: 'https://idp.example/aws' });
  await state.update((s) => {
    s.profiles.push({ name: 'corp/SamlAdmin', kind: 'saml-role', integration: 'corp', roleArn: 'arn:aws:iam::777788889999:role/SamlAdmin', principalArn: 'arn:aws:iam::777788889999:saml-provider/corp-idp' });
  });
  await secrets.set(oidcTokenEntryName('corp'), 'oidc tokens');
  await secrets.set(samlResponseEntryName('corp'), 'saml response');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const kinds = [
  {
    label: 'OIDC',
    add: () => addOidcIntegration(state, { name: 'corp', issuer: 'https://other.example', clientId: 'x', scopes: DEFAULT_SCOPES, roleArns: ['arn:aws:iam::777788889999:role/Other'] }),
    remove: removeOidcIntegration,
    profile: 'corp/Admin',
    secret: oidcTokenEntryName('corp'),
    other: { profile: 'corp/SamlAdmin', secret: samlResponseEntryName('corp') },
    left: { oidc: [], saml: ['corp'] },
  },
  {
    label: 'SAML',
    add: () => addSamlIntegration(state, { name: 'corp', url: 'https://other.example/aws' }),
    remove: removeSamlIntegration,
    profile: 'corp/SamlAdmin',
    secret: samlResponseEntryName('corp'),
    other: { profile: 'corp/Admin', secret: oidcTokenEntryName('corp') },
    left: { oidc: ['corp'], saml: [] },
  },
];

async function refusal(p: Promise<unknown>): Promise<{ message: string; code: string; hint?: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RolecallError);
  const { message, code, hint } = e as RolecallError;
  return { message, code, hint };
}

describe.each(kinds)('$label integrations', (k) => {
  it('refuse a second one of the same name, saying how to replace it', async () => {
    expect(await refusal(k.add())).toEqual({ message: `${k.label} integration 'corp' already exists`, code: 'conflict', hint: `remove it first: rolecall ${k.label.toLowerCase()} remove corp` });
  });

  it('remove their profiles, end their sessions and delete the sign-in; the other kind of the same name stays', async () => {
    expect(await k.remove(deps(), 'corp')).toEqual([k.profile]);
    expect(forgotten).toEqual([k.profile]);
    const s = await state.load();
    expect(s.profiles.map((p) => p.name)).toEqual([k.other.profile]);
    expect({ oidc: s.oidcIntegrations.map((i) => i.name), saml: s.samlIntegrations.map((i) => i.name) }).toEqual(k.left);
    expect(await secrets.get(k.secret)).toBeNull();
    expect(await secrets.get(k.other.secret)).not.toBeNull();
  });

  it('are not removed while another profile builds on theirs: nothing is forgotten or deleted', async () => {
    await state.update((s) => {
      s.profiles.push({ name: 'ops', kind: 'assume-role', sourceProfile: k.profile, roleArn: 'arn:aws:iam::444455556666:role/Ops' });
    });
    expect(await refusal(k.remove(deps(), 'corp'))).toEqual({
      message: `${k.label} integration 'corp' has profiles that 'ops' build on`,
      code: 'conflict',
      hint: 'remove those first, or give them another source',
    });
    expect(forgotten).toEqual([]);
    expect((await state.load()).profiles.map((p) => p.name)).toContain(k.profile);
    expect(await secrets.get(k.secret)).not.toBeNull();
  });

  it('name the list command when there is no such integration', async () => {
    expect(await refusal(k.remove(deps(), 'nope'))).toEqual({ message: `no ${k.label} integration 'nope'`, code: 'not-found', hint: `run: rolecall ${k.label.toLowerCase()} list` });
  });
});
