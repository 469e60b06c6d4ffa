// Imported by the tiny entry (main.tsx), and importing nothing heavy (no zod, no React): the profile list is
// asked for while the rest of the window's code is still starting, so the core's answer and the
// script's start overlap instead of following each other.
import type { ProfileRow, RolecallApi } from '../../src-shared/api';
import { ROWS_MEDIA_TYPE, rowsOf } from '../../src-shared/rows-wire';
import { bridgeToken } from './token';

let early: { api: RolecallApi | 'web'; profiles: Promise<ProfileRow[] | undefined> } | undefined;
try {
  if (window.rolecall) {
    early = { api: window.rolecall, profiles: window.rolecall.listProfiles().catch(() => undefined) };
  } else {
    const token = bridgeToken();
    // The bridge checked the answer against the contract, as for every call (see api.ts); any failure
    // leaves the first load to ask again through the API, which reports it.
    const answer = token
      ? fetch('/api/listProfiles', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: ROWS_MEDIA_TYPE }, body: '{"args":[]}' })
          .then((res) => (res.ok ? rowsOf<ProfileRow>(res) : undefined))
          .catch(() => undefined)
      : undefined;
    if (answer) early = { api: 'web', profiles: answer };
  }
} catch {
  // no API in this window: App says so
}

/** The early answer, once; later loads ask again. */
export async function takeEarlyProfiles(api: RolecallApi): Promise<ProfileRow[] | undefined> {
  const e = early;
  early = undefined;
  if (!e || (e.api !== 'web' && e.api !== api) || (e.api === 'web' && api === window.rolecall)) return undefined;
  return e.profiles;
}
