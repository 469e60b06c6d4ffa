// Profile names for synced roles: a template such as {accountName}/{roleName}, sanitized to the
// ProfileName alphabet, made unique, and never changed once given (names end up in scripts).
import { PROFILE_NAME_PATTERN } from '../../../src-shared/names';
import { RolecallError } from '../errors';

export const TEMPLATE_FIELDS = ['accountName', 'accountId', 'roleName', 'ssoSession'] as const;
export type TemplateValues = Record<(typeof TEMPLATE_FIELDS)[number], string>;

const MAX = 128;

export function checkTemplate(template: string): void {
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1] ?? '')) {
      throw new RolecallError(
        `the profile name template has an unknown field {${m[1]}}`,
        'invalid-input',
        `use ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`,
      );
    }
  }
}

/** Anything outside the ProfileName alphabet becomes '-'; the result starts with a letter or digit. */
export function sanitizeProfileName(raw: string): string {
  const s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: "Café" -> "Cafe"
    .replace(/[^A-Za-z0-9_.+@/-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/(^|\/)[-.]+|[-.]+(?=\/|$)/g, '$1') // no '-' or '.' hugging a '/' or the ends
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX)
    .replace(/[/.-]+$/, '');
  return s;
}

export function renderName(template: string, v: TemplateValues): string {
  const raw = template.replace(/\{(\w+)\}/g, (_, k: string) => (v as Record<string, string>)[k] ?? '');
  const name = sanitizeProfileName(raw);
  return PROFILE_NAME_PATTERN.test(name) ? name : sanitizeProfileName(`${v.accountId}/${v.roleName}`);
}

/** The first of name, name-<accountId>, name-<accountId>-2, ... that is not taken (taken is updated). */
export function uniqueName(desired: string, accountId: string, taken: Set<string>): string {
  const withSuffix = (suffix: string) => desired.slice(0, MAX - suffix.length) + suffix;
  let candidate = desired;
  for (let i = 1; taken.has(candidate); i++) candidate = withSuffix(i === 1 ? `-${accountId}` : `-${accountId}-${i}`);
  taken.add(candidate);
  return candidate;
}
