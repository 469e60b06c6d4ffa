import { describe, expect, it } from 'vitest';
import type { CoreApi } from '../../../src-main/core/api';
import { Coalescer, keepAwsConfigWritten } from '../../../src-main/core/aws-config-follow';

describe('Coalescer', () => {
  it('runs once per burst, never two at once, and once more for a trigger that came while it ran', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let release: () => void = () => undefined;
    const c = new Coalescer(async () => {
      running++;
      most = Math.max(most, running);
      runs++;
      await new Promise<void>((r) => (release = r));
      running--;
    });
    const first = c.trigger();
    for (let i = 0; i < 10; i++) void c.trigger();
    release();
    await new Promise((r) => setTimeout(r, 10));
    release();
    await first;
    expect(runs).toBe(2);
    expect(most).toBe(1);
    // After the burst, a new trigger runs again.
    const later = c.trigger();
    release();
    await later;
    expect(runs).toBe(3);
  });
});

describe('keepAwsConfigWritten', () => {
  /** The parts of the API it uses: the setting, saveSettings, and profilesChanged. */
  function fakeApi(writeAwsConfig: boolean) {
    const listeners: (() => void)[] = [];
    const settings = { writeAwsConfig };
    const api = {
      getSettings: async () => ({ ...settings }),
      saveSettings: async (edit: { writeAwsConfig?: boolean }) => Object.assign(settings, edit),
      onProfilesChanged: (l: () => void) => (listeners.push(l), () => undefined),
    };
    return { api: api as unknown as CoreApi, changed: () => listeners.forEach((l) => l()) };
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));

  it('writes after a change of profiles only while the setting is on, and at once when it is turned on', async () => {
    const { api, changed } = fakeApi(false);
    let writes = 0;
    keepAwsConfigWritten(api, async () => writes++, () => undefined);
    changed();
    await settle();
    expect(writes).toBe(0);
    await api.saveSettings({ writeAwsConfig: true });
    await settle();
    expect(writes).toBe(1);
    changed();
    await settle();
    expect(writes).toBe(2);
    // Saving another setting writes nothing.
    await api.saveSettings({});
    await settle();
    expect(writes).toBe(2);
  });

  it('hands a failed write to onError and tries again at the next change', async () => {
    const { api, changed } = fakeApi(true);
    const errors: unknown[] = [];
    let fail = true;
    let writes = 0;
    keepAwsConfigWritten(
      api,
      async () => {
        if (fail) throw new Error('the disk is full (ENOSPC)');
        writes++;
      },
      (e) => errors.push(e),
    );
    changed();
    await settle();
    expect(errors).toHaveLength(1);
    fail = false;
    changed();
    await settle();
    expect(writes).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
