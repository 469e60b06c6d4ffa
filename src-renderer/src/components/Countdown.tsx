import { memo } from 'react';
import { formatRemaining } from '../../../src-shared/countdown';
import { useNow } from '../clock';
import { toneOf } from '../model';

const HOUR = 3600_000;

/** A thin bar (full at an hour or more) plus "41m"; amber under 10 minutes, red under 2, then "expired". */
export const Countdown = memo(function Countdown({ expiresAt, refreshAt }: { expiresAt: string | null; refreshAt?: string | null }) {
  // A row without a session has nothing to count: it does not follow the second-ticker, so a tick
  // re-renders the few live rows only, never one under a keystroke for nothing.
  return expiresAt ? <Ticking expiresAt={expiresAt} refreshAt={refreshAt ?? null} /> : <Shown expiresAt={null} refreshAt={null} now={0} />;
});

function Ticking({ expiresAt, refreshAt }: { expiresAt: string; refreshAt: string | null }) {
  return <Shown expiresAt={expiresAt} refreshAt={refreshAt} now={useNow()} />;
}

function Shown({ expiresAt, refreshAt, now }: { expiresAt: string | null; refreshAt: string | null; now: number }) {
  const tone = toneOf(expiresAt, now);
  const text = formatRemaining(expiresAt ? new Date(expiresAt) : null, new Date(now));
  const left = expiresAt ? Math.max(0, Date.parse(expiresAt) - now) : 0;
  const spoken = tone === 'none' ? 'no session' : tone === 'expired' ? 'session expired' : `session ${text} left`;
  const title = refreshAt && tone !== 'expired' ? `refreshes in ${formatRemaining(new Date(refreshAt), new Date(now))}` : undefined;
  return (
    <span className={`countdown tone-${tone}`} role="timer" aria-label={spoken} title={title}>
      <span className="bar" aria-hidden="true">
        <span className="fill" style={{ width: `${Math.min(100, (left / HOUR) * 100)}%` }} />
      </span>
      <span className="left">{text}</span>
    </span>
  );
}
