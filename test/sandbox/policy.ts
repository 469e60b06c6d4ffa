// Trust policy evaluation: does a role's trust policy let this principal perform this action?
// Principal/NotPrincipal (AWS, Service, Federated), Action/NotAction with wildcards, and the
// condition operators trust policies use. An explicit Deny beats any Allow; no match is a deny.
// Only the role's trust policy is evaluated: the caller's identity-based policies, SCPs and
// permission boundaries are not modelled by the sandbox (every caller may call sts:*).
import type { PolicyDocument } from './org';

/** Who is asking, in the forms a trust policy can name them. */
export type Principal =
  /** An IAM identity: matches its account (id or root ARN) and any of `arns` (role, user, session ARNs). */
  | { type: 'AWS'; accountId: string; partition: string; arns: string[] }
  | { type: 'Federated'; provider: string }
  | { type: 'Service'; service: string };

export interface TrustRequest {
  principal: Principal;
  action: string;
  /** Condition keys present in the request; keys are matched case-insensitively, as AWS does. */
  context: Record<string, string | string[]>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

type Statement = Record<string, unknown>;

export function evaluateTrustPolicy(doc: PolicyDocument, request: TrustRequest): Decision {
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Statement[];
  const context = new Map(Object.entries(request.context).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
  let allowed = false;
  for (const s of statements) {
    if (!appliesTo(s, request, context)) continue;
    if (s.Effect === 'Deny') return 'explicit-deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function appliesTo(s: Statement, request: TrustRequest, context: Map<string, string[]>): boolean {
  const principalOk =
    s.Principal !== undefined ? principalMatches(s.Principal, request.principal) : s.NotPrincipal !== undefined && !principalMatches(s.NotPrincipal, request.principal);
  const actionOk = s.Action !== undefined ? actionMatches(s.Action, request.action) : s.NotAction !== undefined && !actionMatches(s.NotAction, request.action);
  return principalOk && actionOk && conditionsHold(s.Condition, context);
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

function principalMatches(element: unknown, p: Principal): boolean {
  if (element === '*') return true;
  if (typeof element !== 'object' || element === null) return false;
  const byType = element as Record<string, unknown>;
  const values = asList(byType[p.type]);
  if (p.type === 'AWS') {
    return values.some(
      (v) => v === '*' || v === p.accountId || v === `arn:${p.partition}:iam::${p.accountId}:root` || p.arns.includes(v),
    );
  }
  if (p.type === 'Federated') return values.includes(p.provider);
  return values.includes(p.service);
}

function actionMatches(element: unknown, action: string): boolean {
  return asList(element).some((pattern) => globMatch(pattern.toLowerCase(), action.toLowerCase()));
}

/** IAM wildcards: `*` any run of characters, `?` any one character. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(value);
}

type Compare = (actual: string, expected: string) => boolean;

const operators: Record<string, { compare: Compare; negated?: boolean }> = {
  StringEquals: { compare: (a, e) => a === e },
  StringNotEquals: { compare: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase() },
  StringNotEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { compare: (a, e) => globMatch(e, a) },
  StringNotLike: { compare: (a, e) => globMatch(e, a), negated: true },
  ArnEquals: { compare: (a, e) => a === e },
  ArnNotEquals: { compare: (a, e) => a === e, negated: true },
  ArnLike: { compare: (a, e) => globMatch(e, a) },
  ArnNotLike: { compare: (a, e) => globMatch(e, a), negated: true },
  Bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase() },
};

function conditionsHold(condition: unknown, context: Map<string, string[]>): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return false;
  // Every operator block and every key in it must hold (AND); values within a key are ORed.
  return Object.entries(condition as Record<string, unknown>).every(([rawOperator, block]) => {
    if (typeof block !== 'object' || block === null) return false;
    return Object.entries(block as Record<string, unknown>).every(([key, expected]) =>
      conditionHolds(rawOperator, context.get(key.toLowerCase()), asList(expected)),
    );
  });
}

function conditionHolds(rawOperator: string, actual: string[] | undefined, expected: string[]): boolean {
  const set = /^(ForAnyValue|ForAllValues):/.exec(rawOperator)?.[1];
  let name = set ? rawOperator.slice(set.length + 1) : rawOperator;
  const ifExists = name.endsWith('IfExists');
  if (ifExists) name = name.slice(0, -'IfExists'.length);

  if (name === 'Null') return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
  // Operators the sandbox does not know (Numeric*, Date*, IpAddress...) never match, so a
  // policy that relies on them denies rather than silently allows.
  const op = operators[name];
  if (!op) return false;

  if (actual === undefined || actual.length === 0) {
    if (ifExists || set === 'ForAllValues') return true;
    if (set === 'ForAnyValue') return false;
    return op.negated === true;
  }
  const matchesAny = (a: string) => expected.some((e) => op.compare(a, e));
  if (set === 'ForAllValues') return actual.every((a) => (op.negated ? !matchesAny(a) : matchesAny(a)));
  if (set === 'ForAnyValue') return actual.some((a) => (op.negated ? !matchesAny(a) : matchesAny(a)));
  return op.negated ? !actual.some(matchesAny) : actual.some(matchesAny);
}
