// Exposes exactly RolecallApi to the renderer, one IPC channel per method, nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { rolecallMethods } from '../../src-shared/api';

const api = Object.fromEntries(rolecallMethods.map((m) => [m, (...args: unknown[]) => ipcRenderer.invoke(`rolecall:${m}`, ...args)]));
contextBridge.exposeInMainWorld('rolecall', api);
