// Settings: the state file's settings the window edits, checked against the contract before they
// are sent (and again by the core); an error stays in the dialog, next to Save.
import { useEffect, useState } from 'react';
import { SettingsEdit, type SettingsView } from '../../../src-shared/api';
import { issueOf, messageOf, signInActions } from './sign-in-actions';
import { toast, useStore } from '../store';

const LABELS = {
  refreshAheadSeconds: 'Refresh margin',
  consoleDurationSeconds: 'Console session',
  consoleBrowser: 'Console browser',
  profileNameTemplate: 'Profile name template',
};

/** Minutes as typed -> seconds; blank -> null (the default); not a number -> NaN, which the schema refuses. */
const seconds = (minutes: string): number | null => (minutes.trim() === '' ? null : Number(minutes) * 60);

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [margin, setMargin] = useState('');
  const [duration, setDuration] = useState('');
  const [browser, setBrowser] = useState('');
  const [template, setTemplate] = useState('');
  const [writeConfig, setWriteConfig] = useState(true);
  const [launch, setLaunch] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only an installed app has a command of its own to put on PATH.
  const cliLink = useStore((x) => x.appInfo?.cliLink ?? false);
  const [cli, setCli] = useState<{ text: string; failed: boolean } | null>(null);
  const show = (v: SettingsView) => {
    setView(v);
    setMargin(String(v.refreshAheadSeconds / 60));
    setDuration(v.consoleDurationSeconds === null ? '' : String(v.consoleDurationSeconds / 60));
    setBrowser(v.consoleBrowser ?? '');
    setTemplate(v.profileNameTemplate);
    setWriteConfig(v.writeAwsConfig);
    setLaunch(v.launchAtLogin);
  };
  useEffect(() => {
    signInActions.getSettings().then(show, (e) => setError(messageOf(e)));
  }, []);

  return (
    <div className="backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form
        className="dialog settings"
        role="dialog"
        aria-modal="true"
        aria-labelledby="settings-title"
        noValidate
        // A changed field makes the last refusal stale.
        onChange={() => setError(null)}
        onSubmit={(e) => {
          e.preventDefault();
          const edit = SettingsEdit.safeParse({
            refreshAheadSeconds: seconds(margin) ?? Number.NaN,
            consoleDurationSeconds: seconds(duration),
            consoleBrowser: browser.trim() || null,
            profileNameTemplate: template,
            writeAwsConfig: writeConfig,
            launchAtLogin: launch,
          });
          if (!edit.success) return setError(issueOf(edit.error, LABELS));
          setError(null);
          signInActions.saveSettings(edit.data).then(
            (v) => {
              show(v);
              toast('Settings saved');
              onClose();
            },
            (err) => setError(messageOf(err)),
          );
        }}
      >
        <h2 id="settings-title">Settings</h2>
        {view ? (
          <div className="fields">
            <label>
              Refresh sessions this many minutes before they end
              <input inputMode="numeric" value={margin} onChange={(e) => setMargin(e.target.value)} aria-describedby="margin-hint" autoFocus />
              <span id="margin-hint" className="muted">
                1 to 50; AWS tools take a session with under 15 minutes left as stale
              </span>
            </label>
            <label>
              Console session length in minutes
              <input inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} placeholder="AWS's default (12 hours at most)" />
            </label>
            <label>
              Open the console with this browser command
              <input value={browser} onChange={(e) => setBrowser(e.target.value)} placeholder="the system's browser" />
            </label>
            <label>
              Profile name template (sync)
              <input value={template} onChange={(e) => setTemplate(e.target.value)} aria-describedby="template-hint" />
              <span id="template-hint" className="muted">
                {'{accountName}, {accountId}, {roleName}, {ssoSession}'}
              </span>
            </label>
            <label className="check">
              <input type="checkbox" checked={writeConfig} onChange={(e) => setWriteConfig(e.target.checked)} />
              Keep Rolecall&apos;s profiles in ~/.aws/config
            </label>
            <label className="check">
              <input type="checkbox" checked={launch} onChange={(e) => setLaunch(e.target.checked)} />
              Start Rolecall when I log in (hidden, in the tray)
            </label>
          </div>
        ) : error ? null : (
          <p className="muted">Loading…</p>
        )}
        {view && cliLink ? (
          <div className="cli-link">
            <button
              type="button"
              aria-describedby="cli-link-result"
              onClick={() =>
                signInActions.installCli().then(
                  (text) => setCli({ text, failed: false }),
                  (e) => setCli({ text: messageOf(e), failed: true }),
                )
              }
            >
              Install the rolecall command
            </button>
            <span id="cli-link-result" className={cli?.failed ? 'error' : 'muted'} role={cli?.failed ? 'alert' : 'status'}>
              {cli?.text ?? 'Links this app\'s command line tool into a folder on PATH, for use in a terminal.'}
            </span>
          </div>
        ) : null}
        {error ? (
          <div className="error" role="alert">
            {error}
          </div>
        ) : null}
        <div className="buttons">
          <button type="submit" className="primary" disabled={!view}>
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
