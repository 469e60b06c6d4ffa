// The device verification page (verificationUri / verificationUriComplete): a person signs in as
// an Identity Center user and allows or denies the device authorization.
//   GET  /device[?user_code=XXXX-XXXX]  -> sign-in form (fields: see signInPage in html.ts)
//   POST /device                        -> 303 to /device/approved or /device/denied; a wrong code
//                                          answers 400, a wrong password the form again with an error
import type { RequestContext } from '../service';
import { formParams, messagePage, redirect, sendHtml, signInPage } from './html';
import { identityCenterOf } from './store';

const TITLE = 'Authorize request';
const INTRO = 'Sign in to allow the application that showed you this code to access your AWS accounts.';

export function devicePage(ctx: RequestContext): void {
  const path = ctx.url.pathname;
  if (path === '/device/approved') return sendHtml(ctx, 200, messagePage('Request approved', 'You can close this window and return to the application.'));
  if (path === '/device/denied') return sendHtml(ctx, 200, messagePage('Request denied', 'The application was not given access.'));
  if (path !== '/device') return sendHtml(ctx, 404, messagePage('Not found', 'There is no such page.', true));

  const params = formParams(ctx);
  const userCode = params.get('user_code') ?? '';
  const form = (error?: string) => signInPage({ title: TITLE, intro: INTRO, action: '/device', hidden: {}, userCode, error });
  if (ctx.req.method !== 'POST') return sendHtml(ctx, 200, form());

  const store = identityCenterOf(ctx.state);
  const da = store.pendingDevice(userCode);
  if (!da) return sendHtml(ctx, 400, form('The code is not valid, has expired, or was already used.'));
  const action = params.get('action');
  if (action !== 'approve' && action !== 'deny') return sendHtml(ctx, 400, form('Choose to allow or deny access.'));
  const user = store.authenticate(da.instance, params.get('username') ?? '', params.get('password') ?? '');
  if (!user) return sendHtml(ctx, 200, form('Incorrect username or password.'));

  if (action === 'deny') {
    da.status = 'denied';
    return redirect(ctx, 303, '/device/denied');
  }
  da.status = 'approved';
  da.session = store.signIn(da.instance, user.userName);
  redirect(ctx, 303, '/device/approved');
}
