// One instance's sync, start to end: list what the sign-in grants, then apply it to the profiles
// in one locked state update.
import type { SsoSession } from '../../../src-shared/profile';
import type { StateStore } from '../files/state-store';
import { applySync } from './merge';
import { checkTemplate } from './naming';
import type { PortalClient } from './portal';
import { listAssignments, syncError, type ListAssignmentsOptions } from './sync';

export type SyncOptions = Pick<ListAssignmentsOptions, 'concurrency' | 'onProgress' | 'accountsPacer' | 'rolesPacer'>;

export interface SyncResult {
  name: string;
  accounts: number;
  roles: number;
  added: string[];
  removed: string[];
  orphaned: string[];
  durationMs: number;
}

export async function syncInstance(
  session: SsoSession,
  accessToken: string,
  portal: PortalClient,
  state: Pick<StateStore, 'load' | 'update'>,
  options: SyncOptions,
): Promise<SyncResult> {
  const started = performance.now();
  const template = (await state.load()).settings.profileNameTemplate;
  checkTemplate(template);
  let assignments;
  try {
    assignments = await listAssignments(portal, accessToken, options);
  } catch (err) {
    throw syncError(err, session.name);
  }
  let changes!: ReturnType<typeof applySync>;
  await state.update((s) => {
    changes = applySync(s.profiles, session.name, assignments, s.settings.profileNameTemplate);
    s.profiles = changes.profiles;
  });
  return {
    name: session.name,
    accounts: new Set(assignments.map((a) => a.accountId)).size,
    roles: changes.total,
    added: changes.added,
    removed: changes.removed,
    orphaned: changes.orphaned,
    durationMs: performance.now() - started,
  };
}
