// The few settings the credential_process hot path reads from the state file without zod: what
// the user set when it is sound, the defaults for anything odd (the full core reports it).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOT_DEFAULTS, readHotSettings } from '../../../src-main/cli/hot/settings';
import { Settings } from '../../../src-shared/profile';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-hot-settings-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const read = async (text: string) => {
  const file = path.join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, text);
  return readHotSettings(file);
};

describe('readHotSettings', () => {
  it('uses the defaults the shared model has when there is no state file', async () => {
    expect(await readHotSettings(path.join(dir, 'missing.json'))).toEqual({ refreshAheadSeconds: 900, autostartAgent: true, agentIdleSeconds: 900 });
    const { refreshAheadSeconds, autostartAgent, agentIdleSeconds } = Settings.parse({});
    expect(HOT_DEFAULTS).toEqual({ refreshAheadSeconds, autostartAgent, agentIdleSeconds });
  });

  it.each<[string, unknown, Partial<typeof HOT_DEFAULTS>]>([
    ['what the user set', { refreshAheadSeconds: 300, autostartAgent: false, agentIdleSeconds: 60 }, { refreshAheadSeconds: 300, autostartAgent: false, agentIdleSeconds: 60 }],
    ['the smallest values allowed', { refreshAheadSeconds: 60, agentIdleSeconds: 10 }, { refreshAheadSeconds: 60, agentIdleSeconds: 10 }],
    ['values below the minimum', { refreshAheadSeconds: 59, agentIdleSeconds: 9 }, {}],
    ['fractions', { refreshAheadSeconds: 300.5, agentIdleSeconds: 60.5 }, {}],
    ['strings', { refreshAheadSeconds: '300', autostartAgent: 'false', agentIdleSeconds: '60' }, {}],
    ['nulls', { refreshAheadSeconds: null, autostartAgent: null, agentIdleSeconds: null }, {}],
    ['autostart off alone', { autostartAgent: false }, { autostartAgent: false }],
  ])('reads %s', async (_what, settings, expected) => {
    expect(await read(JSON.stringify({ version: 1, settings }))).toEqual({ ...HOT_DEFAULTS, ...expected });
  });

  it.each([['not JSON', '{"settings": '], ['no settings', '{"version":1}'], ['settings not an object', '{"settings": 5}'], ['settings null', '{"settings": null}'], ['null', 'null'], ['an array', '[1,2]']])(
    'falls back to the defaults for a state file that is %s',
    async (_what, text) => {
      expect(await read(text)).toEqual(HOT_DEFAULTS);
    },
  );
});
