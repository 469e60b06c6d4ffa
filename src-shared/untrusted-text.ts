// Text Rolecall did not write (a name from the command line or a file, an error code or message
// from whatever answered as AWS) made fit for a one-line message: nothing in it can end the line
// or steer a terminal, and it is cut to a bound that says how long the text was. Dependency-free:
// the credential_process hot path may use it.

// C0 and C1 controls and DEL (line breaks, a lone "\r", terminal escapes), the soft hyphen,
// invisible and direction-changing characters (a name that reads as another), the line and
// paragraph separators, the byte order mark, and surrogates without their pair.
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeUnsafe = (ch: string) => (UNSAFE.test(ch) ? (SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : ch);
// Inside double quotes, as JSON writes a string: the quote and the backslash escaped too.
const escapeQuoted = (ch: string) => (ch === '"' || ch === '\\' ? `\\${ch}` : escapeUnsafe(ch));

/** The escaped text, stopping before it would pass `max` characters (never inside an escape or a surrogate pair). */
function bounded(text: string, max: number, escape: (ch: string) => string): { shown: string; cut: boolean } {
  let shown = '';
  // By code point, so a pair stays whole; stops early, so a 5 MB text costs no more than a short one.
  for (const ch of text) {
    const piece = escape(ch);
    if (shown.length + piece.length > max) return { shown, cut: true };
    shown += piece;
  }
  return { shown, cut: false };
}

const length = (text: string) => ` (${text.length} characters)`;

/** Untrusted text for inside a one-line message: unsafe characters escaped, at most about `max` characters. */
export function oneLine(text: string, max = 200): string {
  const { shown, cut } = bounded(text, max, escapeUnsafe);
  return cut ? `${shown}…${length(text)}` : shown;
}

/** Untrusted text in double quotes, escaped as JSON escapes it, at most about `max` characters between the quotes. */
export function quoted(text: string, max = 64): string {
  const { shown, cut } = bounded(text, max, escapeQuoted);
  return cut ? `"${shown}…"${length(text)}` : `"${shown}"`;
}
