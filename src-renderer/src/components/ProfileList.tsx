// The accounts-and-roles list, virtualized (only the rows on screen exist, so 10,000 roles cost
// what 30 do): fixed-height rows, errors and the MFA prompt as rows of their own under the
// profile they belong to.
import { memo, useEffect, useRef, useState } from 'react';
import type { ProfileRow } from '../../../src-shared/api';
import type { Item } from '../model';
import { actions, useStore, type RowError } from '../store';
import { Countdown } from './Countdown';

export const ROW_H = 36;
const OVERSCAN = 2;

export type ListItem = Item | { type: 'error'; key: string; name: string; error: RowError } | { type: 'edit'; key: string; profile: ProfileRow };

/** The list with a row under a profile for its error and, while it is edited, its edit form. */
export function withErrors(items: Item[], errors: Record<string, RowError>, editing: string | null = null): ListItem[] {
  if (!Object.keys(errors).length && !editing) return items;
  const out: ListItem[] = [];
  // Under the profile's first row only: it may also be listed under Favorites or Recent.
  const placed = new Set<string>();
  for (const it of items) {
    out.push(it);
    if (it.type !== 'profile' || placed.has(it.profile.name)) continue;
    placed.add(it.profile.name);
    if (it.profile.name === editing) out.push({ type: 'edit', key: `ed:${it.key}`, profile: it.profile });
    if (errors[it.profile.name]) out.push({ type: 'error', key: `e:${it.key}`, name: it.profile.name, error: errors[it.profile.name]! });
  }
  return out;
}

