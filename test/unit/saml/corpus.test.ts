// The bad-input corpus for SAML: generated garbage, one-byte corruptions of a signed response, and
// hostile POST bodies fed to the response reader and the ACS POST extraction. Every answer is a
// value or a clean one-line RolecallError; nothing throws anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSamlResponse } from '../../../src-main/core/saml/assertion';
import { samlPostFromRequest } from '../../../src-main/core/saml/upload';
import { buildSamlResponse } from '../../sandbox/idp-signing';
import { cleanOutcome, cleanOutcomeSync, count, tried } from '../../helpers/corpus';

const now = new Date();
const good = buildSamlResponse({ roles: ['arn:aws:iam::777788889999:role/SamlAdmin,arn:aws:iam::777788889999:saml-provider/corp-idp'], roleSessionName: 'alice', issueInstant: now });
const xml = Buffer.from(good, 'base64');

describe('SAML bad-input corpus', () => {
  it('any text as a SAMLResponse: read, or refused cleanly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.base64String({ maxLength: 400 })), (text) => {
        count('saml: text as SAMLResponse');
        cleanOutcomeSync(() => readSamlResponse(text, now));
      }),
      { numRuns: 500 },
    );
  });

  it('every kind of one-byte corruption of a signed response: read, or refused cleanly', () => {
    fc.assert(
      fc.property(fc.nat({ max: xml.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        count('saml: one-byte corruption');
        const bad = Buffer.from(xml);
        bad[at] = byte;
        cleanOutcomeSync(() => readSamlResponse(bad.toString('base64'), now));
      }),
      { numRuns: 1000 },
    );
  });

  it('hostile ACS POST bodies: a SAMLResponse, or refused cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }), async (parts) => {
        count('saml: ACS POST body');
        const blobs = parts.map((p, i): [string, Uint8Array] => [`b${i}`, p]);
        await cleanOutcome(() =>
          samlPostFromRequest(
            { url: 'https://signin.aws.amazon.com/saml', method: 'POST', uploadData: blobs.map(([id], i) => (i % 2 ? { blobUUID: id } : { bytes: parts[i] })) },
            async (id) => new Map(blobs).get(id) ?? new Uint8Array(),
          ),
        );
      }),
      { numRuns: 300 },
    );
    expect(tried('saml: ACS POST body')).toBeGreaterThanOrEqual(300);
  });
});
