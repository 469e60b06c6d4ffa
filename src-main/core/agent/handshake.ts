// The agent's mutual challenge-response. The per-install token (agent.token, 0600) is the shared
// secret and never crosses the socket: each side proves it knows the token by an HMAC over both
// fresh nonces, the agent first. So whatever listens on the socket path learns nothing it could
// use (a nonce and, from the real agent, a proof bound to that one exchange), and a caller
// believes an answer only from an agent that proved itself. Imports only node:crypto: the
// credential_process hot path uses it.
//
//   client -> {"type":"hello","v":1,"clientNonce":C}
//   agent  -> {"type":"challenge","serverNonce":S,"serverProof":HMAC(token, "rolecall-agent server|C|S")}
//   client -> {"type":"proof","clientProof":HMAC(token, "rolecall-agent client|C|S")}, then its requests
//
// The role labels differ, so neither side can reflect the other's proof back as its own.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const HANDSHAKE_VERSION = 1;

/** 32 random bytes, hex: fresh for every connection, so a recorded proof is worth nothing later. */
export const newNonce = (): string => randomBytes(32).toString('hex');

const NONCE = /^[0-9a-f]{64}$/;
export const isNonce = (v: unknown): v is string => typeof v === 'string' && NONCE.test(v);

export type Role = 'server' | 'client';

export function proofOf(token: string, role: Role, clientNonce: string, serverNonce: string): string {
  return createHmac('sha256', token).update(`rolecall-agent ${role}|${clientNonce}|${serverNonce}`).digest('hex');
}

/** Constant-time check of a proof the other side sent. */
export function proofMatches(token: string, role: Role, clientNonce: string, serverNonce: string, given: unknown): boolean {
  if (typeof given !== 'string' || !token) return false;
  const want = Buffer.from(proofOf(token, role, clientNonce, serverNonce));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Windows: Node cannot put an ACL on a named pipe, nor ask who serves one
 * (GetNamedPipeServerProcessId), so the pipe's name is derived from the token: another user
 * cannot compute it to create the pipe first, and whoever does serve it must still pass the
 * challenge-response above. The base name (paths.agentSocket) only keeps installs apart.
 */
export function pipeNameFor(base: string, token: string): string {
  return `${base}-${createHmac('sha256', token).update('rolecall-agent pipe').digest('hex').slice(0, 32)}`;
}

/** Where client and server meet: the socket path, or on Windows the token-derived pipe. */
export function agentEndpoint(socket: string, token: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? pipeNameFor(socket, token) : socket;
}

/** One handshake line as an object, or null for anything else. */
export function parseMessage(line: string): Record<string, unknown> | null {
  try {
    const m: unknown = JSON.parse(line);
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
