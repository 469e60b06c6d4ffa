// One IPC call, checked both ways with the shared contract, as a pure async function: an unknown
// method or bad arguments are refused before the core runs, a result the contract does not
// describe never leaves, and errors cross as {error, code} (one line, no stack).
import { RolecallApiContract, type RolecallApi, type RolecallMethod } from '../../src-shared/api';
import { describeIssue } from '../../src-shared/names';
import { describeError, isRolecallError } from '../core/errors';

export type IpcAnswer = { ok: true; result: unknown } | { ok: false; error: string; code?: string };

export async function answerCall(api: RolecallApi, method: string, raw: unknown[]): Promise<IpcAnswer> {
  if (!Object.hasOwn(RolecallApiContract, method)) return { ok: false, error: `no method ${JSON.stringify(method.slice(0, 64))}`, code: 'invalid-input' };
  const m = method as RolecallMethod;
  const contract = RolecallApiContract[m];
  const args = contract.args.safeParse(raw);
  if (!args.success) return { ok: false, error: describeIssue(args.error, `bad arguments for ${m}`), code: 'invalid-input' };
  let result: unknown;
  try {
    result = await (api[m] as (...a: unknown[]) => Promise<unknown>)(...args.data);
  } catch (e) {
    return isRolecallError(e) ? { ok: false, error: describeError(e), code: e.code } : { ok: false, error: describeError(e) };
  }
  const checked = contract.result.safeParse(result);
  if (!checked.success) return { ok: false, error: `the core's answer to ${m} does not match the contract` };
  return { ok: true, result: checked.data };
}
