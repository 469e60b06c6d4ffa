// The window: sign-ins on the left, accounts and roles on the right, search on top, the default
// profile and live sessions below. Keyboard: type to search, arrows move, Enter starts, and the
// palette (Ctrl/Cmd+K) has every action.
import { useEffect, useMemo } from 'react';
import type { SignInView } from '../../src-shared/api';
import { getApi } from './api';
import { tickNow, useNow } from './clock';
import { DeviceCodeDialog, SignIns } from './components/SignIns';
import { FirstRun } from './components/FirstRun';
import { Palette } from './components/Palette';
import { ProfileList, withErrors } from './components/ProfileList';
import { createSearch, groupedItems, indexOf } from './model';
import { actions, follow, loadAll, useStore } from './store';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

function move(delta: number, names: string[]) {
  if (!names.length) return;
  const { selected } = useStore.getState();
  const i = selected ? names.indexOf(selected) : -1;
  const next = i < 0 ? (delta > 0 ? 0 : names.length - 1) : Math.max(0, Math.min(names.length - 1, i + delta));
  useStore.setState({ selected: names[next]! });
}

/** Single keys on the list (not in a text field): the row actions. */
function rowKey(key: string, name: string, live: boolean): boolean {
  const map: Record<string, () => unknown> = {
    Enter: () => (live ? actions.refresh(name) : actions.start(name)),
    x: () => actions.stop(name),
    c: () => actions.console(name),
    e: () => actions.copy(name, 'env'),
    p: () => actions.copy(name, 'credential-process'),
    d: () => actions.makeDefault(name),
  };
  const f = map[key];
  if (!f) return false;
  void f();
  return true;
}

/** Sessions live now: recounted each second on its own, so an expiry shows without re-rendering the window. */
function LiveCount() {
  const now = useNow();
  const profiles = useStore((s) => s.profiles);
  const ends = useMemo(() => profiles.flatMap((p) => (p.expiresAt ? [Date.parse(p.expiresAt)] : [])), [profiles]);
  return <span>{ends.filter((t) => t > now).length} live</span>;
}

/** Sign-ins, but no profile yet (a SAML integration before its first sign-in, an instance not synced): what to do, not a blank pane. */
function NoProfiles({ signIns }: { signIns: SignInView[] }) {
  const names = (xs: SignInView[]) => xs.map((x) => x.name).join(', ');
  const busy = signIns.filter((x) => x.state === 'signing-in' || x.state === 'refreshing');
  const ended = signIns.filter((x) => x.state === 'sign-in-required' && x.kind !== 'iam-user');
  const synced = signIns.filter((x) => x.kind === 'identity-center' && x.state === 'signed-in');
  const what = busy.length
    ? `Signing in to ${names(busy)}: its accounts and roles show here once that is done.`
    : ended.length
    ? `Sign in to ${names(ended)} (on the left) to see the accounts and roles it gives you.`
    : synced.length
      ? `Sync ${names(synced)} (on the left) to list the accounts and roles it gives you.`
      : 'Import your profiles from ~/.aws/config (on the left).';
  return (
    <p className="empty" role="status">
      No accounts or roles yet. {what}
    </p>
  );
}

