import { memo } from 'react';
import { formatRemaining } from '../../../src-shared/countdown';
import { useNow } from '../clock';
import { toneOf } from '../model';

const HOUR = 3600_000;

/** A thin bar (full at an hour or more) plus "41m"; amber under 10 minutes, red under 2, then "expired". */
export const Countdown = memo(function Countdown({ expiresAt, refreshAt }: { expiresAt: string | null; refreshAt?: string | null }) {
  const now = useNow();
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
});
