// Exposes exactly RolecallApi to the renderer: one IPC channel per method, one per event, nothing
// else (never ipcRenderer itself). Event payloads are checked against the contract here too.
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api';

contextBridge.exposeInMainWorld('rolecall', buildPreloadApi(ipcRenderer));
