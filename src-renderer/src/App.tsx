import { useEffect, useState } from 'react';
import { formatRemaining } from '../../src-shared/countdown';
import { getApi } from './api';
import { useProfiles } from './store';

export function App() {
  const api = getApi();
  const { profiles, error, rowErrors, load, start } = useProfiles();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    void load(api);
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, [api, load]);
  return (
    <main>
      <h1>Rolecall</h1>
      {error && <p role="alert">{error}</p>}
      <table aria-label="Profiles">
        <thead>
          <tr><th>Profile</th><th>Account</th><th>Role</th><th>Session</th><th>Actions</th></tr>
        </thead>
        <tbody>
          {profiles.map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td>{p.accountId ?? '-'}</td>
              <td>{p.roleName ?? '-'}</td>
              <td>{formatRemaining(p.expiresAt ? new Date(p.expiresAt) : null, now)}</td>
              <td>
                <button type="button" aria-label={`Start or refresh ${p.name}`} onClick={() => void start(api, p.name)}>Start</button>
                {rowErrors[p.name] && <span role="alert"> {rowErrors[p.name]}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
