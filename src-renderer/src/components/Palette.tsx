// The command palette (Ctrl/Cmd+K): every action, for the selected profile and for any profile
// the typed text finds, plus the sign-in actions; arrows move, Enter runs, Escape closes.
import { useMemo, useState } from 'react';
import { indexOf, matchScore, searchItems } from '../model';
import { actions, useStore } from '../store';

interface Command {
  id: string;
  label: string;
  run: () => void;
}

function profileCommands(name: string, live: boolean): Command[] {
  return [
    { id: `start:${name}`, label: `${live ? 'Refresh' : 'Start'} ${name}`, run: () => void (live ? actions.refresh(name) : actions.start(name)) },
    { id: `stop:${name}`, label: `Stop ${name}`, run: () => void actions.stop(name) },
    { id: `console:${name}`, label: `Open console for ${name}`, run: () => void actions.console(name) },
    { id: `env:${name}`, label: `Copy env for ${name}`, run: () => void actions.copy(name, 'env') },
    { id: `cp:${name}`, label: `Copy credential_process line for ${name}`, run: () => void actions.copy(name, 'credential-process') },
    { id: `default:${name}`, label: `Make ${name} the default profile`, run: () => void actions.makeDefault(name) },
    { id: `edit:${name}`, label: `Edit ${name} (alias, region)`, run: () => useStore.setState({ editing: name, selected: name }) },
  ];
}

export function Palette() {
  const [text, setText] = useState('');
  const [at, setAt] = useState(0);
  const { signIns, selected, profiles } = useStore();
  const close = () => useStore.setState({ paletteOpen: false });
  const commands = useMemo(() => {
    const out: Command[] = [];
    const q = text.trim().toLowerCase();
    const sel = profiles.find((p) => p.name === selected);
    const liveOf = (n: string) => {
      const p = profiles.find((x) => x.name === n);
      return !!p?.expiresAt && Date.parse(p.expiresAt) > Date.now();
    };
    if (sel) out.push(...profileCommands(sel.name, liveOf(sel.name)));
    for (const s of signIns) {
      if (s.kind !== 'identity-center') continue;
      out.push({ id: `signin:${s.name}`, label: `Sign in to ${s.name}`, run: () => void actions.signIn(s.name) });
      out.push({ id: `sync:${s.name}`, label: `Sync ${s.name}`, run: () => void actions.sync(s.name) });
    }
    out.push({ id: 'add', label: 'Add IAM Identity Center', run: () => useStore.setState({ addOpen: true }) });
    out.push({ id: 'search', label: 'Search accounts and roles', run: () => document.getElementById('search')?.focus() });
    const filtered = q ? out.filter((c) => matchScore(c.label.toLowerCase(), q) >= 0) : out;
    if (q) {
      // "stop prod": the profiles "prod" finds, with their commands that match the whole text.
      const seen = new Set([sel?.name]);
      const rest = q.split(/\s+/).slice(1).join(' ');
      for (const [query, keep] of [[q, () => true], [rest, (c: Command) => matchScore(c.label.toLowerCase(), q) >= 0]] as const) {
        if (!query) continue;
        for (const it of searchItems(indexOf(profiles), query, 5)) {
          if (it.type !== 'profile' || seen.has(it.profile.name)) continue;
          const cmds = profileCommands(it.profile.name, liveOf(it.profile.name)).filter(keep);
          if (cmds.length) seen.add(it.profile.name);
          filtered.push(...cmds);
        }
      }
    }
    return filtered.slice(0, 60);
  }, [text, signIns, selected, profiles]);
  const current = Math.min(at, Math.max(0, commands.length - 1));
  const run = (c: Command | undefined) => {
    if (!c) return;
    close();
    c.run();
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="dialog palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <input
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={commands[current] ? `cmd-${current}` : undefined}
          aria-label="Type a command or a profile"
          placeholder="Type a command or a profile…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setAt(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setAt(Math.min(current + 1, commands.length - 1));
            else if (e.key === 'ArrowUp') setAt(Math.max(current - 1, 0));
            else if (e.key === 'Enter') run(commands[current]);
            else if (e.key === 'Escape') close();
            else return;
            e.preventDefault();
          }}
        />
        <ul id="palette-list" role="listbox" aria-label="Commands">
          {commands.map((c, i) => (
            <li key={c.id} id={`cmd-${i}`} role="option" aria-selected={i === current} className={i === current ? 'current' : ''} onMouseDown={() => run(c)}>
              {c.label}
            </li>
          ))}
          {!commands.length ? <li className="muted">Nothing matches</li> : null}
        </ul>
      </div>
    </div>
  );
}
