// The renderer's one door to the core: the preload's RolecallApi (Electron).
import type { RolecallApi } from '../../src-shared/api';

declare global {
  interface Window {
    rolecall?: RolecallApi;
  }
}

export function getApi(): RolecallApi {
  if (!window.rolecall) throw new Error('Rolecall API is not available in this window');
  return window.rolecall;
}
