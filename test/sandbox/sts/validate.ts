// Input validation with the limits and patterns of botocore's STS model, reported the way AWS's
// service framework reports them: "1 validation error detected: Value 'x' at 'roleSessionName'
// failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*".
import { readMemberList, validationError } from './protocol';

interface Pattern {
  re: RegExp;
  /** The pattern as AWS prints it in the message. */
  text: string;
}

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: Pattern;
}

export interface IntegerRule {
  min: number;
  max: number;
}

// The model's patterns; JS needs the `u` flag for \p{..} and astral ranges.
export const patterns = {
  sessionName: { re: /^[\w+=,.@-]*$/, text: '[\\w+=,.@-]*' },
  externalId: { re: /^[\w+=,.@:/-]*$/, text: '[\\w+=,.@:\\/-]*' },
  serialNumber: { re: /^[\w+=/:,.@-]*$/, text: '[\\w+=/:,.@-]*' },
  tokenCode: { re: /^\d*$/, text: '[\\d]*' },
  arn: {
    // eslint-disable-next-line no-control-regex -- tab, LF and CR are allowed characters in the model's pattern
    re: /^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]+$/u,
    text: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+',
  },
  // eslint-disable-next-line no-control-regex -- as above
  policy: { re: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/, text: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' },
  tagKey: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' },
  tagValue: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' },
} satisfies Record<string, Pattern>;

export const rules = {
  roleArn: { required: true, min: 20, max: 2048, pattern: patterns.arn },
  roleSessionName: { required: true, min: 2, max: 64, pattern: patterns.sessionName },
  externalId: { min: 2, max: 1224, pattern: patterns.externalId },
  serialNumber: { min: 9, max: 256, pattern: patterns.serialNumber },
  tokenCode: { min: 6, max: 6, pattern: patterns.tokenCode },
  sourceIdentity: { min: 2, max: 64, pattern: patterns.sessionName },
  /** AssumeRole's unrestrictedSessionPolicyDocumentType: no max in the model; the packed size limits it. */
  unrestrictedPolicy: { min: 1, pattern: patterns.policy },
  /** sessionPolicyDocumentType of AssumeRoleWithSAML/WebIdentity and GetFederationToken. */
  policy: { min: 1, max: 2048, pattern: patterns.policy },
} satisfies Record<string, StringRule>;

export interface Tag {
  Key: string;
  Value: string;
}

/** AWS's member path: the wire name with its first letter lowered (RoleSessionName -> roleSessionName). */
const memberPath = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** Collects every constraint failure of one request, then throws them as one ValidationError. */
export class Validator {
  private readonly failures: string[] = [];

  constructor(private readonly params: URLSearchParams) {}

  string(name: string, rule: StringRule): string | undefined {
    const value = this.params.get(name) ?? undefined;
    this.checkString(value, memberPath(name), rule);
    return value;
  }

  integer(name: string, rule: IntegerRule): number | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    const path = memberPath(name);
    if (!/^-?\d+$/.test(raw.trim())) {
      this.fail(`Value '${raw}' at '${path}' failed to satisfy constraint: Member must be a number`);
      return undefined;
    }
    const n = Number(raw);
    if (n < rule.min) this.fail(`Value '${raw}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`);
    else if (n > rule.max) this.fail(`Value '${raw}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`);
    return n;
  }

  /** Session tags (`Tags.member.N.Key/Value`), at most 50. */
  tags(name = 'Tags'): Tag[] {
    const tags: Tag[] = [];
    for (const [n, fields] of readMemberList(this.params, name)) {
      const key = fields.get('Key');
      const value = fields.get('Value');
      this.checkString(key, `${memberPath(name)}.${n}.member.key`, { required: true, min: 1, max: 128, pattern: patterns.tagKey });
      this.checkString(value, `${memberPath(name)}.${n}.member.value`, { required: true, min: 0, max: 256, pattern: patterns.tagValue });
      tags.push({ Key: key ?? '', Value: value ?? '' });
    }
    this.listMax(name, tags.map((t) => `${t.Key}=${t.Value}`), 50);
    return tags;
  }

  /** A list of plain strings (`Name.member.N`). */
  stringList(name: string, max: number, rule: StringRule): string[] {
    const values = [...readMemberList(this.params, name).entries()].map(([n, fields]) => {
      const v = fields.get('') ?? '';
      this.checkString(v, `${memberPath(name)}.${n}.member`, rule);
      return v;
    });
    this.listMax(name, values, max);
    return values;
  }

  /** PolicyArns.member.N.arn, at most 10 (the IAM quota for managed session policies). */
  policyArns(): string[] {
    const arns = [...readMemberList(this.params, 'PolicyArns').entries()].map(([n, fields]) => {
      const arn = fields.get('arn');
      this.checkString(arn, `policyArns.${n}.member.arn`, { min: 20, max: 2048, pattern: patterns.arn });
      return arn ?? '';
    });
    this.listMax('PolicyArns', arns, 10);
    return arns;
  }

  /** Throws the collected failures as AWS words them, if any. */
  done(): void {
    const n = this.failures.length;
    if (n === 0) return;
    throw validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.failures.join('; ')}`);
  }

  private listMax(name: string, values: string[], max: number): void {
    if (values.length > max) {
      this.fail(`Value '[${values.join(', ')}]' at '${memberPath(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
  }

  private checkString(value: string | undefined, path: string, rule: StringRule): void {
    if (value === undefined) {
      if (rule.required) this.fail(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      return;
    }
    const prefix = `Value '${value}' at '${path}' failed to satisfy constraint: Member must`;
    const length = value.length;
    if (rule.min !== undefined && length < rule.min) this.fail(`${prefix} have length greater than or equal to ${rule.min}`);
    else if (rule.max !== undefined && length > rule.max) this.fail(`${prefix} have length less than or equal to ${rule.max}`);
    else if (rule.pattern && !rule.pattern.re.test(value)) this.fail(`${prefix} satisfy regular expression pattern: ${rule.pattern.text}`);
  }

  private fail(message: string): void {
    this.failures.push(message);
  }
}
