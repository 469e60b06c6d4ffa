// A separate Rolecall process that needs the Identity Center token N times at once, as a burst of
// credential_process runs would: `node --import tsx token-client.ts NAME N`. Any sign-in it has
// to start uses the device code, printed on stderr; it prints digests of the tokens it got as JSON.
import { createHash } from 'node:crypto';
import { StateStore } from '../../../src-main/core/files/state-store';
import { resolvePaths } from '../../../src-main/core/paths';
import { KeyringSecretStore } from '../../../src-main/core/secrets/keyring-store';
import { SsoManager } from '../../../src-main/core/sso/manager';

const [name = 'acme', count = '1'] = process.argv.slice(2);
const paths = resolvePaths(process.env);
const manager = new SsoManager({
  paths,
  state: new StateStore(paths),
  secrets: new KeyringSecretStore(paths.keychainService),
  signInOnDemand: { deviceCode: true, noBrowser: true },
});
const tokens = await Promise.all(Array.from({ length: Number(count) }, () => manager.accessToken(name).then((t) => createHash('sha256').update(t.accessToken).digest('hex'))));
process.stdout.write(JSON.stringify(tokens));
