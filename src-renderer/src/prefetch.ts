// Imported first by main.tsx: the profile list is asked for while React and the window's code are
// still starting, so the core's answer and the script's start overlap instead of following each other.
import type { ProfileRow, RolecallApi } from '../../src-shared/api';
import { getApi } from './api';

let early: { api: RolecallApi; profiles: Promise<ProfileRow[]> } | undefined;
try {
  const api = getApi();
  early = { api, profiles: api.listProfiles() };
  early.profiles.catch(() => undefined); // the first loadAll shows the error
} catch {
  // no API in this window: App says so
}

/** The early answer, once, for the API it was asked of; later loads ask again. */
export function takeEarlyProfiles(api: RolecallApi): Promise<ProfileRow[]> | undefined {
  const e = early;
  early = undefined;
  return e?.api === api ? e.profiles : undefined;
}
