// The IdP's browser POST to AWS's ACS URL, as Electron's webRequest.onBeforeRequest presents it
// (details.uploadData: parts of bytes, or blob parts read with session.getBlobData), turned into
// the SAMLResponse form field. Plain data in, plain data out: the login window and the tests that
// drive Chromium call this same function.
import { RolecallError } from '../errors';
import { acsTarget, type AcsTarget } from './acs';

/** One part of Electron's UploadData. */
export interface UploadPart {
  bytes?: Uint8Array;
  /** A file the form uploads: never part of a SAML POST. */
  file?: string;
  /** A blob part: its bytes come from getBlobData(blobUUID). */
  blobUUID?: string;
}

/** The parts of Electron's OnBeforeRequestListenerDetails this needs. */
export interface AcsRequest {
  url: string;
  method: string;
  uploadData?: UploadPart[];
}

export interface CapturedSamlPost {
  /** The SAMLResponse field: base64 of the IdP's Response, as the IdP posted it. */
  samlResponse: string;
  relayState?: string;
  acs: AcsTarget;
  acsUrl: string;
}

/** A form POST larger than this is no IdP's SAML POST (STS takes at most 100,000 characters of assertion). */
export const MAX_SAML_POST_BYTES = 512 * 1024;

/**
 * The SAMLResponse of a POST to an AWS ACS URL; undefined for any other request (the window lets
 * those through). A POST to the ACS URL that holds no readable SAMLResponse is an error.
 */
export async function samlPostFromRequest(req: AcsRequest, getBlobData: (blobUUID: string) => Promise<Uint8Array>): Promise<CapturedSamlPost | undefined> {
  const acs = req.method.toUpperCase() === 'POST' ? acsTarget(req.url) : undefined;
  if (!acs) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const add = (b: Uint8Array) => {
    size += b.byteLength;
    if (size > MAX_SAML_POST_BYTES) throw new RolecallError(`the sign-in's POST to ${req.url} is larger than ${MAX_SAML_POST_BYTES} bytes: not a SAML response`, 'invalid-input');
    chunks.push(b);
  };
  for (const part of req.uploadData ?? []) {
    if (part.file !== undefined) throw new RolecallError(`the sign-in's POST to ${req.url} uploads a file: not a SAML response`, 'invalid-input');
    if (part.bytes && part.bytes.byteLength > 0) add(part.bytes);
    if (part.blobUUID !== undefined) add(await getBlobData(part.blobUUID));
  }
  if (size === 0) throw new RolecallError(`the sign-in's POST to ${req.url} has no body: no SAML response to read`, 'invalid-input');
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const samlResponse = form.get('SAMLResponse');
  if (!samlResponse) throw new RolecallError(`the sign-in's POST to ${req.url} has no SAMLResponse field`, 'invalid-input');
  const relayState = form.get('RelayState') ?? undefined;
  return { samlResponse, acs, acsUrl: req.url, ...(relayState !== undefined ? { relayState } : {}) };
}
