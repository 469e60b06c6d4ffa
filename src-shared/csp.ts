// The renderer's Content-Security-Policy, one text for the Electron window (header and meta) and
// the web bridge's page: scripts and styles only from the app itself, no plugins, no <base>, no
// framing, no form posts; connections only back to where the page came from.
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