export function App() {
  const { profiles, query, selected, loaded, error, rowErrors, paletteOpen, signIns, toast, editing } = useStore();
  useEffect(() => {
    let api;
    try {
      api = getApi();
    } catch (e) {
      useStore.setState({ error: e instanceof Error ? e.message : String(e), loaded: true });
      return;
    }
    useStore.setState({ api });
    const off = follow(api);
    void loadAll();
    // After sleep or a hidden spell, countdowns catch up at once and the list is read again.
    const wake = () => {
      if (document.visibilityState !== 'visible') return;
      tickNow();
      void loadAll();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('focus', wake);
    return () => {
      off();
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('focus', wake);
    };
  }, []);
  // Not deferred: with the narrowing search a keystroke's result fits in its own frame, and a
  // deferred render would paint it a frame later.
  const deferred = query;
  const search = useMemo(() => createSearch(() => indexOf(profiles)), [profiles]);
  const grouped = useMemo(() => groupedItems(profiles), [profiles]);
  const base = useMemo(() => (deferred.trim() ? search(deferred) : grouped), [deferred, search, grouped]);
  const items = useMemo(() => withErrors(base, rowErrors, editing), [base, rowErrors, editing]);
  // Made when the keyboard needs them, not on every keystroke (10,000 names for the first letter).
  const names = useMemo(() => {
    let made: string[] | undefined;
    return () => (made ??= base.flatMap((x) => (x.type === 'profile' ? [x.profile.name] : [])));
  }, [base]);
  const def = useMemo(() => profiles.find((p) => p.isDefault), [profiles]);

  // The search box takes the focus once the first list is on screen, not at mount: focusing
  // lays out the page then, and with the list's answer already in that delayed its first paint.
  useEffect(() => {
    if (!loaded) return;
    const t = requestAnimationFrame(() =>
      setTimeout(() => {
        if (document.activeElement === document.body) document.getElementById('search')?.focus();
      }, 0),
    );
    return () => cancelAnimationFrame(t);
  }, [loaded]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((isMac ? e.metaKey : e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        useStore.setState({ paletteOpen: !useStore.getState().paletteOpen });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const current = () => {
    const s = useStore.getState().selected;
    return s && names().includes(s) ? s : names()[0];
  };
  const liveOf = (n: string) => {
    const p = profiles.find((x) => x.name === n);
    return !!p?.expiresAt && Date.parse(p.expiresAt) > Date.now();
  };

  return (
    <div className="app">
      <header>
        <h1>Rolecall</h1>
        <input
          id="search"
          type="search"
          autoComplete="off"
          spellCheck={false}
          aria-label="Search accounts, roles, ids and aliases"
          placeholder="Search accounts, roles, ids…"
          value={query}
          onChange={(e) => useStore.setState({ query: e.target.value, selected: null })}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              move(e.key === 'ArrowDown' ? 1 : -1, names());
              e.preventDefault();
            } else if (e.key === 'Enter') {
              const n = current();
              if (n) rowKey('Enter', n, liveOf(n));
            } else if (e.key === 'Escape') useStore.setState({ query: '', selected: null });
          }}
        />
        <kbd className="hint" aria-hidden="true">
          {isMac ? '⌘K' : 'Ctrl+K'}
        </kbd>
        <button type="button" className="palette-button" onClick={() => useStore.setState({ paletteOpen: true })} aria-label="Open the command palette">
          Commands
        </button>
      </header>
      <div className="body">
        <SignIns />
        <main
          aria-label="Accounts and roles"
          onKeyDown={(e) => {
            if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'j' || e.key === 'k') {
              move(e.key === 'ArrowDown' || e.key === 'j' ? 1 : -1, names());
              e.preventDefault();
              return;
            }
            if (e.key === '/') {
              document.getElementById('search')?.focus();
              e.preventDefault();
              return;
            }
            const n = current();
            if (n && !(e.target instanceof HTMLButtonElement && e.key === 'Enter') && rowKey(e.key, n, liveOf(n))) e.preventDefault();
          }}
        >
          {error ? (
            <p className="banner" role="alert">
              {error}
            </p>
          ) : null}
          {loaded && !profiles.length && !signIns.length && !error ? <FirstRun /> : null}
          {loaded && !profiles.length && signIns.length > 0 && !error ? <NoProfiles signIns={signIns} /> : null}
          {loaded && query.trim() && !base.length ? <p className="empty">No account or role matches “{query}”.</p> : null}
          <ProfileList items={items} selected={selected} query={deferred} />
        </main>
      </div>
      <footer>
        <span>default profile: {def ? def.name : 'none'}</span>
        <span>{profiles.length} profiles</span>
        <LiveCount />
        <span className="toast" role="status" aria-live="polite">
          {toast}
        </span>
      </footer>
      <DeviceCodeDialog />
      {paletteOpen ? <Palette /> : null}
    </div>
  );
}
