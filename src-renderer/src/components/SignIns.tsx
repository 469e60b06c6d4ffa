// The sign-ins column: each Identity Center instance and IAM user with its state in words, "sign
// in again" as a button that does it, sync with progress, and the add form; errors stay here.
import { memo, useState } from 'react';
import type { SignInView } from '../../../src-shared/api';
import { formatRemaining } from '../../../src-shared/countdown';
import { useNow } from '../clock';
import { actions, useStore } from '../store';

function StateWords({ s }: { s: SignInView }) {
  const now = useNow();
  if (s.kind === 'iam-user') return <span className="state">{s.detail ? 'access key, MFA' : 'access key'}</span>;
  if (s.state === 'signing-in') return <span className="state">waiting for you to approve…</span>;
  if (s.state === 'refreshing') return <span className="state">refreshing</span>;
  if (s.state === 'sign-in-required') return <span className="state warn">signed out: sign in again</span>;
  const left = s.expiresAt ? formatRemaining(new Date(s.expiresAt), new Date(now)) : '';
  return <span className="state">{left === 'expired' ? 'signed in (renews on use)' : `signed in, ${left} left`}</span>;
}

function SignInItem({ s }: { s: SignInView }) {
  const error = useStore((x) => x.signInErrors[s.name]);
  const sync = useStore((x) => x.syncing[s.name]);
  const ic = s.kind === 'identity-center';
  return (
    <li className={`signin${s.state === 'sign-in-required' ? ' needs' : ''}`} aria-label={`${s.name}, ${ic ? 'IAM Identity Center' : 'IAM user'}`}>
      <div className="title">
        <span className="nm">{s.name}</span> <span className="kind">{ic ? 'Identity Center' : 'IAM user'}</span>
      </div>
      <StateWords s={s} />
      {ic ? (
        <div className="buttons">
          {s.state === 'sign-in-required' ? (
            <button type="button" className="primary" onClick={() => void actions.signIn(s.name)} aria-label={`Sign in again to ${s.name}`}>
              Sign in again
            </button>
          ) : s.state === 'signing-in' ? null : (
            <>
              <button type="button" onClick={() => void actions.sync(s.name)} disabled={!!sync} aria-label={`Sync accounts and roles of ${s.name}`}>
                {sync ? 'Syncing…' : 'Sync'}
              </button>
              <button type="button" onClick={() => void actions.signIn(s.name)} aria-label={`Sign in to ${s.name} afresh`}>
                Sign in
              </button>
            </>
          )}
        </div>
      ) : null}
      {sync ? (
        <div className="progress" role="status">
          {sync.listingDone ? `${sync.accountsDone} of ${sync.accounts} accounts` : `${sync.accounts} accounts so far`}, {sync.roles} roles
        </div>
      ) : null}
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
    </li>
  );
}

export function AddIdentityCenter({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [startUrl, setStartUrl] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const error = useStore((x) => x.addError);
  return (
    <form
      className="add"
      aria-label="Add IAM Identity Center"
      onSubmit={(e) => {
        e.preventDefault();
        void actions.signIn(name.trim(), startUrl.trim(), region.trim());
      }}
    >
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="acme" pattern="[A-Za-z0-9][A-Za-z0-9_.+@/-]*" />
      </label>
      <label>
        Start URL
        <input required type="url" value={startUrl} onChange={(e) => setStartUrl(e.target.value)} placeholder="https://acme.awsapps.com/start" />
      </label>
      <label>
        Region
        <input required value={region} onChange={(e) => setRegion(e.target.value)} pattern="[a-z]{2}(-[a-z]+)+-\d+" />
      </label>
      <div className="buttons">
        <button type="submit" className="primary">
          Sign in
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
    </form>
  );
}

/** Memoized: a keystroke in the search box re-renders the window, not this column. */
export const SignIns = memo(function SignIns() {
  const signIns = useStore((s) => s.signIns);
  const addOpen = useStore((s) => s.addOpen);
  return (
    <aside className="signins" aria-label="Sign-ins">
      <h2>Sign-ins</h2>
      <ul>
        {signIns.map((s) => (
          <SignInItem key={`${s.kind}:${s.name}`} s={s} />
        ))}
      </ul>
      {/* With no sign-ins yet the first-run panel holds the form. */}
      {addOpen && signIns.length ? (
        <AddIdentityCenter onDone={() => useStore.setState({ addOpen: false })} />
      ) : (
        <button type="button" className="wide" onClick={() => useStore.setState({ addOpen: true })}>
          + Add IAM Identity Center
        </button>
      )}
    </aside>
  );
});

/** The device-code dialog: the code to check and the page to open; closes itself once the sign-in ends. */
export const DeviceCodeDialog = memo(function DeviceCodeDialog() {
  const codes = useStore((s) => s.deviceCodes);
  const d = Object.values(codes)[0];
  if (!d) return null;
  const link = d.verificationUriComplete ?? d.verificationUri;
  return (
    <div className="backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="dc-title">
        <h2 id="dc-title">Sign in to {d.instance}</h2>
        <p>Open the sign-in page, check that it shows this code, and approve:</p>
        <p className="usercode" aria-label="User code">
          {d.userCode}
        </p>
        <p>
          <a href={link} target="_blank" rel="noopener noreferrer" autoFocus>
            Open the sign-in page
          </a>{' '}
          <span className="muted">({d.verificationUri})</span>
        </p>
        <p className="muted" role="status">
          Waiting for approval…
        </p>
        <button type="button" onClick={() => actions.cancelSignIn(d.instance)}>
          Cancel
        </button>
      </div>
    </div>
  );
});
