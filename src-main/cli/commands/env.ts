// `rolecall env NAME [--format sh|bash|zsh|fish|powershell|json]`: the credentials as environment
// variables for a shell to evaluate, e.g. eval "$(rolecall env prod)".
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { credentialEnv } from '../credential-env';
import { mfaCode, oneOf, profileName } from '../validate';

const FORMATS = ['sh', 'fish', 'powershell', 'json'] as const;
type Format = (typeof FORMATS)[number];
// Shells that read sh's `export NAME='value'` as sh does.
const SH_LIKE = ['bash', 'zsh'];

export function registerEnv(program: Command, ctx: CliContext): void {
  program
    .command('env')
    .description("print a profile's credentials as environment variables")
    .argument('<name>', 'profile name')
    .option('--format <format>', `output format: ${FORMATS.join(', ')} (bash and zsh: as sh)`, 'sh')
    .option('--mfa-code <code>', 'MFA code, for a profile that needs one')
    .action(async (name: string, o: { format: string; mfaCode?: string }) => {
      const profile = profileName(name);
      const format = SH_LIKE.includes(o.format) ? 'sh' : oneOf(o.format, FORMATS, '--format');
      const code = mfaCode(o.mfaCode);
      const creds = await ctx.credentials(profile, code ? { mfaCode: code } : {});
      const vars = await credentialEnv(ctx, profile, creds);
      ctx.io.stdout.write(render(vars, format));
    });
}

/** Variables to set; undefined means "unset it" (no session token for long-term keys). */
export function render(vars: Record<string, string | undefined>, format: Format): string {
  if (format === 'json') return JSON.stringify(Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined)), null, 2) + '\n';
  const lines = Object.entries(vars).map(([k, v]) => {
    if (format === 'fish') return v === undefined ? `set -e ${k};` : `set -gx ${k} ${single(v)};`;
    if (format === 'powershell') return v === undefined ? `Remove-Item Env:${k} -ErrorAction SilentlyContinue` : `$Env:${k} = '${v.replace(/'/g, "''")}'`;
    return v === undefined ? `unset ${k}` : `export ${k}=${single(v)}`;
  });
  return lines.join('\n') + '\n';
}

// Single quotes: nothing inside is expanded by sh or fish; a quote itself is closed, escaped, reopened.
const single = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
