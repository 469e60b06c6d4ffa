// Every kind of profile and its provider. A new source or hop kind is its provider file and one
// line here (the type makes a missing one a compile error); the broker and the chain walks ask
// only this table.
import type { Profile, ProfileKind } from '../../../src-shared/profile';
import { assumeRoleProvider } from './assume-role';
import { awsLoginProvider } from './aws-login';
import { iamUserProvider } from './iam-user';
import { oidcRoleProvider } from './oidc-role';
import { samlRoleProvider } from './saml-role';
import { ssoRoleProvider } from './sso-role';
import type { Provider } from './types';
import { webIdentityProvider } from './web-identity';

const providers: { [K in ProfileKind]: Provider<Extract<Profile, { kind: K }>> } = {
  'iam-user': iamUserProvider,
  'assume-role': assumeRoleProvider,
  'sso-role': ssoRoleProvider,
  'web-identity': webIdentityProvider,
  'saml-role': samlRoleProvider,
  'aws-login': awsLoginProvider,
  'oidc-role': oidcRoleProvider,
};

export function providerFor<P extends Profile>(profile: P): Provider<P> {
  return providers[profile.kind as P['kind']] as unknown as Provider<P>;
}
