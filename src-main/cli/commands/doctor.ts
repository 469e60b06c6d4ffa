// `rolecall doctor NAME`: walks the profile's chain hop by hop (the core does the work) and prints
// who each hop is, the duration asked and granted, and for a failing hop the likely cause.
import type { Command } from 'commander';
import type { DoctorReport } from '../../core/doctor';
import { CHAINED_SESSION_LIMIT_SECONDS } from '../../core/providers/assume-role';
import type { CliContext } from '../context';
import { mfaCode, profileName } from '../validate';

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description("check a profile's chain hop by hop and explain what fails")
    .argument('<name>', 'profile name')
    .option('--mfa-code <code>', 'MFA code, for a profile that needs one')
    .option('--json', 'print the report as JSON')
    .action(async (name: string, o: { mfaCode?: string; json?: boolean }) => {
      const profile = profileName(name);
      const code = mfaCode(o.mfaCode);
      const core = await ctx.core();
      const report = await core.doctor(profile, code ? { mfaCode: code } : {});
      ctx.print(o.json ? JSON.stringify(report, null, 2) : formatReport(report));
      if (!report.ok) ctx.exitCode = 1;
    });
}

export function formatReport(r: DoctorReport): string {
  const failed = r.hops.findIndex((h) => !h.ok);
  const lines = [failed < 0 ? `Profile '${r.profile}': every hop works` : `Profile '${r.profile}': hop ${failed + 1} ('${r.hops[failed]?.profile}') fails`];
  r.hops.forEach((h, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${h.profile} (${h.kind}${h.roleArn ? ` ${h.roleArn}` : ''}): ${h.ok ? 'ok' : 'FAILED'}`);
    if (h.identity) lines.push(`    identity: ${h.identity}`);
    if (h.durationAsked !== undefined || h.durationRequested !== undefined) {
      const capped = h.durationRequested !== undefined && h.durationAsked !== undefined && h.durationRequested < h.durationAsked;
      // The chain cap in the words of the broker's notice, so it reads the same wherever it is said.
      lines.push(
        capped
          ? `    duration: asked for ${h.durationAsked} s; AWS caps role chaining at ${CHAINED_SESSION_LIMIT_SECONDS} s, so ${h.durationRequested} s`
          : `    duration: asked ${h.durationAsked ?? 'default'} s` + (h.durationRequested !== undefined ? `, requested ${h.durationRequested} s` : ''),
      );
    }
    if (h.secondsLeft !== undefined) lines.push(`    valid for: ${h.secondsLeft} s`);
    if (h.error) lines.push(`    error: ${h.error}`);
    if (h.likelyCause) lines.push(`    likely cause: ${h.likelyCause}`);
  });
  return lines.join('\n');
}
