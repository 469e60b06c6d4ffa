// The slow path: no agent, no fresh cache, so this process runs the broker itself (and loads
// the AWS SDK). The broker's lock per profile keeps this to one refresh across processes.
import type { Credentials } from '../../../src-shared/profile';
import type { CredentialRequest } from '../../core/broker/types';
import { createCliCore } from '../core-factory';
import type { CliIO } from '../output';

export async function inProcessCredentials(io: CliIO, profile: string, request: CredentialRequest): Promise<Credentials> {
  const core = await createCliCore(io, { interactive: false });
  return core.broker.credentials(profile, request);
}
