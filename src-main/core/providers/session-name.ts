// Default RoleSessionName, derived from who the parent credentials belong to, so CloudTrail
// shows the person: "alice" for an IAM user or an Identity Center user, the previous hop's
// session name along a chain.
import { getCallerIdentity } from '../aws/sts';
import type { StepContext } from './types';

const MAX = 64;

export function sessionNameFromArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  // arn:aws:sts::123:assumed-role/Role/SESSION, arn:aws:iam::123:user/path/NAME, arn:aws:sts::123:federated-user/NAME
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  const name = parts[0] === 'assumed-role' ? parts[2] : parts[parts.length - 1];
  return name ? sanitizeSessionName(name) : undefined;
}

export function sanitizeSessionName(name: string): string {
  let s = name.replace(/[^\w+=,.@-]/g, '-').slice(0, MAX);
  if (s.length < 2) s = `rolecall-${s}`.slice(0, MAX);
  return s;
}

/**
 * A step's RoleSessionName when its profile names none: who the parent credentials belong to
 * (asking STS when the parent's ARN is not known yet), else a timestamped one for a root.
 */
export async function defaultSessionName(ctx: Pick<StepContext, 'parent' | 'sts'>): Promise<string> {
  const { parent } = ctx;
  const fallback = () => sanitizeSessionName(`rolecall-${Date.now()}`);
  if (!parent) return fallback();
  const fromArn = sessionNameFromArn(parent.arn);
  if (fromArn) return fromArn;
  // Remembered on the parent's result, so the next hop built on it does not ask again.
  parent.arn = (await getCallerIdentity(ctx.sts, parent)).Arn;
  return sessionNameFromArn(parent.arn) ?? fallback();
}
