// In-process sign-ins for the login tests: Rolecall's own sign-in flow against the sandbox, with
// the person's part done at the sandbox's sign-in page by form posts.
import { keepAwsSignIn } from '../../../src-main/core/login/manage';
import { signInWithAws, type AwsSignedIn } from '../../../src-main/core/login/sign-in';
import { mfaCode, type Harness } from '../../helpers/harness';
import { authorizeUrlIn, signInAt, type SignInAs } from './person';

export const ALICE_MFA = 'arn:aws:iam::111122223333:mfa/alice';
export const alice = (h: Harness): SignInAs => ({ account: '111122223333', username: 'alice', password: 'alice-console-password', mfaCode: mfaCode(h.sandbox, ALICE_MFA) });

export const deps = (h: Harness, env: NodeJS.ProcessEnv = h.env) => ({ state: h.core.state, secrets: h.core.secrets, env, forgetProfile: (p: string) => h.core.broker.forget(p) });

/** Signs `who` in as profile `name`, same device (loopback) unless remote. */
export async function signIn(h: Harness, name: string, who: SignInAs, opts: { remote?: boolean; writeAwsLoginCache?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<AwsSignedIn> {
  const env = opts.env ?? h.env;
  let told = '';
  let pasted: Promise<string> | undefined;
  const signedIn = await signInWithAws(
    { name, region: 'us-east-1', env, remote: !!opts.remote },
    {
      openBrowser: async (url) => {
        await signInAt(url, who);
      },
      tell: (line) => {
        told += `${line}\n`;
      },
      readCode: async () => {
        pasted ??= signInAt(authorizeUrlIn(told), who).then((r) => r.verificationCode ?? '');
        return pasted;
      },
    },
  );
  await keepAwsSignIn(deps(h, env), { name, region: 'us-east-1', signedIn, writeAwsLoginCache: opts.writeAwsLoginCache });
  return signedIn;
}
