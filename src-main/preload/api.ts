// The object the preload exposes, built over the two ipcRenderer calls it needs, so a unit test
// can check it without Electron: exactly the contract's methods and onX event functions.
import { RolecallEventContract, eventChannel, eventMethodName, methodChannel, rolecallEvents, rolecallMethods, type RolecallEvent } from '../../src-shared/api';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function buildPreloadApi(ipc: IpcRendererLike): Record<string, (...args: never[]) => unknown> {
  const methods = rolecallMethods.map((m) => [m, (...args: unknown[]) => ipc.invoke(methodChannel(m), ...args)] as const);
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
