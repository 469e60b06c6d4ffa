import { create } from 'zustand';
import type { ProfileView, RolecallApi } from '../../src-shared/api';

interface ProfilesState {
  profiles: ProfileView[];
  error: string | null;
  /** Per-row errors stay on the row. */
  rowErrors: Record<string, string>;
  load(api: RolecallApi): Promise<void>;
  start(api: RolecallApi, name: string): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useProfiles = create<ProfilesState>((set, get) => ({
  profiles: [],
  error: null,
  rowErrors: {},
  async load(api) {
    try {
      set({ profiles: await api.listProfiles(), error: null });
    } catch (e) {
      set({ error: message(e) });
    }
  },
  async start(api, name) {
    try {
      const view = await api.startSession(name);
      const { [name]: _dropped, ...rest } = get().rowErrors;
      set({ profiles: get().profiles.map((p) => (p.name === name ? view : p)), rowErrors: rest });
    } catch (e) {
      set({ rowErrors: { ...get().rowErrors, [name]: message(e) } });
    }
  },
}));
