// First run: three doors. Add IAM Identity Center; import from ~/.aws/config (a read-only preview
// first, nothing written until the person confirms); and, in the demo, the sandbox organization.
import { useEffect, useState } from 'react';
import type { ImportPreview } from '../../../src-shared/api';
import { useStore } from '../store';
import { AddIdentityCenter } from './SignIns';
import { messageOf, signInActions } from './sign-in-actions';

type Preview = ImportPreview;

/** A profile's kind as the person knows it. */
const KIND_WORDS: Record<string, string> = {
  'sso-role': 'Identity Center role',
  'assume-role': 'assumed role',
  'iam-user': 'IAM user',
  'web-identity': 'web identity role',
  'aws-login': 'AWS sign-in',
};

export function ImportPanel({ onDone }: { onDone: () => void }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    signInActions.previewImport().then(setPreview, (e) => setError(messageOf(e)));
  }, []);
  const nothing = preview && !preview.profiles.length && !preview.ssoSessions.length;
  return (
    <section className="import" aria-label="Import from ~/.aws/config">
      <h3>Import from {preview?.file ?? '~/.aws/config'}</h3>
      {preview ? (
        <>
          <p>{nothing ? 'Nothing to import: no profile there that Rolecall can serve and does not have yet.' : 'Rolecall would add these; your files stay as they are:'}</p>
          <ul className="preview">
            {preview.ssoSessions.map((s) => (
              <li key={`sso:${s}`}>
                <strong>{s}</strong> <span className="muted">IAM Identity Center</span>
              </li>
            ))}
            {preview.profiles.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong> <span className="muted">{KIND_WORDS[p.kind] ?? p.kind}</span>
              </li>
            ))}
          </ul>
          {preview.skipped.length ? (
            <details>
              <summary>{preview.skipped.length} left out</summary>
              <ul className="preview">
                {preview.skipped.map((s) => (
                  <li key={s.name}>
                    {s.name}: <span className="muted">{s.reason}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : error ? null : (
        <p className="muted">Reading…</p>
      )}
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="buttons">
        <button
          type="button"
          className="primary"
          disabled={!preview || !!nothing || busy}
          onClick={() => {
            setBusy(true);
            signInActions.importConfig().then(onDone, (e) => {
              setBusy(false);
              setError(messageOf(e));
            });
          }}
        >
          {busy ? 'Importing…' : 'Import'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </section>
  );
}

export function FirstRun() {
  const addOpen = useStore((s) => s.addOpen);
  const [importing, setImporting] = useState(false);
  const [demo, setDemo] = useState(false);
  const [sandbox, setSandbox] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  useEffect(() => {
    useStore
      .getState()
      .api?.appInfo()
      .then((i) => setDemo(i.demo), () => undefined);
  }, []);
  return (
    <section className="first-run" aria-label="Get started">
      <h2>Get started</h2>
      {addOpen ? (
        <AddIdentityCenter onDone={() => useStore.setState({ addOpen: false })} />
      ) : importing ? (
        <ImportPanel onDone={() => setImporting(false)} />
      ) : (
        <div className="doors">
          <button type="button" className="door" onClick={() => useStore.setState({ addOpen: true })}>
            <strong>Add IAM Identity Center</strong>
            <span>Sign in once; every account and role becomes a profile.</span>
          </button>
          <button type="button" className="door" onClick={() => setImporting(true)}>
            <strong>Import from ~/.aws/config</strong>
            <span>See what Rolecall would take from your AWS config first; nothing changes until you confirm.</span>
          </button>
          {demo ? (
            <button
              type="button"
              className="door"
              disabled={sandbox.busy}
              onClick={() => {
                setSandbox({ busy: true, error: null });
                signInActions.useSandbox().then(
                  () => setSandbox({ busy: false, error: null }),
                  (e) => setSandbox({ busy: false, error: messageOf(e) }),
                );
              }}
            >
              <strong>{sandbox.busy ? 'Setting up the sandbox…' : 'Use the sandbox organization'}</strong>
              <span>The demo&apos;s Identity Center, IAM user and role chain, against the local AWS sandbox.</span>
            </button>
          ) : null}
        </div>
      )}
      {sandbox.error ? (
        <div className="error" role="alert">
          {sandbox.error}
        </div>
      ) : null}
    </section>
  );
}
