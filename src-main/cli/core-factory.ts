// The CLI's composition root for the core: loaded lazily (it pulls in the AWS SDK), with the
// CLI's own MFA prompt and notice sink.
import { createCore, type Core, type CoreOptions } from '../core/core';
import { browserLikelyAvailable } from '../core/sso/open-browser';
import { canPrompt, promptMfaCode } from './prompt';
import type { CliIO } from './output';

export async function createCliCore(
  io: CliIO,
  opts: { interactive: boolean; forgetProfile?: (profile: string) => Promise<void>; onSession?: CoreOptions['onSession']; onNotice?: CoreOptions['onNotice'] },
): Promise<Core> {
  // The SDK warns on stderr about Node < 22 once per process; credential-process owes its
  // callers one line of stderr at most, and the warning is not about Rolecall.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return createCore({
    env: io.env,
    ...(opts.interactive && canPrompt(io) ? { promptMfa: ({ profile, serialNumber }) => promptMfaCode(io, profile, serialNumber) } : {}),
    onNotice: (m) => {
      io.stderr.write(`rolecall: ${m}\n`);
      opts.onNotice?.(m);
    },
    // A face that shows sessions as they change (serve --web) hears of the broker's own.
    ...(opts.onSession ? { onSession: opts.onSession } : {}),
    ssoIo: { print: (line) => io.stderr.write(`${line}\n`) },
    forgetProfile: opts.forgetProfile,
    // Where a browser can open, a profile whose Identity Center sign-in is missing or ended opens
    // the sign-in page (as `aws sso login` would), once however many processes ask at the same
    // time; without one (SSH, CI), it says "sign in again" instead of waiting on a device code
    // nobody sees (AWS tools swallow credential_process's stderr until it exits).
    ssoSignInOnDemand: browserLikelyAvailable(io.env) ? {} : false,
  });
}
