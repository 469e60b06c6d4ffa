// The window's state (zustand): profiles and sign-ins as the core reports them, what is in
// flight, and errors kept where they happened (per row, per sign-in), never blanking the window.
import { create } from 'zustand';
// (putProfile re-indexes, so an alias is searchable at once.)
import type { DeviceCodeView, ProfileRow, RolecallApi, SignInView } from '../../src-shared/api';
import { indexOf, indexSome, searchItems } from './model';
import { loadForms } from './forms';
import { whenIdle } from './idle';
import { takeEarlyProfiles } from './prefetch';

export type RowError = { message: string; code?: string };
export interface SyncProgress {
  accounts: number;
  accountsDone: number;
  roles: number;
  listingDone: boolean;
}

interface State {
  api: RolecallApi | null;
  profiles: ProfileRow[];
  signIns: SignInView[];
  loaded: boolean;
  error: string | null;
  rowErrors: Record<string, RowError>;
  signInErrors: Record<string, string>;
  /** The add form's error: a new instance whose first sign-in failed has no entry to hold it. */
  addError: string | null;
  busy: Record<string, string>;
  deviceCodes: Record<string, DeviceCodeView>;
  syncing: Record<string, SyncProgress>;
  toast: string | null;
  query: string;
  selected: string | null;
  paletteOpen: boolean;
  addOpen: boolean;
  /** The profile whose edit row is open. */
  editing: string | null;
  /** What this face offers (appInfo), once known. */
  appInfo: { demo: boolean; samlLoginWindow: boolean; cliLink: boolean } | null;
}

export const useStore = create<State>(() => ({
  api: null,
  profiles: [],
  signIns: [],
  loaded: false,
  error: null,
  rowErrors: {},
  signInErrors: {},
  addError: null,
  busy: {},
  deviceCodes: {},
  syncing: {},
  toast: null,
  query: '',
  selected: null,
  paletteOpen: false,
  addOpen: false,
  editing: null,
  appInfo: null,
}));

const set = useStore.setState;
const get = useStore.getState;
/** An Error, or the plain {message, code} the preload rejects with (contextBridge would drop an Error's code). */
const errorOf = (e: unknown): RowError => {
  const o = typeof e === 'object' && e !== null ? (e as { message?: unknown; code?: unknown }) : {};
  return { message: typeof o.message === 'string' ? o.message : String(e), code: typeof o.code === 'string' ? o.code : undefined };
};
const without = <T,>(o: Record<string, T>, k: string) => {
  const { [k]: _drop, ...rest } = o;
  return rest;
};

let toastTimer: ReturnType<typeof setTimeout> | undefined;
export function toast(text: string): void {
  set({ toast: text });
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => set({ toast: null }), 4000);
}

/** New profiles on screen at once; their search index is built just after, off the first paint's path. */
function setProfiles(profiles: ProfileRow[], more: Partial<State> = {}): void {
  set({ profiles, ...more });
  // After the list's paint, then in idle time, a slice at a time (a timer could fire between the
  // list's render and its paint, or under the first keystroke; and the browser may find idle time
  // before React has even rendered); the first search builds what is left, if anything is.
  // Then a throw-away search over part of it, so the first letter typed runs compiled code
  // (cold, it took twice as long: 25-30 ms with 10,000 profiles).
  const step = (deadline?: IdleDeadline) => {
    if (get().profiles !== profiles) return;
    if (!indexSome(profiles, () => !!deadline && deadline.timeRemaining() > 3)) return whenIdle(step, 2000);
    searchItems(indexOf(profiles).slice(0, 2000), 'a rd', 1);
  };
  void afterPaint().then(() => whenIdle(step, 2000));
}

/** Once the next frame is painted, or after 100 ms: a hidden window (started at login) paints no frames. */
const afterPaint = () =>
  new Promise<void>((r) => {
    requestAnimationFrame(() => setTimeout(r, 0));
    setTimeout(r, 100);
  });

