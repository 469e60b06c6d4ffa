// `rolecall saml add|list|remove` (SAML 2.0 integrations) and `rolecall login saml NAME`: a
// SAMLResponse captured elsewhere (--saml-response-file FILE, or - for stdin) becomes profiles
// with live sessions. The interactive sign-in runs in the desktop app's login window.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { quoted } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import type { CliIO } from '../output';
import { profileName, wholeSeconds } from '../validate';

/** Room for STS's 100,000-character SAMLAssertion limit plus line breaks; anything longer is refused unread. */
const MAX_RESPONSE_FILE_BYTES = 256 * 1024;

const integrationName = (name: string) => profileName(name, 'SAML integration name');

export function registerSamlCommands(program: Command, ctx: CliContext): void {
  const saml = program.command('saml').description('SAML 2.0 identity providers you sign in to AWS through');
  saml
    .command('add')
    .description("add a SAML integration: its IdP's sign-in URL for AWS (IdP-initiated)")
    .argument('<name>', 'a name for it')
    .requiredOption('--url <url>', "the IdP's sign-in URL of its AWS application")
    .option('--region <region>', 'region of its profiles and STS calls')
    .option('--duration <seconds>', 'cap on the session duration (900-43200)')
    .action(async (name: string, o: { url: string; region?: string; duration?: string }) => {
      const { addSamlIntegration } = await import('../../core/saml/integrations');
      const core = await ctx.core();
      const i = await addSamlIntegration(core.state, {
        name: integrationName(name),
        url: o.url,
        ...(o.region !== undefined ? { region: o.region } : {}),
        ...(o.duration !== undefined ? { durationSeconds: wholeSeconds(o.duration, '--duration') } : {}),
      });
      ctx.print(`Added SAML integration '${i.name}'; sign in with: rolecall login saml ${i.name}`);
    });
  saml
    .command('list')
    .description('each SAML integration and its profiles')
    .option('--json', 'print a JSON array')
    .action(async (o: { json?: boolean }) => {
      const { StateStore } = await import('../../core/files/state-store');
      const { samlProfilesOf } = await import('../../core/saml/integrations');
      const state = await new StateStore(ctx.paths).load();
      const rows = state.samlIntegrations.map((i) => ({ ...i, profiles: samlProfilesOf(state, i.name) }));
      if (o.json) return ctx.print(JSON.stringify(rows, null, 2));
      if (!rows.length) return ctx.print('No SAML integrations yet: rolecall saml add NAME --url IDP_SIGN_IN_URL');
      for (const r of rows) ctx.print([r.name, r.url, r.region ?? '-', r.durationSeconds ? `${r.durationSeconds}s` : '-', r.profiles.join(',') || '-'].join('\t'));
    });
  saml
    .command('remove')
    .description('remove a SAML integration, its profiles and their sessions')
    .argument('<name>', 'the integration')
    .action(async (name: string) => {
      const { removeSamlIntegration } = await import('../../core/saml/integrations');
      const core = await ctx.core();
      const removed = await removeSamlIntegration({ state: core.state, secrets: core.secrets, forgetProfile: (p) => ctx.forget(p) }, integrationName(name));
      ctx.print(`Removed SAML integration '${name}'${removed.length ? ` and its profiles ${removed.map((p) => `'${p}'`).join(', ')}` : ''}`);
    });
}

export function registerLoginSaml(program: Command, ctx: CliContext): void {
  const login = program.commands.find((c) => c.name() === 'login') ?? program.command('login').description('sign in');
  login
    .command('saml')
    .description("sign in through a SAML integration; each chosen role becomes a profile")
    .argument('<name>', 'the SAML integration')
    .option('--role <arn>', 'a role to assume (repeat for several; needed when the assertion grants several)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--principal-arn <arn>', 'the IAM SAML provider (needed with an encrypted assertion)')
    .option('--saml-response-file <file>', 'a base64 SAMLResponse captured elsewhere (- for stdin)')
    .action(async (name: string, o: { role: string[]; principalArn?: string; samlResponseFile?: string }) => {
      const integration = integrationName(name);
      if (o.samlResponseFile === undefined) {
        throw new RolecallError(
          `login saml ${integration}: the sign-in window is the Rolecall app's, and the app is not running`,
          'sign-in-required',
          `start the Rolecall app and sign in from its window, or pass --saml-response-file FILE with a SAMLResponse captured elsewhere`,
        );
      }
      const samlResponse = await readResponse(ctx.io, o.samlResponseFile);
      const core = await ctx.core();
      const { signInWithSamlResponse } = await import('../../core/saml/sign-in');
      const roles = await signInWithSamlResponse(
        { state: core.state, secrets: core.secrets, env: ctx.io.env, forgetProfile: (p) => ctx.forget(p) },
        { integration, samlResponse, roles: o.role, principalArn: o.principalArn, onNotice: (m) => ctx.notice(m) },
      );
      for (const r of roles) ctx.print(`Signed in to ${r.roleArn} as profile '${r.profile}' (session valid until ${r.expiration.toISOString()})`);
    });
}

async function readResponse(io: CliIO, file: string): Promise<string> {
  let bytes: Buffer;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += b.length;
      if (size > MAX_RESPONSE_FILE_BYTES) throw new RolecallError(`the SAML response on stdin is larger than ${MAX_RESPONSE_FILE_BYTES} bytes: not a SAMLResponse`, 'invalid-input');
      chunks.push(b);
    }
    bytes = Buffer.concat(chunks);
  } else {
    const { stat } = await import('node:fs/promises');
    try {
      if ((await stat(file)).size > MAX_RESPONSE_FILE_BYTES) throw new RolecallError(`${quoted(file)} is larger than ${MAX_RESPONSE_FILE_BYTES} bytes: not a SAMLResponse`, 'invalid-input');
      bytes = await readFile(file);
    } catch (e) {
      if (e instanceof RolecallError) throw e;
      throw new RolecallError(`cannot read the SAML response file ${quoted(file)} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`, 'invalid-input');
    }
  }
  const text = bytes.toString('utf8').trim();
  if (!text) throw new RolecallError('the SAML response is empty', 'invalid-input');
  return text;
}
