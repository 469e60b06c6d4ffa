// Small ProfileRow / SignInView builders for the app's unit tests.
import type { ProfileRow, SignInView } from '../../../src-shared/api';

export const NOW = Date.parse('2026-12-02T10:00:00Z');
export const inMinutes = (m: number) => new Date(NOW + m * 60_000).toISOString();

export function row(name: string, o: Partial<ProfileRow> = {}): ProfileRow {
  return {
    name,
    kind: 'sso-role',
    accountId: '444455556666',
    roleName: name.split('/').pop() ?? name,
    roleArn: null,
    region: null,
    source: 'acme',
    favorite: false,
    expiresAt: null,
    accountName: 'acme-dev',
    alias: null,
    isDefault: false,
    refreshAt: null,
    chainDepth: 0,
    lastUsedAt: null,
    ...o,
  };
}

export function signIn(name: string, o: Partial<SignInView> = {}): SignInView {
  return { name, kind: 'identity-center', state: 'signed-in', expiresAt: inMinutes(480), detail: 'https://acme.awsapps.com/start', region: 'us-east-1', ...o };
}
