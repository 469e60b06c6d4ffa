// "41m", "1h 05m", "expired": how a session's remaining time reads in the window and the tray.
export function formatRemaining(expiresAt: Date | null, now: Date): string {
  if (!expiresAt) return '-';
  const s = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  if (s <= 0) return 'expired';
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
