// Plain HTML for the Identity Center pages a person sees in a browser: no scripts, no styles
// that matter, stable names and ids so tests (test/sandbox/browser.ts, Playwright) can fill them.
import type { RequestContext } from '../service';
import { send } from '../service';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const layout = (title: string, body: string) =>
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

export interface SignInForm {
  title: string;
  intro: string;
  /** Where the form posts: /device or /authorize. */
  action: string;
  hidden: Record<string, string>;
  /** The device page lets the person type or correct the user code. */
  userCode?: string;
  error?: string;
}

/**
 * Fields: [user_code (device page only)], username, password, and a submit button named "action"
 * with value "approve" (id "approve") or "deny" (id "deny"); hidden fields carry the request.
 * The form has id "signin"; an error shows in an element with id "error".
 */
export function signInPage(f: SignInForm): string {
  const hidden = Object.entries(f.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
  const userCode =
    f.userCode === undefined
      ? ''
      : `<p><label for="user_code">Code</label> <input type="text" id="user_code" name="user_code" value="${escapeHtml(f.userCode)}" autocomplete="off"></p>\n`;
  return layout(
    f.title,
    `<h1>${escapeHtml(f.title)}</h1>
<p>${escapeHtml(f.intro)}</p>
${f.error ? `<p id="error" role="alert">${escapeHtml(f.error)}</p>\n` : ''}<form id="signin" method="post" action="${escapeHtml(f.action)}">
${hidden}
${userCode}<p><label for="username">Username</label> <input type="text" id="username" name="username" autocomplete="username"></p>
<p><label for="password">Password</label> <input type="password" id="password" name="password" autocomplete="current-password"></p>
<p><button type="submit" id="approve" name="action" value="approve">Allow access</button>
<button type="submit" id="deny" name="action" value="deny">Deny access</button></p>
</form>`,
  );
}

/** A page that only says something: a result, or why the request cannot go on (id "error"). */
export function messagePage(title: string, message: string, isError = false): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p${isError ? ' id="error" role="alert"' : ' id="message"'}>${escapeHtml(message)}</p>`);
}

export function sendHtml(ctx: RequestContext, status: number, html: string): void {
  send(ctx.res, status, html, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
}

export function redirect(ctx: RequestContext, status: 302 | 303, location: string): void {
  send(ctx.res, status, '', { location, 'cache-control': 'no-store' });
}

/** The submitted form, or the query string for a GET. */
export function formParams(ctx: RequestContext): URLSearchParams {
  if (ctx.req.method === 'POST') return new URLSearchParams(ctx.body.toString('utf8'));
  return ctx.url.searchParams;
}
