// Default RoleSessionName, derived from who the parent credentials belong to, so CloudTrail
// shows the person: "alice" for an IAM user or an Identity Center user, the previous hop's
// session name along a chain.
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
