// A person at a browser, for tests: opens a page the sandbox showed (a device verificationUriComplete
// or an /authorize URL), fills the sign-in form with an Identity Center user name and password,
// presses Allow or Deny, and follows the redirects, as a browser would. Plain fetch, no cookies:
// the sandbox's pages are plain HTML forms (see test/sandbox/identity-center/html.ts).

export interface Person {
  userName: string;
  password: string;
}

export interface BrowserResult {
  /** Where the browser ended up after following every redirect. */
  url: string;
  status: number;
  body: string;
  /** Each Location followed, in order: for /authorize the first is redirect_uri?code=..&state=.. */
  redirects: string[];
}

export class BrowserError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
    this.name = 'BrowserError';
  }
}

const MAX_REDIRECTS = 5;

/** Signs in and presses "Allow access". */
export const approve = (pageUrl: string, person: Person, opts: SubmitOptions = {}) => signInAndSubmit(pageUrl, person, 'approve', opts);
/** Signs in and presses "Deny access". */
export const deny = (pageUrl: string, person: Person, opts: SubmitOptions = {}) => signInAndSubmit(pageUrl, person, 'deny', opts);

export interface SubmitOptions {
  /** Follow the redirect after the form (default true); false stops at the first Location, e.g. when nothing listens on redirect_uri. */
  followRedirects?: boolean;
}

export async function signInAndSubmit(pageUrl: string, person: Person, action: 'approve' | 'deny', opts: SubmitOptions = {}): Promise<BrowserResult> {
  const page = await fetch(pageUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new BrowserError(`${pageUrl} answered ${page.status}: ${pageError(html)}`, page.status, html);
  const form = parseForm(html, pageUrl);
  if (!form) throw new BrowserError(`no sign-in form on ${pageUrl}`, page.status, html);

  const fields = new URLSearchParams(form.fields);
  fields.set('username', person.userName);
  fields.set('password', person.password);
  fields.set('action', action);
  const res = await fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const body = await res.text();
  const location = res.headers.get('location');
  if (!location || res.status < 300 || res.status > 399) {
    throw new BrowserError(`signing in at ${pageUrl} did not go through (${res.status}): ${pageError(body)}`, res.status, body);
  }
  return follow(new URL(location, form.action).toString(), opts.followRedirects ?? true);
}

async function follow(first: string, followRedirects: boolean): Promise<BrowserResult> {
  const redirects = [first];
  if (!followRedirects) return { url: first, status: 0, body: '', redirects };
  let url = first;
  for (let i = 0; i < MAX_REDIRECTS; i++) {
    const res = await fetch(url, { redirect: 'manual' });
    const body = await res.text();
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) return { url, status: res.status, body, redirects };
    url = new URL(location, url).toString();
    redirects.push(url);
  }
  throw new BrowserError(`more than ${MAX_REDIRECTS} redirects from ${first}`, 0, '');
}

/** The first form on the page: its absolute action and the values of its inputs. */
export function parseForm(html: string, pageUrl: string): { action: string; fields: [string, string][] } | undefined {
  const m = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!m) return undefined;
  const action = attr(m[1] ?? '', 'action') ?? pageUrl;
  const fields: [string, string][] = [];
  for (const input of (m[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const name = attr(input[1] ?? '', 'name');
    if (name !== undefined) fields.push([name, attr(input[1] ?? '', 'value') ?? '']);
  }
  return { action: new URL(action, pageUrl).toString(), fields };
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? '') : undefined;
}

const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);

/** The page's error text (id "error"), for a message that says why the person got stuck. */
function pageError(html: string): string {
  const m = /id="error"[^>]*>([^<]*)</.exec(html);
  return m ? decodeEntities(m[1] ?? '') : html.slice(0, 200);
}
