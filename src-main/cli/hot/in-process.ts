// The slow path: no agent, no fresh cache, so this process runs the broker itself (and loads
// the AWS SDK). When many processes arrive at once on a cold cache (a parallel Terraform, a
// shell loop), one of them passes a gate per profile, loads the core and refreshes; the others
// wait at the gate and then read its result from the keychain, without loading the SDK at all.
// The broker's own lock still makes the refresh single across every face.
import type { Credentials } from '../../../src-shared/profile';
import { awsCallerSettings, awsSettingsKey } from '../../core/aws/caller-settings';
import type { CredentialRequest } from '../../core/broker/types';
import { lockFileFor, withFileLock } from '../../core/lock';
import type { RolecallPaths } from '../../core/paths';
import { sessionScope } from '../../core/secrets/keychain-layout';
import type { CliIO } from '../output';

const GATE_TIMEOUT_MS = 11 * 60_000;

export async function inProcessCredentials(
  io: CliIO,
  paths: Pick<RolecallPaths, 'locksDir'>,
  profile: string,
  request: CredentialRequest,
  readFresh: () => Credentials | undefined,
): Promise<Credentials> {
  // One gate per session the broker keeps apart: callers with other AWS settings do not wait on each other.
  const gate = lockFileFor(paths.locksDir, 'cold', sessionScope(profile, awsSettingsKey(awsCallerSettings(io.env))));
  // Long enough for what the holder may be doing: a refresh of a long chain against a slow STS
  // (the broker's own calls time out sooner), or an Identity Center sign-in on demand, which
  // waits up to 10 minutes (SIGN_IN_TIMEOUT_MS, not imported: it would pull zod into this chunk)
  // for the person in the browser. Waiting costs nothing here: no SDK is loaded meanwhile.
  return withFileLock(
    gate,
    async () => {
      const fresh = request.forceRefresh ? undefined : readFresh();
      if (fresh) return fresh;
      const { createCliCore } = await import('../core-factory');
      const core = await createCliCore(io, { interactive: false });
      return core.broker.credentials(profile, request);
    },
    { timeoutMs: GATE_TIMEOUT_MS },
  );
}
