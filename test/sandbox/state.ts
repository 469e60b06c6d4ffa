// What the sandbox remembers between calls: every credential it knows (long-term keys from the
// organization file and everything it issued), with the lineage AWS keeps for each, so that
// GetCallerIdentity, role chaining and the federation endpoint can tell what a caller holds.
import { randomBytes, randomInt } from 'node:crypto';
import type { Organization } from './org';
import { userArn } from './org';

export type CredentialKind =
  | 'iam-user' // long-term access key of an IAM user
  | 'session-token' // GetSessionToken
  | 'federated-user' // GetFederationToken
  | 'assumed-role'; // AssumeRole*, and Identity Center role credentials

export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Absent for long-term keys. */
  expiration?: Date;
  kind: CredentialKind;
  accountId: string;
  /** What GetCallerIdentity answers. */
  arn: string;
  userId: string;
  /** For assumed roles: the role's ARN. */
  roleArn?: string;
  /** The IAM user behind iam-user/session-token/federated-user credentials. */
  userArn?: string;
  mfaAuthenticated: boolean;
  /** True when these role credentials were obtained by a caller holding role or GetSessionToken credentials. */
  roleChained: boolean;
  sourceIdentity?: string;
  /** Session tags carried as transitive to later hops. */
  transitiveTags?: Record<string, string>;
  /**
   * 'none' for a GetFederationToken session without a session policy: AWS grants it nothing.
   * Otherwise the session may do what its role or user may (the sandbox models no permissions).
   */
  permissions?: 'none';
  /** Which operation issued them; for the federation endpoint and tests. */
  issuedBy?: string;
}

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomFrom(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** ASIA... temporary key ids, AROA/AIDA unique ids: the shapes AWS uses. */
export const newTemporaryAccessKeyId = () => `ASIA${randomFrom(ALNUM_UPPER, 16)}`;
export const newSecretAccessKey = () => randomBytes(30).toString('base64').slice(0, 40);
export const newSessionToken = () => `IQoJb3JpZ2luX2Vj${randomBytes(180).toString('base64')}`;
export const newUniqueId = (prefix: 'AROA' | 'AIDA' | 'ANPA') => `${prefix}${randomFrom(ALNUM_UPPER, 17)}`;
export const newRequestId = () => {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** Expired records are kept this long past expiry, so that a late caller still hears "expired", not "unknown". */
/** Used MFA codes remembered per device: a code lives 90 s, so this covers days of a running demo. */
const USED_MFA_STEPS_KEPT = 4096;

export const EXPIRED_RETENTION_MS = 24 * 3600 * 1000;
const PRUNE_AT_LEAST = 10_000;

/**
 * A Map of records that expire. Once it has grown past a high-water mark, adding a record first
 * forgets those that expired more than EXPIRED_RETENTION_MS ago (records without an expiry stay),
 * so a long-running sandbox (npm run demo, the bench) holds what is live, not all it ever issued.
 */
export class ExpiringMap<K, V> extends Map<K, V> {
  private pruneAt = PRUNE_AT_LEAST;

  constructor(
    private readonly now: () => number,
    private readonly expiresAt: (v: V) => number | undefined,
  ) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.pruneAt) {
      const cutoff = this.now() - EXPIRED_RETENTION_MS;
      for (const [k, v] of this) {
        const at = this.expiresAt(v);
        if (at !== undefined && at < cutoff) this.delete(k);
      }
      this.pruneAt = Math.max(PRUNE_AT_LEAST, this.size * 2);
    }
    return super.set(key, value);
  }
}

export class SandboxState {
  readonly credentials = new ExpiringMap<string, CredentialRecord>(
    () => this.now().getTime(),
    (r) => r.expiration?.getTime(),
  );
  /** Stable unique ids per role/user ARN, as AWS keeps them. */
  private readonly uniqueIds = new Map<string, string>();
  /** The sandbox clock; tests may move it forward to expire things without waiting. */
  clockOffsetMs = 0;
  /** Per MFA device serial: the TOTP time steps whose code was already accepted once. */
  private readonly usedMfaSteps = new Map<string, Set<number>>();

  constructor(readonly org: Organization) {
    for (const u of org.users) {
      const arn = userArn(org, u);
      for (const k of u.accessKeys) {
        this.credentials.set(k.accessKeyId, {
          accessKeyId: k.accessKeyId,
          secretAccessKey: k.secretAccessKey,
          kind: 'iam-user',
          accountId: u.accountId,
          arn,
          userId: this.uniqueIdFor(arn, 'AIDA'),
          userArn: arn,
          mfaAuthenticated: false,
          roleChained: false,
        });
      }
    }
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  uniqueIdFor(arn: string, prefix: 'AROA' | 'AIDA'): string {
    let id = this.uniqueIds.get(arn);
    if (!id) {
      id = newUniqueId(prefix);
      this.uniqueIds.set(arn, id);
    }
    return id;
  }

  /** Issues temporary credentials valid for durationSeconds from now and remembers them. */
  issue(fields: Omit<CredentialRecord, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>, durationSeconds: number): CredentialRecord {
    const rec: CredentialRecord = {
      ...fields,
      accessKeyId: newTemporaryAccessKeyId(),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      expiration: new Date(Math.floor(this.now().getTime() / 1000) * 1000 + durationSeconds * 1000),
    };
    this.credentials.set(rec.accessKeyId, rec);
    return rec;
  }

  /** Whether the code of this time step was already accepted for the device. */
  mfaStepUsed(serialNumber: string, step: number): boolean {
    return this.usedMfaSteps.get(serialNumber)?.has(step) ?? false;
  }

  /**
   * Records a code as used. The oldest entries go past a bound, not by step: tests move the clock
   * back as well as forward, and a step forgotten by time could then be accepted a second time.
   */
  useMfaStep(serialNumber: string, step: number): void {
    let steps = this.usedMfaSteps.get(serialNumber);
    if (!steps) this.usedMfaSteps.set(serialNumber, (steps = new Set()));
    steps.add(step);
    if (steps.size > USED_MFA_STEPS_KEPT) steps.delete(steps.values().next().value as number);
  }

  isExpired(rec: CredentialRecord): boolean {
    return rec.expiration !== undefined && rec.expiration.getTime() <= this.now().getTime();
  }
}
