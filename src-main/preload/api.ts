// The object the preload exposes, built over the two ipcRenderer calls it needs, so a unit test
// can check it without Electron: exactly the contract's methods and onX event functions.
import { RolecallEventContract, eventChannel, eventMethodName, methodChannel, rolecallEvents, rolecallMethods, type RolecallEvent } from '../../src-shared/api';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function buildPreloadApi(ipc: IpcRendererLike): Record<string, (...args: never[]) => unknown> {
  // The main process answers {ok, result} or {ok: false, error, code}: a thrown IPC error would lose the code.
  const call = async (m: (typeof rolecallMethods)[number], args: unknown[]) => {
    const answer = (await ipc.invoke(methodChannel(m), ...args)) as { ok?: unknown; result?: unknown; error?: unknown; code?: unknown } | undefined;
    if (answer?.ok === true) return answer.result;
    // A plain object: contextBridge keeps only the message of an Error, and the page needs the code.
    throw { name: 'RolecallCallError', message: typeof answer?.error === 'string' ? answer.error : `${m} failed`, code: typeof answer?.code === 'string' ? answer.code : undefined };
  };
  const methods = rolecallMethods.map((m) => [m, (...args: unknown[]) => call(m, args)] as const);
  const events = rolecallEvents.map(
    (e: RolecallEvent) =>
      [
        eventMethodName(e),
        (listener: (payload: unknown) => void) => {
          const wrapped = (_event: unknown, payload: unknown) => {
            const checked = RolecallEventContract[e].safeParse(payload);
            if (checked.success) listener(checked.data);
          };
          ipc.on(eventChannel(e), wrapped);
          return () => void ipc.removeListener(eventChannel(e), wrapped);
        },
      ] as const,
  );
  return Object.fromEntries([...methods, ...events]);
}
