// A person signs in to the sandbox's SAML IdP in a real browser (Debian's Chromium, headless, a
// fresh profile). The IdP's POST to AWS's ACS URL is caught before it leaves the browser and fed,
// as Electron's webRequest presents it (uploadData: a bytes part and a blob part), to the very
// function the login window uses; its SAMLResponse is accepted by the sandbox's
// AssumeRoleWithSAML and the profile serves the AWS CLI through credential_process. A second
// sign-in rides on the IdP's session cookie: no password form.
import { type Page, type Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChromium } from '../../helpers/chromium';
import { isAcsUrl } from '../../../src-main/core/saml/acs';
import { signInWithSamlResponse } from '../../../src-main/core/saml/sign-in';
import { samlPostFromRequest, type AcsRequest, type CapturedSamlPost } from '../../../src-main/core/saml/upload';
import { parseJson, useCliHarness } from '../cli/harness';

const PROFILE = 'corp/SamlAdmin';
const h = useCliHarness();

const browser = useChromium();

/** The POST as Electron's onBeforeRequest gives it: the body's first bytes as a bytes part, the rest as a blob part. */
function asElectronPresentsIt(route: Route): { details: AcsRequest; getBlobData: (id: string) => Promise<Uint8Array> } {
  const req = route.request();
  const body = req.postDataBuffer() ?? Buffer.alloc(0);
  const cut = Math.floor(body.length / 3);
  const blobs = new Map([['blob-0', new Uint8Array(body.subarray(cut))]]);
  return {
    details: { url: req.url(), method: req.method(), uploadData: [{ bytes: new Uint8Array(body.subarray(0, cut)) }, { bytes: new Uint8Array(), blobUUID: 'blob-0' }] },
    getBlobData: async (id) => blobs.get(id) ?? new Uint8Array(),
  };
}

/** Catches the next POST to an ACS URL; it never reaches AWS, as in the login window. */
async function captureAcsPost(page: Page): Promise<() => Promise<CapturedSamlPost>> {
  let resolve!: (p: CapturedSamlPost) => void;
  let reject!: (e: unknown) => void;
  const captured = new Promise<CapturedSamlPost>((res, rej) => ((resolve = res), (reject = rej)));
  await page.route(
    (url) => isAcsUrl(url.href),
    async (route) => {
      const { details, getBlobData } = asElectronPresentsIt(route);
      try {
        const post = await samlPostFromRequest(details, getBlobData);
        if (post) resolve(post);
      } catch (e) {
        reject(e);
      }
      // The window cancels the request; here the page gets a stand-in so no navigation hangs on the abort.
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p id="captured">captured</p>' });
    },
  );
  return () => captured;
}

describe('SAML sign-in in Chromium', () => {
  it('signs in with the password, then again on the IdP session; the captured assertion serves the AWS CLI', { timeout: 90_000 }, async () => {
    const idpUrl = `${h().sandbox.url}/saml-idp/corp-idp/sso`;
    expect((await h().rolecall(['saml', 'add', 'corp', '--url', idpUrl])).code).toBe(0);
    const page = await browser().newPage();
    const pages: string[] = [];
    page.on('response', (r) => void (r.url().startsWith(h().sandbox.url) && pages.push(new URL(r.url()).pathname)));

    const first = await captureAcsPost(page);
    await page.goto(idpUrl);
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wrong');
    await page.click('#sign-in');
    await expect(page.locator('#error').innerText()).resolves.toBe('The username or password is not right.');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'demo-password');
    await page.click('#sign-in');
    const post = await first();
    expect(post.acsUrl).toBe('https://signin.aws.amazon.com/saml');

    // What the app does with the window's capture.
    const deps = { state: h().core.state, secrets: h().core.secrets, env: h().env };
    const signedIn = await signInWithSamlResponse(deps, { integration: 'corp', samlResponse: post.samlResponse });
    expect(signedIn).toEqual([{ profile: PROFILE, roleArn: 'arn:aws:iam::777788889999:role/SamlAdmin', expiration: expect.any(Date) }]);
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    const aws = await h().run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', PROFILE, '--endpoint-url', h().sandbox.url, '--output', 'json']);
    expect(aws.stderr).toBe('');
    expect(parseJson(aws.stdout).Arn).toBe('arn:aws:sts::777788889999:assumed-role/SamlAdmin/alice');

    // The second sign-in: the IdP remembers alice, so the SSO URL posts straight to AWS.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    pages.length = 0;
    const second = await captureAcsPost(page);
    await page.goto(idpUrl);
    const again = await second();
    expect(pages).toEqual(['/saml-idp/corp-idp/sso']);
    expect(again.samlResponse).not.toBe(post.samlResponse);
    const renewed = await signInWithSamlResponse(deps, { integration: 'corp', samlResponse: again.samlResponse });
    expect(renewed.map((r) => r.profile)).toEqual([PROFILE]);
  });
});