function putProfile(view: ProfileRow): void {
  setProfiles(get().profiles.map((p) => (p.name === view.name ? view : p)));
}

let primed: Promise<boolean> | undefined;

/**
 * The list's early answer (prefetch.ts) put in the store before the window's first render, if it
 * comes within `withinMs`: the first render, layout and frame are then the list's, instead of an
 * empty window's followed by the list's (cold, each took 20-30 ms, and the list's waited for the
 * empty window's frame). loadAll takes what this brings.
 */
export async function primeProfiles(api: RolecallApi, withinMs: number): Promise<void> {
  // The first render's components may call the API from their effects, which run before App's.
  set({ api });
  // Whatever goes wrong here, loadAll asks again through the API, which reports it.
  primed ??= takeEarlyProfiles(api)
    .then((profiles) => {
      if (profiles) setProfiles(profiles, { loaded: true, error: null });
      return !!profiles;
    })
    .catch(() => false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([primed, new Promise((r) => (timer = setTimeout(r, withinMs)))]);
  clearTimeout(timer);
}

export async function loadAll(): Promise<void> {
  const api = get().api!;
  // Profiles first, alone: the list paints as soon as they are in (the core answers one call at a
  // time), the sign-ins column a moment later.
  try {
    const early = primed;
    primed = undefined;
    if (!(await early)) setProfiles((await takeEarlyProfiles(api)) ?? (await api.listProfiles()), { loaded: true, error: null });
    // Asked once the list is painted, so the core's work for it does not compete with that paint.
    await afterPaint();
    // The zod-checked forms in idle time: compiling them right after the paint held up the first keystrokes.
    whenIdle(() => void loadForms().catch(() => undefined), 500);
    set({ signIns: await api.listSignIns() });
    if (!get().appInfo) set({ appInfo: await api.appInfo() });
  } catch (e) {
    set({ error: errorOf(e).message, loaded: true });
  }
}

/** Runs a row action, keeping its error on the row; `label` shows while it runs. */
async function onRow<T>(name: string, label: string, fn: (api: RolecallApi) => Promise<T>): Promise<T | undefined> {
  const api = get().api!;
  set({ busy: { ...get().busy, [name]: label }, rowErrors: without(get().rowErrors, name) });
  try {
    return await fn(api);
  } catch (e) {
    const err = errorOf(e);
    set({ rowErrors: { ...get().rowErrors, [name]: err } });
    // The sign-in behind it ended: the sign-ins column shows "sign in again" now, not at the next look.
    if (err.code === 'sign-in-required') void loadAll();
    return undefined;
  } finally {
    set({ busy: without(get().busy, name) });
  }
}

export const actions = {
  start: (name: string, mfaCode?: string) =>
    onRow(name, 'starting', async (api) => {
      const view = await api.startSession(name, mfaCode ? { mfaCode } : {});
      putProfile(view);
    }),
  refresh: (name: string) =>
    onRow(name, 'refreshing', async (api) => {
      putProfile(await api.startSession(name, { forceRefresh: true }));
    }),
  stop: (name: string) =>
    onRow(name, 'stopping', async (api) => {
      await api.stopSession(name);
      const p = get().profiles.find((x) => x.name === name);
      if (p) putProfile({ ...p, expiresAt: null, refreshAt: null });
    }),
  console: (name: string) => {
    // Opened now, inside the click, so no popup blocker stops it; pointed at the one-time link once it exists.
    const tab = get().api === window.rolecall ? null : window.open('about:blank', '_blank');
    return onRow(name, 'opening console', async (api) => {
      try {
        const r = await api.openConsole(name);
        if (r.redirectUrl && tab) tab.location.href = r.redirectUrl;
        else tab?.close();
        toast(r.description);
      } catch (e) {
        tab?.close();
        throw e;
      }
    });
  },
  copy: (name: string, what: 'env' | 'credential-process') =>
    onRow(name, 'copying', async (api) => {
      const r = await api.copy(name, what);
      if (r.text !== null) await navigator.clipboard?.writeText(r.text).catch(() => undefined);
      toast(`Copied ${r.description}`);
    }),
  makeDefault: (name: string) =>
    onRow(name, 'making default', async (api) => {
      const r = await api.makeDefault(name);
      setProfiles(get().profiles.map((p) => ({ ...p, isDefault: p.name === name })));
      toast(r.message);
    }),
  favorite: (name: string, favorite: boolean) =>
    onRow(name, favorite ? 'adding to favorites' : 'removing from favorites', async (api) => putProfile(await api.setFavorite(name, favorite))),
  edit: (name: string, edit: { alias: string | null; region: string | null }) =>
    onRow(name, 'saving', async (api) => {
      putProfile(await api.editProfile(name, edit));
      set({ editing: null });
      toast(`Saved ${name}`);
    }),
  dismissError: (name: string) => set({ rowErrors: without(get().rowErrors, name) }),

  async signIn(name: string, startUrl?: string, region?: string): Promise<boolean> {
    const api = get().api!;
    const known = get().signIns.some((s) => s.name === name);
    set({ signInErrors: without(get().signInErrors, name), addError: null, ...(known ? {} : { addOpen: false }) });
    try {
      const view = await api.signIn({ name, ...(startUrl ? { startUrl } : {}), ...(region ? { region } : {}) });
      putSignIn(view);
      toast(`Signed in to ${name}`);
      // A new instance has no profiles yet: fetch its accounts and roles at once.
      if (!get().profiles.some((p) => p.source === name)) await actions.sync(name);
      return true;
    } catch (e) {
      const message = errorOf(e).message;
      set(known ? { signInErrors: { ...get().signInErrors, [name]: message } } : { addError: message, addOpen: true });
      void loadAll();
      return false;
    }
  },
  cancelSignIn: (name: string) => void get().api!.cancelSignIn(name),
  async sync(name: string): Promise<void> {
    const api = get().api!;
    set({ syncing: { ...get().syncing, [name]: { accounts: 0, accountsDone: 0, roles: 0, listingDone: false } }, signInErrors: without(get().signInErrors, name) });
    try {
      const r = await api.sync(name);
      // The result replaces the progress at once: the list's reload below follows in its own time.
      set({ syncing: without(get().syncing, name) });
      toast(`Synced ${name}: ${r.accounts} accounts, ${r.roles} roles (${r.added} new, ${r.removed} removed)`);
      await loadAll();
    } catch (e) {
      set({ signInErrors: { ...get().signInErrors, [name]: errorOf(e).message } });
      void loadAll();
    } finally {
      set({ syncing: without(get().syncing, name) });
    }
  },
};

function putSignIn(view: SignInView): void {
  const list = get().signIns;
  set({ signIns: list.some((s) => s.name === view.name) ? list.map((s) => (s.name === view.name ? view : s)) : [...list, view] });
}

/** Follows the core's events: sessions, sign-in states, device codes, sync progress. */
export function follow(api: RolecallApi): () => void {
  const offs = [
    api.onSessionChanged(({ profile, expiresAt }) => {
      const p = get().profiles.find((x) => x.name === profile);
      if (p && p.expiresAt !== expiresAt) putProfile({ ...p, expiresAt });
    }),
    api.onSignInChanged(putSignIn),
    api.onDeviceCode((d) => set({ deviceCodes: d.done ? without(get().deviceCodes, d.instance) : { ...get().deviceCodes, [d.instance]: d } })),
    api.onSyncProgress(({ instance, ...p }) => set({ syncing: { ...get().syncing, [instance]: p } })),
    api.onProfilesChanged(() => void loadAll()),
    api.onNotice(({ message }) => toast(message)),
  ];
  return () => offs.forEach((off) => off());
}
