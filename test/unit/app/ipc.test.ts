// IPC calls are checked against the contract before the core runs and after it answers; errors
// cross as one line with the core's code. The preload exposes exactly the contract.
import { describe, expect, it, vi } from 'vitest';
import { eventChannel, eventMethodName, methodChannel, rolecallEvents, rolecallMethods, type RolecallApi } from '../../../src-shared/api';
import { answerCall } from '../../../src-main/app/ipc';
import { buildPreloadApi } from '../../../src-main/preload/api';
import { RolecallError } from '../../../src-main/core/errors';
import { row } from './fixtures';

function fakeApi(over: Partial<RolecallApi> = {}) {
  const startSession = vi.fn(async (name: string) => row(name));
  return { api: { startSession, ...over } as unknown as RolecallApi, startSession };
}

describe('answerCall', () => {
  it('runs a valid call and returns only what the contract describes', async () => {
    const { api } = fakeApi({ startSession: (async (name: string) => ({ ...row(name), secretAccessKey: 'x' })) as never });
    const answer = await answerCall(api, 'startSession', ['acme-dev/ReadOnly']);
    expect(answer).toEqual({ ok: true, result: row('acme-dev/ReadOnly') });
    expect(JSON.stringify(answer)).not.toContain('secretAccessKey');
  });

  it('refuses unknown methods and bad arguments before the core runs', async () => {
    const { api, startSession } = fakeApi();
    expect(await answerCall(api, 'constructor', [])).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await answerCall(api, 'startSession', ['bad name; rm -rf /'])).toMatchObject({ ok: false, code: 'invalid-input', error: expect.stringMatching(/^bad arguments for startSession/) });
    expect(await answerCall(api, 'startSession', ['a', { mfaCode: '12' }])).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await answerCall(api, 'startSession', ['a', { mfaCode: '123456', extra: 1 }])).toMatchObject({ ok: false });
    expect(await answerCall(api, 'startSession', ['a', 'b', 'c'])).toMatchObject({ ok: false });
    expect(startSession).not.toHaveBeenCalled();
  });

  it('carries a RolecallError as its message, hint and code; other errors as a message; never a stack', async () => {
    const { api } = fakeApi({ startSession: (async () => Promise.reject(new RolecallError('not signed in', 'sign-in-required', 'sign in again'))) as never });
    expect(await answerCall(api, 'startSession', ['a'])).toEqual({ ok: false, error: 'not signed in; sign in again', code: 'sign-in-required' });
    const { api: api2 } = fakeApi({ startSession: (async () => Promise.reject(new Error('boom'))) as never });
    const a = await answerCall(api2, 'startSession', ['a']);
    expect(a).toEqual({ ok: false, error: 'boom' });
  });

  it('refuses a core answer the contract does not describe', async () => {
    const { api } = fakeApi({ startSession: (async () => ({ name: 'a' })) as never });
    expect(await answerCall(api, 'startSession', ['a'])).toEqual({ ok: false, error: "the core's answer to startSession does not match the contract" });
  });
});

describe('the preload API', () => {
  it('has exactly the contract: one function per method and per event, nothing else', async () => {
    const invoke = vi.fn(async () => ({ ok: true, result: 'r' }));
    const api = buildPreloadApi({ invoke, on: vi.fn(), removeListener: vi.fn() });
    expect(Object.keys(api).sort()).toEqual([...rolecallMethods, ...rolecallEvents.map(eventMethodName)].sort());
    expect(await (api.stopSession as (n: string) => Promise<unknown>)('a')).toBe('r');
    expect(invoke).toHaveBeenCalledWith(methodChannel('stopSession'), 'a');
  });

  it('rejects with the message and code of a failed call', async () => {
    const api = buildPreloadApi({ invoke: async () => ({ ok: false, error: 'not signed in', code: 'sign-in-required' }), on: vi.fn(), removeListener: vi.fn() });
    await expect((api.stopSession as (n: string) => Promise<unknown>)('a')).rejects.toEqual({ name: 'RolecallCallError', message: 'not signed in', code: 'sign-in-required' });
  });

  it('passes on only event payloads the contract accepts, and unsubscribes', () => {
    const handlers = new Map<string, (e: unknown, p: unknown) => void>();
    const removeListener = vi.fn();
    const api = buildPreloadApi({ invoke: vi.fn(), on: (c, l) => handlers.set(c, l), removeListener });
    const seen: unknown[] = [];
    const off = (api.onSessionChanged as (l: (p: unknown) => void) => () => void)((p) => seen.push(p));
    const h = handlers.get(eventChannel('sessionChanged'))!;
    h({}, { profile: 'a', expiresAt: null });
    h({}, { profile: 'a', expiresAt: null, secretAccessKey: 'x' });
    h({}, { nope: true });
    expect(seen).toEqual([{ profile: 'a', expiresAt: null }, { profile: 'a', expiresAt: null }]);
    off();
    expect(removeListener).toHaveBeenCalledWith(eventChannel('sessionChanged'), h);
  });
});
