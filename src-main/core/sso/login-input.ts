// Which instance `rolecall login sso` means: a known name, a start URL (new or known), or the only
// instance there is; a new one needs its start URL and region, validated where they enter.
import { describeIssue } from '../../../src-shared/names';
import { SsoSession } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { sanitizeProfileName } from './naming';

export interface LoginInput {
  name?: string;
  startUrl?: string;
  region?: string;
}

/** https://acme.awsapps.com/start -> "acme"; other hosts: their first label. */
export function nameFromStartUrl(startUrl: string): string {
  let host = '';
  try {
    host = new URL(startUrl).hostname;
  } catch {
    // validated below, with a better message
  }
  return sanitizeProfileName(host.split('.')[0] ?? '') || 'sso';
}

export function resolveLogin(input: LoginInput, known: SsoSession[]): SsoSession {
  const startUrl = input.startUrl?.trim();
  let existing: SsoSession | undefined;
  let name = input.name;
  if (name) {
    existing = known.find((s) => s.name === name);
  } else if (startUrl) {
    existing = known.find((s) => s.startUrl === startUrl && (!input.region || s.region === input.region));
    name = existing?.name ?? freeName(nameFromStartUrl(startUrl), known);
  } else if (known.length === 1) {
    existing = known[0];
    name = existing?.name;
  } else {
    const list = known.length ? ` (known: ${known.map((s) => s.name).join(', ')})` : '';
    throw new RolecallError(`which Identity Center instance?${list}`, 'invalid-input', 'run: rolecall login sso NAME, or give --start-url URL --region REGION');
  }
  const candidate = { ...existing, name, startUrl: startUrl ?? existing?.startUrl, region: input.region ?? existing?.region };
  if (!candidate.startUrl || !candidate.region) {
    const missing = [candidate.startUrl ? '' : '--start-url', candidate.region ? '' : '--region'].filter(Boolean).join(' and ');
    throw new RolecallError(`the Identity Center instance '${name}' is new to Rolecall`, 'invalid-input', `give its ${missing}`);
  }
  const parsed = SsoSession.safeParse(candidate);
  if (!parsed.success) throw new RolecallError(describeIssue(parsed.error, 'login sso'), 'invalid-input');
  if (new URL(parsed.data.startUrl).protocol !== 'https:') throw new RolecallError('login sso: the start URL must be an https:// URL', 'invalid-input');
  return parsed.data;
}

function freeName(base: string, known: SsoSession[]): string {
  let name = base;
  for (let i = 2; known.some((s) => s.name === name); i++) name = `${base}-${i}`;
  return name;
}
