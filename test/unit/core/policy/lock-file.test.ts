// One lock file per kind and name (lockFileFor): every process that locks the same thing meets at
// the same file, different things never share one, and no name can put it outside the locks dir.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFileFor } from '../../../../src-main/core/lock';

const dir = '/data/locks';

describe('lockFileFor', () => {
  it.each(['dev', 'dev/Admin', '../../etc/passwd', 'a b;c', '', 'x'.repeat(500), 'ünïcode'])('keeps %j inside the locks dir, as <kind>-<16 hex>.lock', (name) => {
    const file = lockFileFor(dir, 'session', name);
    expect(path.dirname(file)).toBe(dir);
    expect(path.basename(file)).toMatch(/^session-[0-9a-f]{16}\.lock$/);
  });

  it('is the same file for the same kind and name, in any process', () => {
    expect(lockFileFor(dir, 'session', 'dev/Admin')).toBe(lockFileFor(dir, 'session', 'dev/Admin'));
    // sha256("dev/Admin"), first 16 hex digits: stable across releases, so old and new processes meet.
    expect(lockFileFor(dir, 'session', 'dev/Admin')).toBe(`${dir}/session-dc09356557662466.lock`);
  });

  it('is a different file for another name or another kind', () => {
    const files = new Set([
      lockFileFor(dir, 'session', 'dev'),
      lockFileFor(dir, 'session', 'Dev'),
      lockFileFor(dir, 'session', 'dev '),
      lockFileFor(dir, 'sso', 'dev'),
      lockFileFor(dir, 'cold', 'dev'),
    ]);
    expect(files.size).toBe(5);
  });
});