function EditRow({ p }: { p: ProfileRow }) {
  const [alias, setAlias] = useState(p.alias ?? '');
  const [region, setRegion] = useState(p.region ?? '');
  const close = () => useStore.setState({ editing: null });
  return (
    <form
      className="edit-row"
      aria-label={`Edit ${p.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void actions.edit(p.name, { alias: alias.trim() || null, region: region.trim() || null });
      }}
      onKeyDown={(e) => e.key === 'Escape' && close()}
    >
      <label>
        Alias
        <input autoFocus value={alias} maxLength={128} onChange={(e) => setAlias(e.target.value)} placeholder={p.name} />
      </label>
      <label>
        Region
        <input value={region} onChange={(e) => setRegion(e.target.value)} placeholder="inherited" pattern="[a-z]{2}(-[a-z]+)+-\d+" />
      </label>
      <button type="submit" className="primary">
        Save
      </button>
      <button type="button" onClick={close}>
        Cancel
      </button>
    </form>
  );
}

const label = (p: ProfileRow) => p.alias ?? (p.kind === 'sso-role' ? p.roleName : p.name) ?? p.name;

/**
 * Start/Refresh on every row; the other actions on the selected row and the one under the mouse
 * only: a calmer list, and a keystroke that changes the rows on screen rebuilds a button per row,
 * not eight (the first letter of a search replaces them all).
 */
const Actions = memo(function Actions({ p, expanded }: { p: ProfileRow; expanded: boolean }) {
  const busy = useStore((s) => s.busy[p.name]);
  const live = p.expiresAt !== null && Date.parse(p.expiresAt) > Date.now();
  return (
    <span className="actions">
      {busy ? (
        <span className="busy" role="status">
          {busy}…
        </span>
      ) : null}
      <button type="button" className="primary" aria-label={`${live ? 'Refresh' : 'Start'} ${p.name}`} onClick={() => void (live ? actions.refresh(p.name) : actions.start(p.name))} disabled={!!busy}>
        {live ? 'Refresh' : 'Start'}
      </button>
      {expanded ? <MoreActions p={p} live={live} busy={!!busy} /> : null}
    </span>
  );
});

function MoreActions({ p, live, busy }: { p: ProfileRow; live: boolean; busy: boolean }) {
  return (
    <>
      <button type="button" aria-label={`Stop ${p.name}`} onClick={() => void actions.stop(p.name)} disabled={!live || busy}>
        Stop
      </button>
      <button type="button" aria-label={`Open console for ${p.name}`} onClick={() => void actions.console(p.name)} disabled={busy}>
        Console
      </button>
      <button type="button" aria-label={`Copy env for ${p.name}`} onClick={() => void actions.copy(p.name, 'env')}>
        Env
      </button>
      <button type="button" aria-label={`Copy credential_process line for ${p.name}`} onClick={() => void actions.copy(p.name, 'credential-process')}>
        Process
      </button>
      <button type="button" aria-label={p.isDefault ? `${p.name} is the default profile` : `Make ${p.name} the default profile`} aria-pressed={p.isDefault} onClick={() => void actions.makeDefault(p.name)}>
        {p.isDefault ? 'Default ✓' : 'Default'}
      </button>
      <button type="button" aria-label={`Edit ${p.name}`} onClick={() => useStore.setState({ editing: p.name })}>
        Edit
      </button>
      <button type="button" className="star" aria-label={p.favorite ? `Remove ${p.name} from favorites` : `Add ${p.name} to favorites`} aria-pressed={p.favorite} onClick={() => void actions.favorite(p.name, !p.favorite)}>
        {p.favorite ? '★' : '☆'}
      </button>
    </>
  );
}

function MfaForm({ name }: { name: string }) {
  const [code, setCode] = useState('');
  return (
    <form
      className="mfa"
      onSubmit={(e) => {
        e.preventDefault();
        if (/^\d{6}$/.test(code)) void actions.start(name, code);
      }}
    >
      <label>
        MFA code for {name}
        <input autoFocus inputMode="numeric" pattern="\d{6}" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} aria-label={`MFA code for ${name}`} />
      </label>
      <button type="submit">Continue</button>
    </form>
  );
}

function ErrorRow({ item }: { item: Extract<ListItem, { type: 'error' }> }) {
  const ended = useStore((s) => (item.error.code === 'sign-in-required' ? s.signIns.find((x) => x.state === 'sign-in-required') : undefined));
  const needsMfa = item.error.code === 'mfa-required';
  // The core's hint names the CLI command; in the window the fix is the button beside it.
  const text = ended ? `${item.error.message.split(';')[0]}.` : item.error.message;
  return (
    <div className="row-error" role="alert">
      {needsMfa ? <MfaForm name={item.name} /> : <span className="msg" title={item.error.message}>{text}</span>}
      {ended ? (
        <button type="button" className="primary" onClick={() => void actions.signIn(ended.name).then((ok) => ok && actions.dismissError(item.name))} aria-label={`Sign in again to ${ended.name}`}>
          Sign in again
        </button>
      ) : null}
      <button type="button" className="link" aria-label={`Dismiss the error of ${item.name}`} onClick={() => actions.dismissError(item.name)}>
        Dismiss
      </button>
    </div>
  );
}

const Row = memo(function Row({ item, selected, hovered, onHover }: { item: ListItem; selected: boolean; hovered: boolean; onHover: (name: string) => void }) {
  if (item.type === 'section') return <div className="section" role="heading" aria-level={2}>{item.label}</div>;
  if (item.type === 'account') {
    // The label is "name  id" when the account's name is known: the id in a quieter voice.
    const name = item.accountId && item.label !== item.accountId && item.label.endsWith(item.accountId) ? item.label.slice(0, -item.accountId.length).trim() : item.label;
    return (
      <div className="account" role="heading" aria-level={2}>
        <span className="swatch" style={{ background: item.color }} aria-hidden="true" />
        {name}
        {/* Spaces in the text, not only in the layout: a screen reader reads the heading as one line. */}
        {name !== item.label ? <span className="id"> {item.accountId}</span> : null}
        <span className="count"> {item.count === 1 ? '1 profile' : `${item.count} profiles`}</span>
      </div>
    );
  }
  if (item.type === 'error') return <ErrorRow key={item.key} item={item} />;
  if (item.type === 'edit') return <EditRow key={item.key} p={item.profile} />;
  const p = item.profile;
  return (
    <div
      className={`profile${selected ? ' selected' : ''}`}
      data-profile={p.name}
      aria-current={selected ? 'true' : undefined}
      onClick={() => useStore.setState({ selected: p.name })}
      onMouseEnter={() => onHover(p.name)}
      // Tabbing onto a row's button makes it the selected row, with its other actions.
      onFocus={() => !selected && useStore.setState({ selected: p.name })}
    >
      <span className="name" style={{ paddingLeft: 8 + item.depth * 18 }}>
        {item.depth > 0 ? <span aria-hidden="true">↳ </span> : null}
        <span className="role">{label(p)}</span>
        {item.showAccount && p.accountId ? <span className="acct">{p.accountName ?? p.accountId}</span> : null}
        {/* AWS caps a session made from a role's session at one hour (role chaining); a first hop from keys is not capped. */}
        {p.chainDepth > 0 ? <span className="tag">chained, {p.chainDepth + 1} role hops, 1h cap</span> : p.kind === 'assume-role' && p.source ? <span className="tag">via {p.source}</span> : null}
        {p.kind === 'iam-user' ? <span className="tag">IAM user</span> : null}
        {/* Seen on every row, not only in the selected row's Default button. */}
        {p.isDefault ? <span className="tag default">default</span> : null}
      </span>
      <Countdown expiresAt={p.expiresAt} refreshAt={p.refreshAt} />
      <Actions p={p} expanded={selected || hovered} />
    </div>
  );
});

/** `query`: the search the list shows (data-query), so a test or the bench sees when a keystroke's result is on screen. */
export function ProfileList({ items, selected, query }: { items: ListItem[]; selected: string | null; query: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  // The window's height until the list's own is known: enough rows for any list in it. The list's
  // height comes from the ResizeObserver, which reports it after the first frame's layout; asked
  // for at mount, it forced that first (cold) layout inside React's render, and again in the frame.
  const [height, setHeight] = useState(() => window.innerHeight);
  const [hover, setHover] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // Keep the selected row in view as the keyboard moves it.
  useEffect(() => {
    const el = ref.current;
    if (!el || !selected) return;
    const i = items.findIndex((x) => x.type === 'profile' && x.profile.name === selected);
    if (i < 0) return;
    if (i * ROW_H < el.scrollTop) el.scrollTop = i * ROW_H;
    else if ((i + 1) * ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * ROW_H - el.clientHeight;
  }, [selected, items]);
  const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((top + height) / ROW_H) + OVERSCAN);
  const visible = items.slice(first, last);
  return (
    <div className="list" data-query={query} ref={ref} onScroll={(e) => setTop(e.currentTarget.scrollTop)} onMouseLeave={() => setHover(null)} tabIndex={-1}>
      <div style={{ height: items.length * ROW_H, position: 'relative' }} role="list" aria-label="Accounts and roles">
        {/* Slots keyed by position: a keystroke that changes the rows updates the slots' DOM in
            place instead of unmounting and mounting 30 rows of buttons (rows with their own state,
            the MFA and edit forms, are keyed by their item). */}
        {visible.map((item, i) => (
          <div key={first + i} role="listitem" className="slot" style={{ transform: `translateY(${(first + i) * ROW_H}px)` }}>
            <Row item={item} selected={item.type === 'profile' && item.profile.name === selected} hovered={item.type === 'profile' && item.profile.name === hover} onHover={setHover} />
          </div>
        ))}
      </div>
    </div>
  );
}
