// Which URLs are AWS's SAML ACS in every partition, and the POST to one, as Electron presents it
// (uploadData of bytes and blob parts), turned into its SAMLResponse.
import { describe, expect, it } from 'vitest';
import { acsTarget, acsUrlPatterns, partitionAcsUrls } from '../../../src-main/core/saml/acs';
import { MAX_SAML_POST_BYTES, samlPostFromRequest, type AcsRequest } from '../../../src-main/core/saml/upload';

describe('acsTarget', () => {
  it.each([
    ['https://signin.aws.amazon.com/saml', { partition: 'aws' }],
    ['https://us-west-2.signin.aws.amazon.com/saml', { partition: 'aws', region: 'us-west-2' }],
    ['https://signin.amazonaws-us-gov.com/saml', { partition: 'aws-us-gov' }],
    ['https://us-gov-west-1.signin.amazonaws-us-gov.com/saml', { partition: 'aws-us-gov', region: 'us-gov-west-1' }],
    ['https://signin.amazonaws.cn/saml', { partition: 'aws-cn' }],
    ['https://eusc-de-east-1.signin.amazonaws-eusc.eu/saml', { partition: 'aws-eusc', region: 'eusc-de-east-1' }],
    ['https://eu-central-1.signin.aws.amazon.com/saml/acs/SAMLSP4SA5OF6BJBJKNLDH34B', { partition: 'aws', region: 'eu-central-1' }],
    ['https://SIGNIN.AWS.AMAZON.COM/saml', { partition: 'aws' }],
  ])('%s is an ACS URL', (url, target) => {
    expect(acsTarget(url)).toEqual(target);
  });

  it.each([
    'http://signin.aws.amazon.com/saml',
    'https://signin.aws.amazon.com/samlx',
    'https://signin.aws.amazon.com/',
    'https://signin.aws.amazon.com:8443/saml',
    'https://user@signin.aws.amazon.com/saml',
    'https://signin.aws.amazon.com.evil.example/saml',
    'https://evil.example/signin.aws.amazon.com/saml',
    'https://cn-north-1.signin.aws.amazon.com/saml',
    'https://a.b.signin.aws.amazon.com/saml',
    'https://console.aws.amazon.com/saml',
    'not a url',
  ])('%s is not', (url) => {
    expect(acsTarget(url)).toBeUndefined();
  });

  it('the request filter covers every partition-wide and regional ACS URL', () => {
    const patterns = acsUrlPatterns();
    const matches = (url: string) =>
      patterns.some((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(url));
    for (const url of partitionAcsUrls()) expect(matches(url), url).toBe(true);
    expect(partitionAcsUrls()).toEqual(expect.arrayContaining(['https://signin.aws.amazon.com/saml', 'https://signin.amazonaws-us-gov.com/saml', 'https://signin.amazonaws.cn/saml']));
    expect(matches('https://ap-south-1.signin.aws.amazon.com/saml')).toBe(true);
    expect(matches('https://example.com/saml')).toBe(false);
  });
});

const ACS = 'https://signin.aws.amazon.com/saml';
const body = (s: string) => new Uint8Array(Buffer.from(s));
const noBlobs = async (): Promise<Uint8Array> => {
  throw new Error('no blob expected');
};

describe('samlPostFromRequest', () => {
  it('joins bytes and blob parts and takes the SAMLResponse field, + and %2B decoded', async () => {
    const blobs = new Map([['uuid-1', body('B%2Bc%3D%3D&RelayState=here')]]);
    const req: AcsRequest = { url: ACS, method: 'POST', uploadData: [{ bytes: body('SAMLResponse=PHNh%2') }, { blobUUID: 'uuid-1', bytes: new Uint8Array() }] };
    const post = await samlPostFromRequest(req, async (id) => blobs.get(id) ?? new Uint8Array());
    expect(post).toEqual({ samlResponse: 'PHNh++c==', relayState: 'here', acs: { partition: 'aws' }, acsUrl: ACS });
  });

  it('lets other requests through untouched', async () => {
    expect(await samlPostFromRequest({ url: ACS, method: 'GET' }, noBlobs)).toBeUndefined();
    expect(await samlPostFromRequest({ url: 'https://idp.example/saml', method: 'POST', uploadData: [{ bytes: body('SAMLResponse=x') }] }, noBlobs)).toBeUndefined();
  });

  it.each([
    ['no body', { uploadData: [] }, /has no body/],
    ['a file part', { uploadData: [{ file: '/etc/passwd' }] }, /uploads a file/],
    ['no SAMLResponse field', { uploadData: [{ bytes: body('RelayState=x') }] }, /has no SAMLResponse field/],
    ['too many bytes', { uploadData: [{ bytes: new Uint8Array(MAX_SAML_POST_BYTES + 1) }] }, /larger than/],
  ])('refuses a POST with %s, in one line', async (_what, extra, message) => {
    const p = samlPostFromRequest({ url: ACS, method: 'POST', ...extra }, noBlobs);
    await expect(p).rejects.toThrow(message);
    await expect(p).rejects.toMatchObject({ code: 'invalid-input', message: expect.not.stringContaining('\n') });
  });
});
