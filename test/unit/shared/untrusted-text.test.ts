// oneLine and quoted: untrusted text in a one-line message can neither break the line nor make
// it long, and what fits is shown as it is.
import { describe, expect, it } from 'vitest';
import { oneLine, quoted } from '../../../src-shared/untrusted-text';

describe('quoted', () => {
  it('quotes a plain name as it is', () => {
    expect(quoted('acme/Admin')).toBe('"acme/Admin"');
  });

  it('escapes what would end the line or steer a terminal, as JSON would', () => {
    expect(quoted('a\nb')).toBe('"a\\nb"');
    expect(quoted('a\rb')).toBe('"a\\rb"');
    expect(quoted('b"o\\b')).toBe('"b\\"o\\\\b"');
    expect(quoted('\u001b[2J\u0085x\u2028y\u202ez\u200b')).toBe('"\\u001b[2J\\u0085x\\u2028y\\u202ez\\u200b"');
  });

  it('cuts a long text at 64 characters and says how long it was', () => {
    expect(quoted('a'.repeat(100_000))).toBe(`"${'a'.repeat(64)}…" (100000 characters)`);
    expect(quoted('a'.repeat(64))).toBe(`"${'a'.repeat(64)}"`);
  });

  it('counts escapes towards the bound and never cuts one, or a surrogate pair, in half', () => {
    const shown = quoted('\n'.repeat(40));
    expect(shown).toBe(`"${'\\n'.repeat(32)}…" (40 characters)`);
    // 63 letters, then an emoji (two UTF-16 units) that would pass 64: left out whole.
    expect(quoted('a'.repeat(63) + '😀😀')).toBe(`"${'a'.repeat(63)}…" (67 characters)`);
    // A lone surrogate is escaped, not printed as a broken character.
    expect(quoted('x\ud800')).toBe('"x\\ud800"');
  });
});

describe('oneLine', () => {
  it('leaves quotes and backslashes alone, escapes control characters, bounds the length', () => {
    expect(oneLine('C:\\Users\\"me"')).toBe('C:\\Users\\"me"');
    expect(oneLine('Access\nDenied\r')).toBe('Access\\nDenied\\r');
    expect(oneLine('x'.repeat(1000), 10)).toBe('xxxxxxxxxx… (1000 characters)');
  });
});
