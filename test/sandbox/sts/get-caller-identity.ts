// GetCallerIdentity: who the signed caller is. Any valid credentials may ask, even
// GetFederationToken's, which may call nothing else in STS.
import type { CredentialRecord } from '../state';
import type { XmlTree } from './protocol';

export function getCallerIdentity(caller: CredentialRecord): XmlTree {
  // AWS's own order: Arn, UserId, Account.
  return { Arn: caller.arn, UserId: caller.userId, Account: caller.accountId };
}
