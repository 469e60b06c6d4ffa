// The agent's wire format: one JSON object per line each way, after the handshake (handshake.ts).
// This file is what the client (on the credential_process hot path) shares with the server, so it
// imports no zod (about 45 ms on a 70 ms Node start here): the client checks the few response
// fields by hand.
import type { Credentials } from '../../../src-shared/profile';
import type { SessionInfo } from '../broker/types';
import { RolecallError, type ErrorCode } from '../errors';
import { parseMessage } from './handshake';

export type AgentRequestType = 'credentials' | 'sessions' | 'forget' | 'ping' | 'shutdown' | 'handover';

export interface WireCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO 8601; absent for long-term keys. */
  expiration?: string;
  /** What the broker told the person while getting them (a duration capped by the chain limit). */
  notices?: string[];
}

export interface WireSession {
  profile: string;
  expiration?: string;
  refreshAt?: string;
}

export interface WireError {
  message: string;
  code: ErrorCode;
  hint?: string;
}

export type AgentResponse = { id?: string | number; ok: true; result: unknown } | { id?: string | number; ok: false; error: WireError };

/**
 * Sent before the answer to a credentials request while the agent waits on a person (an
 * Identity Center sign-in): what they must do. Each one restarts the caller's wait.
 */
export interface AgentProgress {
  id?: string | number;
  progress: string;
}

export type AgentLine = AgentResponse | AgentProgress;

/** Where the agent says its pid, beside its socket: `agent stop` finds an agent too stopped or hung to answer a ping. */
export const agentPidFile = (socket: string): string => `${socket}.pid`;

/** The error a request gets when the agent stops before answering it: its caller works without the agent. */
export const AGENT_STOPPING = 'The Rolecall agent is stopping';

/** The text of a progress line (one without "ok"), or undefined for anything else. */
export function progressOf(line: string): string | undefined {
  const r = parseMessage(line);
  return r && !('ok' in r) && typeof r.progress === 'string' ? r.progress : undefined;
}

/** Longest line either side accepts: requests are tiny, and a session list of thousands of profiles still fits. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** What a connection may send before it has proven it knows the token (a hello and a proof take ~200 bytes). */
export const MAX_PRE_AUTH_BYTES = 4 * 1024;

const ERROR_CODES: readonly ErrorCode[] = [
  'invalid-input', 'not-found', 'conflict', 'sign-in-required', 'mfa-required', 'access-denied', 'aws-error', 'keychain', 'file', 'agent', 'timeout',
];

export const toWireCredentials = (c: Credentials, notices: string[] = []): WireCredentials => ({
  accessKeyId: c.accessKeyId,
  secretAccessKey: c.secretAccessKey,
  ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  ...(c.expiration ? { expiration: c.expiration.toISOString() } : {}),
  ...(notices.length ? { notices } : {}),
});

export const toWireSession = (s: SessionInfo): WireSession => ({
  profile: s.profile,
  ...(s.expiration ? { expiration: s.expiration.toISOString() } : {}),
  ...(s.refreshAt ? { refreshAt: s.refreshAt.toISOString() } : {}),
});

function bad(what: string): never {
  throw new RolecallError(`The Rolecall agent sent a malformed answer (${what})`, 'agent', 'restart it: rolecall serve');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optString = (v: unknown) => v === undefined || typeof v === 'string';
function optDate(v: unknown, what: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) bad(what);
  return d;
}

/** Parses one response line; an error answer becomes the RolecallError the broker threw. */
export function parseResponse(line: string): unknown {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    bad('not JSON');
  }
  if (!isObject(r) || typeof r.ok !== 'boolean') bad('no ok');
  if (r.ok) return r.result;
  const e = r.error;
  if (!isObject(e) || typeof e.message !== 'string' || !optString(e.hint)) bad('error');
  const code = ERROR_CODES.includes(e.code as ErrorCode) ? (e.code as ErrorCode) : 'agent';
  throw new RolecallError(e.message, code, e.hint as string | undefined);
}

export function credentialsFromWire(v: unknown): { credentials: Credentials; notices: string[] } {
  if (!isObject(v) || typeof v.accessKeyId !== 'string' || typeof v.secretAccessKey !== 'string' || !optString(v.sessionToken)) bad('credentials');
  const notices = v.notices ?? [];
  if (!Array.isArray(notices) || !notices.every((n) => typeof n === 'string')) bad('notices');
  return {
    credentials: {
      accessKeyId: v.accessKeyId,
      secretAccessKey: v.secretAccessKey,
      ...(typeof v.sessionToken === 'string' ? { sessionToken: v.sessionToken } : {}),
      ...(v.expiration !== undefined ? { expiration: optDate(v.expiration, 'expiration') } : {}),
    },
    notices: notices as string[],
  };
}

export function sessionsFromWire(v: unknown): SessionInfo[] {
  if (!Array.isArray(v)) bad('sessions');
  return v.map((s: unknown) => {
    if (!isObject(s) || typeof s.profile !== 'string') bad('session');
    return { profile: s.profile, expiration: optDate(s.expiration, 'expiration'), refreshAt: optDate(s.refreshAt, 'refreshAt') };
  });
}
