// The CLI's composition root for the core: loaded lazily (it pulls in the AWS SDK), with the
// CLI's own MFA prompt and notice sink.
import { createCore, type Core } from '../core/core';
import { canPrompt, promptMfaCode } from './prompt';
import type { CliIO } from './output';

export async function createCliCore(io: CliIO, opts: { interactive: boolean }): Promise<Core> {
  // The SDK warns on stderr about Node < 22 once per process; credential-process owes its
  // callers one line of stderr at most, and the warning is not about Rolecall.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return createCore({
    env: io.env,
    ...(opts.interactive && canPrompt(io) ? { promptMfa: ({ profile, serialNumber }) => promptMfaCode(io, profile, serialNumber) } : {}),
    onNotice: (m) => io.stderr.write(`rolecall: ${m}\n`),
  });
}
