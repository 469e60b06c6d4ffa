// The sign-ins column: each Identity Center instance, SAML and OIDC integration, AWS sign-in
// profile and IAM user with its state in words and its own countdown, "sign in again" as a button
// that does it, sync with progress, the add forms and settings; errors stay here.
import { memo, useState } from 'react';
import { AddAwsSignIn, AddOidc, AddSaml, AwsSignInAgain, SamlPaste, SettingsDialog } from './LazyForms';
import { ImportPanel } from './FirstRun';
import { signInActions } from './sign-in-actions';
import type { SignInView } from '../../../src-shared/api';
import { formatRemaining } from '../../../src-shared/countdown';
import { useNow } from '../clock';
import { actions, useStore } from '../store';

function StateWords({ s }: { s: SignInView }) {
  const now = useNow();
  if (s.kind === 'iam-user') return <span className="state">{s.detail ? 'access key, MFA' : 'access key'}</span>;
  if (s.state === 'signing-in') return <span className="state">{s.kind === 'saml' ? 'in the login window…' : 'waiting for you to approve…'}</span>;
  if (s.state === 'refreshing') return <span className="state">refreshing</span>;
  if (s.state === 'sign-in-required') return <span className="state warn">{s.kind === 'saml' ? 'no live session: sign in again' : 'signed out: sign in again'}</span>;
  const left = s.expiresAt ? formatRemaining(new Date(s.expiresAt), new Date(now)) : '';
  // SAML lasts as long as its roles' sessions; OIDC and aws-login renew with their refresh token.
  if (s.kind === 'saml') return <span className={`state${left === 'expired' ? ' warn' : ''}`}>{left === 'expired' ? 'sessions ended: sign in again' : `roles live, ${left} left`}</span>;
  if (!left) return <span className="state">signed in (renews on use)</span>;
  return <span className="state">{left === 'expired' ? 'signed in (renews on use)' : `signed in, ${left} left`}</span>;
}

const KIND_WORDS: Record<SignInView['kind'], string> = {
  'identity-center': 'Identity Center',
  'iam-user': 'IAM user',
  saml: 'SAML',
  oidc: 'OIDC',
  'aws-login': 'AWS sign-in',
};
const KIND_LABEL: Record<SignInView['kind'], string> = { ...KIND_WORDS, 'identity-center': 'IAM Identity Center' };

/** "Sign in again" for a SAML, OIDC or aws-login sign-in; Identity Center's buttons are below. */
function FederatedButtons({ s, onPaste }: { s: SignInView; onPaste: () => void }) {
  const loginWindow = useStore((x) => x.appInfo?.samlLoginWindow ?? false);
  const needs = s.state === 'sign-in-required';
  const label = needs ? 'Sign in again' : 'Sign in';
  if (s.state === 'signing-in') return null;
  if (s.kind === 'oidc') {
    return (
      <div className="buttons">
        <button type="button" className={needs ? 'primary' : ''} onClick={() => void signInActions.signInOidc(s.name)} aria-label={`${label} to ${s.name} with a device code`}>
          {label}
        </button>
      </div>
    );
  }
  if (s.kind === 'saml') {
    // In the desktop app the IdP's page opens in its login window; the web bridge pastes.
    return (
      <div className="buttons">
        {loginWindow ? (
          <button type="button" className={needs ? 'primary' : ''} onClick={() => void signInActions.signInSamlWindow(s.name)} aria-label={`${label} to ${s.name} in the login window`}>
            {label}
          </button>
        ) : null}
        <button type="button" className={needs && !loginWindow ? 'primary' : ''} onClick={onPaste} aria-label={`${label} to ${s.name} with a SAMLResponse`}>
          {loginWindow ? 'Paste a SAMLResponse' : label}
        </button>
      </div>
    );
  }
  return <AwsSignInAgain name={s.name} needs={needs} />;
}

function SignInItem({ s }: { s: SignInView }) {
  const error = useStore((x) => x.signInErrors[s.name]);
  const sync = useStore((x) => x.syncing[s.name]);
  const [pasting, setPasting] = useState(false);
  const ic = s.kind === 'identity-center';
  return (
    <li className={`signin${s.state === 'sign-in-required' ? ' needs' : ''}`} aria-label={`${s.name}, ${KIND_LABEL[s.kind]}`}>
      <div className="title">
        <span className="nm">{s.name}</span> <span className="kind">{KIND_WORDS[s.kind]}</span>
      </div>
      {s.detail && (s.kind === 'saml' || s.kind === 'oidc' || s.kind === 'aws-login') ? (
        <span className="detail" title={s.detail}>
          {s.kind === 'aws-login' ? `account ${s.detail}` : s.detail}
        </span>
      ) : null}
      <StateWords s={s} />
      {s.kind === 'saml' || s.kind === 'oidc' || s.kind === 'aws-login' ? (
        pasting ? (
          <SamlPaste name={s.name} onDone={() => setPasting(false)} />
        ) : (
          <FederatedButtons s={s} onPaste={() => setPasting(true)} />
        )
      ) : null}
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
/** The add forms in the column: one kind at a time, Identity Center first. */
function AddSignIn({ onDone }: { onDone: () => void }) {
  const [kind, setKind] = useState<'identity-center' | 'oidc' | 'saml' | 'aws-login'>('identity-center');
  return (
    <div className="add-signin">
      <div className="tabs" role="radiogroup" aria-label="Kind of sign-in">
        {(
          [
            ['identity-center', 'Identity Center'],
            ['oidc', 'OIDC'],
            ['saml', 'SAML'],
            ['aws-login', 'AWS sign-in'],
          ] as const
        ).map(([k, words]) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'on' : ''} onClick={() => setKind(k)}>
            {words}
          </button>
        ))}
      </div>
      {kind === 'identity-center' ? (
        <AddIdentityCenter onDone={onDone} />
      ) : kind === 'oidc' ? (
        <AddOidc onDone={onDone} />
      ) : kind === 'saml' ? (
        <AddSaml onDone={onDone} />
      ) : (
        <AddAwsSignIn onDone={onDone} />
      )}
    </div>
  );
}

export const SignIns = memo(function SignIns() {
  const signIns = useStore((s) => s.signIns);
  const addOpen = useStore((s) => s.addOpen);
  const [settings, setSettings] = useState(false);
  const [importing, setImporting] = useState(false);
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
        <AddSignIn onDone={() => useStore.setState({ addOpen: false, addError: null })} />
      ) : (
        <button type="button" className="wide" onClick={() => useStore.setState({ addOpen: true })}>
          + Add sign-in
        </button>
      )}
      <button type="button" className="wide settings-button" onClick={() => setImporting(true)}>
        Import ~/.aws/config
      </button>
      <button type="button" className="wide settings-button" onClick={() => setSettings(true)}>
        Settings
      </button>
      {importing ? (
        <div className="backdrop">
          <div className="dialog" role="dialog" aria-modal="true" aria-label="Import from ~/.aws/config">
            <ImportPanel onDone={() => setImporting(false)} />
          </div>
        </div>
      ) : null}
      {settings ? <SettingsDialog onClose={() => setSettings(false)} /> : null}
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
