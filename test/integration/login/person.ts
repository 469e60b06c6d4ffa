// A person at the sandbox's AWS sign-in page, by plain HTTP form posts: opens the /v1/authorize
// URL Rolecall printed or opened, signs in, and follows the redirect (to Rolecall's loopback
// callback, or to the cross-device page, whose code is returned).
import { parseForm } from '../../sandbox/browser';

export interface SignInAs {
  /** Account id or name, for an IAM user; empty for the root user (signing in by email). */
  account: string;
  username: string;
  password: string;
  mfaCode?: string;
}

/** The root user of the demo organization's identity account: no MFA device, so no code to type. */
export const DEMO_ROOT: SignInAs = { account: '', username: 'aws-identity@acme.example', password: 'acme-identity-root-password' };
export const DEMO_ROOT_ARN = 'arn:aws:iam::111122223333:root';
export const ALICE_ARN = 'arn:aws:iam::111122223333:user/alice';

export interface SignInResult {
  /** Where the sign-in page sent the browser. */
  location: string;
  /** Cross device: the code the confirmation page shows. */
  verificationCode?: string;
}

export async function signInAt(url: string, who: SignInAs): Promise<SignInResult> {
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`sign-in page answered ${page.status}: ${html.slice(0, 200)}`);
  const form = parseForm(html, url);
  if (!form) throw new Error('no sign-in form');
  const fields = new URLSearchParams(form.fields);
  fields.set('account', who.account);
  fields.set('username', who.username);
  fields.set('password', who.password);
  fields.set('mfa_code', who.mfaCode ?? '');
  const res = await fetch(form.action, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sign-in refused (${res.status}): ${/id="error"[^>]*>([^<]*)/.exec(await res.text())?.[1] ?? ''}`);
  const next = await fetch(location, { redirect: 'manual' });
  const body = await next.text();
  const code = /id="verification-code">([^<]*)</.exec(body)?.[1];
  return { location, ...(code ? { verificationCode: code } : {}) };
}

/** The sign-in URL in what Rolecall told the person. */
export const authorizeUrlIn = (text: string): string => {
  const m = /(https?:\/\/\S+\/v1\/authorize\?\S+)/.exec(text);
  if (!m?.[1]) throw new Error(`no sign-in URL in: ${text.slice(0, 300)}`);
  return m[1];
};
