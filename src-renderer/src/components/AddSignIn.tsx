// The add forms for OIDC and SAML integrations and AWS sign-ins, the SAMLResponse paste and the AWS sign-in code. The web bridge has no
// login window to capture a SAML sign-in, so the person pastes the SAMLResponse their IdP posted
// (as `rolecall login saml --saml-response-file` takes it): it goes to the core only, the field
// is emptied once sent, and nothing of it comes back.
import { useState } from 'react';
import { AwsSignInAddRequest, OidcAddRequest, SamlAddRequest, SamlResponseText } from '../../../src-shared/api';
import { useStore } from '../store';
import { issueOf, messageOf, signInActions } from './sign-in-actions';

function AddError({ local }: { local: string | null }) {
  const error = useStore((x) => x.addError);
  const shown = local ?? error;
  return shown ? (
    <div className="error" role="alert">
      {shown}
    </div>
  ) : null;
}

export function AddOidc({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [roles, setRoles] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  return (
    <form
      className="add"
      aria-label="Add an OIDC provider"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const req = { name: name.trim(), issuer: issuer.trim(), clientId: clientId.trim(), roleArns: roles.split(/[\s,]+/).filter(Boolean) };
        const checked = OidcAddRequest.safeParse(req);
        if (!checked.success) return setLocal(issueOf(checked.error, { name: 'Name', issuer: 'Issuer', clientId: 'Client id', roleArns: 'Role ARNs' }));
        setLocal(null);
        void signInActions.addOidc(checked.data);
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="okta" />
      </label>
      <label>
        Issuer
        <input type="url" value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://acme.okta.com" />
      </label>
      <label>
        Client id
        <input value={clientId} onChange={(e) => setClientId(e.target.value)} placeholder="0oa1b2c3d4" />
      </label>
      <label>
        Role ARNs (one a line)
        <textarea rows={3} value={roles} onChange={(e) => setRoles(e.target.value)} placeholder="arn:aws:iam::123456789012:role/Developer" />
      </label>
      <div className="buttons">
        <button type="submit" className="primary">
          Add and sign in
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <AddError local={local} />
    </form>
  );
}

export function AddSaml({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const desktop = useStore((x) => x.api) === window.rolecall && !!window.rolecall;
  return (
    <form
      className="add"
      aria-label="Add a SAML identity provider"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const checked = SamlAddRequest.safeParse({ name: name.trim(), url: url.trim() });
        if (!checked.success) return setLocal(issueOf(checked.error, { name: 'Name', url: 'IdP sign-in URL' }));
        setLocal(null);
        void signInActions.addSaml(checked.data).then((ok) => ok && onDone());
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="corp" />
      </label>
      <label>
        IdP sign-in URL
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://idp.example/app/aws/sso" />
      </label>
      <p className="hint-line">{desktop ? 'Sign in after adding it.' : 'In this browser window you sign in by pasting the SAMLResponse your IdP posts to AWS.'}</p>
      <div className="buttons">
        <button type="submit" className="primary">
          Add
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <AddError local={local} />
    </form>
  );
}

export function SamlPaste({ name, onDone }: { name: string; onDone: () => void }) {
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="add paste"
      aria-label={`Sign in to ${name} with a SAMLResponse`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const checked = SamlResponseText.safeParse(text);
        if (!checked.success) return setLocal(issueOf(checked.error));
        setLocal(null);
        setText(''); // the assertion stays in the page no longer than it must
        setBusy(true);
        void signInActions.signInSaml(name, checked.data).then((ok) => {
          setBusy(false);
          if (ok) onDone();
        });
      }}
    >
      <label>
        SAMLResponse (base64, from your IdP&apos;s post to AWS)
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoComplete="off" />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {local ? (
        <div className="error" role="alert">
          {local}
        </div>
      ) : null}
    </form>
  );
}

/**
 * AWS sign-in again, cross device: the page cannot receive the loopback redirect the CLI uses, so
 * the person opens the sign-in page and pastes the code it shows (as `rolecall login aws --remote`).
 */
export function AwsSignInAgain({ name, needs }: { name: string; needs: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = needs ? 'Sign in again' : 'Sign in';
  if (!url) {
    return (
      <>
        <div className="buttons">
          <button
            type="button"
            className={needs ? 'primary' : ''}
            disabled={busy}
            aria-label={`${label} to AWS as ${name}`}
            onClick={() => {
              setBusy(true);
              setError(null);
              signInActions.startAwsSignIn(name).then(
                (u) => (setBusy(false), setUrl(u)),
                (e) => (setBusy(false), setError(messageOf(e))),
              );
            }}
          >
            {label}
          </button>
        </div>
        {error ? (
          <div className="error" role="alert">
            {error}
          </div>
        ) : null}
      </>
    );
  }
  return <AwsCodeForm name={name} url={url} onEnd={() => setUrl(null)} />;
}

/**
 * The second half of an AWS sign-in: the link to the sign-in page and the code it shows. A code is
 * good once, for its own sign-in: either way this one is spent (a refusal shows on the sign-in, or
 * under the add form for a new one).
 */
function AwsCodeForm({ name, url, onEnd, onSignedIn = onEnd }: { name: string; url: string; onEnd: () => void; onSignedIn?: () => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="add paste"
      aria-label={`Sign in to AWS as ${name}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!code.trim()) return setError('paste the code the sign-in page shows');
        setBusy(true);
        setError(null);
        void signInActions.finishAwsSignIn(name, code.trim()).then((ok) => {
          setBusy(false);
          setCode('');
          (ok ? onSignedIn : onEnd)();
        });
      }}
    >
      <p className="hint-line">
        <a href={url} target="_blank" rel="noopener noreferrer">
          Open the AWS sign-in page
        </a>
        , sign in, and paste the code it shows:
      </p>
      <label>
        Code from the sign-in page
        <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" onClick={onEnd}>
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

/** A new AWS sign-in (as `rolecall login aws NAME` does): the profile is made once it ends. */
export function AddAwsSignIn({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [url, setUrl] = useState<string | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A refused code of a sign-in not yet in the column shows here.
  const refused = useStore((x) => (url ? null : x.signInErrors[name.trim()]));
  if (url) return <AwsCodeForm name={name.trim()} url={url} onEnd={() => setUrl(null)} onSignedIn={onDone} />;
  return (
    <form
      className="add"
      aria-label="Add an AWS sign-in"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const checked = AwsSignInAddRequest.safeParse({ name: name.trim(), region: region.trim() });
        if (!checked.success) return setLocal(issueOf(checked.error, { name: 'Profile name', region: 'Region' }));
        setLocal(null);
        setBusy(true);
        signInActions.addAwsSignIn(checked.data).then(
          (u) => (setBusy(false), setUrl(u)),
          (err) => (setBusy(false), setLocal(messageOf(err))),
        );
      }}
    >
      <label>
        Profile name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="my-account" />
      </label>
      <label>
        Region
        <input value={region} onChange={(e) => setRegion(e.target.value)} placeholder="us-east-1" />
      </label>
      <p className="hint-line">Signs in to an AWS account as its IAM user or root user, on the AWS sign-in page (as aws login does).</p>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Continue
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {local || refused ? (
        <div className="error" role="alert">
          {local ?? refused}
        </div>
      ) : null}
    </form>
  );
}
