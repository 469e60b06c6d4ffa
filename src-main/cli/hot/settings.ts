// The few settings the hot path needs, read from the state file without zod (which would cost
// more than the whole hot path). Anything odd falls back to the defaults; the core, when it
// loads, validates the file properly and reports what is wrong.
import { readFile } from 'node:fs/promises';

export interface HotSettings {
  refreshAheadSeconds: number;
  autostartAgent: boolean;
  agentIdleSeconds: number;
}

export const HOT_DEFAULTS: HotSettings = { refreshAheadSeconds: 900, autostartAgent: true, agentIdleSeconds: 900 };

export async function readHotSettings(stateFile: string): Promise<HotSettings> {
  let s: Record<string, unknown> = {};
  try {
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { settings?: unknown };
    if (typeof state?.settings === 'object' && state.settings !== null) s = state.settings as Record<string, unknown>;
  } catch {
    // No state yet, or a broken one: defaults.
  }
  const int = (v: unknown, min: number, d: number) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : d);
  return {
    refreshAheadSeconds: int(s.refreshAheadSeconds, 60, HOT_DEFAULTS.refreshAheadSeconds),
    autostartAgent: typeof s.autostartAgent === 'boolean' ? s.autostartAgent : HOT_DEFAULTS.autostartAgent,
    agentIdleSeconds: int(s.agentIdleSeconds, 10, HOT_DEFAULTS.agentIdleSeconds),
  };
}
