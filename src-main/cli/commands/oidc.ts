// `rolecall oidc add|list|remove` (OpenID Connect integrations whose id_tokens assume roles through
// AssumeRoleWithWebIdentity) and `rolecall login oidc NAME [--device-code]`. Sign-in prompts go to
// stderr; results to stdout.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { profileName, wholeSeconds } from '../validate';

const integrationName = (name: string) => profileName(name, 'OIDC integration name');
const collect = (v: string, all: string[]) => [...all, v];

export function registerOidcCommands(program: Command, ctx: CliContext): void {
  const oidc = program.command('oidc').description('OpenID Connect providers whose sign-in assumes roles (AssumeRoleWithWebIdentity)');
  oidc
    .command('add')
    .description('add an OIDC integration; each --role-arn becomes a profile NAME/RoleName')
    .argument('<name>', 'a name for it')
    .requiredOption('--issuer <url>', "the provider's issuer URL (discovery at ISSUER/.well-known/openid-configuration)")
    .requiredOption('--client-id <id>', 'the client id Rolecall is registered with at the provider (a public client)')
    .option('--role-arn <arn>', 'a role its id_tokens may assume (repeat for several)', collect, [] as string[])
    .option('--scope <scope>', 'a scope to ask for (repeat; default: openid offline_access)', collect, [] as string[])
    .option('--region <region>', 'region of its profiles and STS calls')
    .option('--duration <seconds>', 'the session duration to ask for (900-43200)')
    .action(async (name: string, o: { issuer: string; clientId: string; roleArn: string[]; scope: string[]; region?: string; duration?: string }) => {
      const { addOidcIntegration, DEFAULT_SCOPES } = await import('../../core/oidc/integrations');
      const { RolecallError } = await import('../../core/errors');
      if (!o.roleArn.length) throw new RolecallError('oidc add: give at least one --role-arn ARN', 'invalid-input');
      const core = await ctx.core();
      const r = await addOidcIntegration(core.state, {
        name: integrationName(name),
        issuer: o.issuer,
        clientId: o.clientId,
        scopes: o.scope.length ? o.scope : DEFAULT_SCOPES,
        roleArns: o.roleArn,
        ...(o.region !== undefined ? { region: o.region } : {}),
        ...(o.duration !== undefined ? { durationSeconds: wholeSeconds(o.duration, '--duration') } : {}),
      });
      ctx.print(`Added OIDC integration '${r.integration.name}' with profiles ${r.profiles.map((p) => `'${p}'`).join(', ')}; sign in with: rolecall login oidc ${r.integration.name}`);
    });
  oidc
    .command('list')
    .description('each OIDC integration, its profiles and whether it is signed in')
    .option('--json', 'print a JSON array')
    .action(async (o: { json?: boolean }) => {
      const { oidcProfilesOf } = await import('../../core/oidc/integrations');
      const core = await ctx.core();
      const state = await core.state.load();
      const rows = [];
      for (const i of state.oidcIntegrations) {
        const st = await core.oidc.status(i.name);
        rows.push({ ...i, profiles: oidcProfilesOf(state, i.name), signedIn: st.state === 'signed-in', ...(st.state === 'signed-in' ? { idTokenExpiresAt: st.expiresAt.toISOString(), renewable: st.renewable } : {}) });
      }
      if (o.json) return ctx.print(JSON.stringify(rows, null, 2));
      if (!rows.length) return ctx.print('No OIDC integrations yet: rolecall oidc add NAME --issuer URL --client-id ID --role-arn ARN');
      for (const r of rows) {
        const what = r.signedIn ? (r.renewable ? 'signed in (renewed as needed)' : `signed in until ${r.idTokenExpiresAt}`) : `sign in: rolecall login oidc ${r.name}`;
        ctx.print([r.name, r.issuer, r.clientId, r.scopes.join(' '), r.profiles.join(',') || '-', what].join('\t'));
      }
    });
  oidc
    .command('remove')
    .description('remove an OIDC integration, its profiles, their sessions and its sign-in')
    .argument('<name>', 'the integration')
    .action(async (name: string) => {
      const { removeOidcIntegration } = await import('../../core/oidc/integrations');
      const core = await ctx.core();
      const removed = await removeOidcIntegration({ state: core.state, secrets: core.secrets, forgetProfile: (p) => ctx.forget(p) }, integrationName(name));
      ctx.print(`Removed OIDC integration '${name}'${removed.length ? ` and its profiles ${removed.map((p) => `'${p}'`).join(', ')}` : ''}`);
    });
}

export function registerLoginOidc(program: Command, ctx: CliContext): void {
  const login = program.commands.find((c) => c.name() === 'login') ?? program.command('login').description('sign in');
  login
    .command('oidc')
    .description('sign in to an OIDC integration (again): PKCE in the browser, or a device code')
    .argument('<name>', 'the OIDC integration')
    .option('--device-code', 'use the device authorization flow (for SSH sessions and hosts without a browser)')
    .option('--no-browser', 'print the sign-in URL instead of opening a browser')
    .action(async (name: string, o: { deviceCode?: boolean; browser: boolean }) => {
      const integration = integrationName(name);
      const core = await ctx.core();
      const r = await core.oidc.login(integration, { deviceCode: o.deviceCode, noBrowser: !o.browser });
      // Sessions of the previous sign-in (perhaps another person's) end: the next request uses this one.
      const { oidcProfilesOf } = await import('../../core/oidc/integrations');
      const profiles = oidcProfilesOf(await core.state.load(), integration);
      for (const p of profiles) await ctx.forget(p);
      ctx.print(`Signed in to ${integration} as ${r.subject} (id_token valid until ${r.expiresAt.toISOString()}); profiles: ${profiles.join(', ') || '-'}`);
    });
}
