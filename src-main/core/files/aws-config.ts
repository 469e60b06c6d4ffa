// Rolecall's block in the user's ~/.aws/config: `credential_process` profiles that make every
// AWS tool ask Rolecall. Only the lines between the markers are ever Rolecall's; every byte
// outside them is the user's and is written back exactly as read.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProfileName, Region } from '../../../src-shared/names';
import { quoted } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../errors';
import { writeFileAtomic } from './atomic';
import { BEGIN_MARKER, END_MARKER, checkIniSyntax, configProfileNames, findManagedBlock } from './aws-ini';

export { importAwsConfig, type AwsConfigImport } from './aws-config-import';
export { BEGIN_MARKER, END_MARKER } from './aws-ini';

export const BACKUP_SUFFIX = '.rolecall.bak';

// Characters both botocore (shlex.split, no shell) and the JS SDK (a shell) read literally
// when bare...
const BARE = /^[A-Za-z0-9_./+-]+$/;
// ...and those no quoting makes mean the same to shlex, sh and cmd.exe: inside double quotes sh
// still expands $ and `, \ escapes, " ends the quote, and cmd.exe expands %VAR%. The SDK's INI
// reader also cuts a line at a space followed by # or ; (a comment), even inside quotes.
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const UNQUOTABLE = /["\\$`%\x00-\x1f\x7f]|\s[#;]/;

/**
 * The credential_process value that runs `<node> <script> credential-process --profile <name>`,
 * or, given the native helper, `<helper> <node> <script> ...`: the helper answers from the agent
 * and runs the rest of the line for anything else (src-main/cli/hot/native).
 */
export function credentialProcessCommand(nodePath: string, scriptPath: string, profile: string, platform: NodeJS.Platform = process.platform, helperPath?: string): string {
  return commandLine(profile, platform, helperPath, [nodePath, 'the Node.js path'], [scriptPath, 'the rolecall script path']);
}

/** The same through the data dir's launcher (launcher.ts), which outlives a moved or re-installed Rolecall. */
export function launcherCommand(launcherPath: string, profile: string, platform: NodeJS.Platform = process.platform, helperPath?: string): string {
  return commandLine(profile, platform, helperPath, [launcherPath, 'the rolecall launcher path']);
}

function commandLine(profile: string, platform: NodeJS.Platform, helperPath: string | undefined, ...program: [string, string][]): string {
  const name = ProfileName.safeParse(profile);
  if (!name.success) throw new RolecallError(`Invalid profile name ${quoted(profile)}: ${name.error.issues[0]?.message}`, 'invalid-input');
  // Windows accepts "/" in paths, and "\" cannot be made safe for shlex.
  const fix = (p: string) => (platform === 'win32' ? p.replace(/\\/g, '/') : p);
  const parts: [string, string][] = [...(helperPath ? [[helperPath, 'the credential_process helper path'] as [string, string]] : []), ...program];
  return [...parts.map(([p, what]) => quoteArg(fix(p), what)), 'credential-process', '--profile', quoteArg(profile, 'the profile name')].join(' ');
}

function quoteArg(arg: string, what: string): string {
  if (BARE.test(arg)) return arg;
  if (arg === '' || UNQUOTABLE.test(arg)) {
    throw new RolecallError(
      `Cannot put ${what} (${quoted(arg, 200)}) into credential_process: it contains a character (" \\ $ \` %, a control character, or # ; after a space) that botocore and the AWS SDK for JavaScript would read differently`,
      'invalid-input',
      'install Node.js and Rolecall under a path without those characters',
    );
  }
  return `"${arg}"`;
}

export interface ManagedProfileEntry {
  name: string;
  region?: string;
  credentialProcess: string;
}

/** The whole managed block, markers included, with "\n" line ends. */
export function renderManagedBlock(entries: ManagedProfileEntry[]): string {
  const lines = [BEGIN_MARKER, '# Managed by Rolecall: changes between these markers are replaced on the next sync.'];
  const seen = new Set<string>();
  for (const e of entries) {
    const name = ProfileName.safeParse(e.name);
    if (!name.success) throw new RolecallError(`Invalid profile name ${quoted(e.name)}: ${name.error.issues[0]?.message}`, 'invalid-input');
    if (seen.has(e.name)) throw new RolecallError(`Profile ${quoted(e.name)} appears twice in the managed block`, 'invalid-input');
    seen.add(e.name);
    if (e.region !== undefined && !Region.safeParse(e.region).success) throw new RolecallError(`Profile ${quoted(e.name)}: invalid region ${quoted(e.region)}`, 'invalid-input');
    if (!e.credentialProcess.trim() || /[\r\n]/.test(e.credentialProcess)) {
      throw new RolecallError(`Profile ${quoted(e.name)}: credential_process must be one non-empty line`, 'invalid-input');
    }
    lines.push(e.name === 'default' ? '[default]' : `[profile ${e.name}]`, `credential_process = ${e.credentialProcess}`);
    if (e.region) lines.push(`region = ${e.region}`);
    lines.push('');
  }
  lines.push(END_MARKER);
  return lines.join('\n') + '\n';
}

/**
 * Replaces the managed block in configFile (or appends one); blockText '' removes it. Refuses,
 * changing nothing, when a profile of the block is also defined outside it. afterChecks runs once
 * the file and the block passed every check, before anything is written. Returns false when
 * the file already had this content (no write, no backup).
 */
export async function writeManagedBlock(configFile: string, blockText: string, options: { afterChecks?: () => Promise<void> } = {}): Promise<boolean> {
  const existing = await readConfig(configFile);
  const bytes = existing ?? Buffer.alloc(0);
  if (blockText !== '') checkBlockText(blockText);
  const { before, after, range, text } = splitAtBlock(bytes, configFile);
  const outsideNames = await namesOutside(before, after);
  // Every conflict at once, so one round of edits (or renames) resolves them all.
  const conflicts = [...(blockText ? await configProfileNames(blockText) : [])].filter((name) => outsideNames.has(name));
  if (conflicts.length) {
    const sections = conflicts.map((name) => `[${name === 'default' ? 'default' : `profile ${name}`}]`).join(', ');
    const one = conflicts.length === 1;
    throw new RolecallError(
      one
        ? `Profile ${quoted(conflicts[0] as string)} is already defined in ${configFile} outside Rolecall's block`
        : `${conflicts.length} profiles are already defined in ${configFile} outside Rolecall's block: ${conflicts.map((n) => quoted(n)).join(', ')}`,
      'conflict',
      `remove your ${sections} section${one ? '' : 's'}, or rename the Rolecall profile${one ? '' : 's'}: ${conflicts.map((n) => `rolecall profile rename ${n} NEW-NAME`).join('; ')}`,
    );
  }

  // What the block's lines need (the data dir's launcher) is put in place only now: a refusal changes nothing.
  await options.afterChecks?.();

  // A CRLF file gets a CRLF block, so editors do not see mixed line ends.
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Ends with a line break, so the user's bytes after the block start on their own line.
  const block = Buffer.from((blockText && !blockText.endsWith('\n') ? blockText + '\n' : blockText).replace(/\r?\n/g, eol), 'utf8');
  let next: Buffer;
  if (range) next = Buffer.concat([before, block, after]);
  else if (block.length === 0) next = bytes;
  else if (bytes.length === 0) next = block;
  else next = Buffer.concat([bytes, Buffer.from(text.endsWith('\n') ? eol : eol + eol, 'latin1'), block]);
  // Removing a block from a file that does not exist creates nothing.
  if (existing === null ? next.length === 0 : next.equals(existing)) return false;

  if (existing === null) await mkdir(path.dirname(configFile), { recursive: true, mode: 0o700 });
  await writeFileAtomic(configFile, next, { backupSuffix: BACKUP_SUFFIX, ...(existing === null ? { mode: 0o600 } : {}) });
  return true;
}

/** The user's bytes before and after Rolecall's block (all of them when there is none). */
function splitAtBlock(bytes: Buffer, configFile: string) {
  // The user's bytes are handled as bytes: latin1 maps each byte to one character and back, so
  // offsets in `text` are byte offsets and a file that is not valid UTF-8 is kept exactly. The
  // markers, "\r" and "\n" are ASCII, so they are found the same in any ASCII-based encoding.
  const text = bytes.toString('latin1');
  // A UTF-8 byte order mark (some Windows editors add one) is not part of a first marker line.
  const bom = text.startsWith('\xef\xbb\xbf') ? 3 : 0;
  const found = findManagedBlock(text.slice(bom), configFile);
  const range = found && { start: found.start + bom, end: found.end + bom };
  return { text, range, before: range ? bytes.subarray(0, range.start) : bytes, after: range ? bytes.subarray(range.end) : Buffer.alloc(0) };
}

// Only to read profile names: a byte that is not UTF-8 becomes U+FFFD here, never in the file,
// and cannot make a name equal to a block name (those are ASCII).
const namesOutside = (before: Buffer, after: Buffer) => configProfileNames(Buffer.concat([before, after]).toString('utf8'));

/** The profiles the user defines in configFile outside Rolecall's block ("default" for [default]). */
export async function profilesOutsideBlock(configFile: string): Promise<Set<string>> {
  const { before, after } = splitAtBlock((await readConfig(configFile)) ?? Buffer.alloc(0), configFile);
  return namesOutside(before, after);
}

async function readConfig(configFile: string): Promise<Buffer | null> {
  try {
    return await readFile(configFile);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RolecallError(`Cannot read ${configFile}: ${(e as NodeJS.ErrnoException).code ?? e}`, 'file', undefined, { cause: e });
  }
}

// The block must be one well-formed block, or the file would be left with broken markers.
function checkBlockText(blockText: string): void {
  const range = findManagedBlock(blockText, 'the managed block');
  if (!range || range.start !== 0 || range.end !== blockText.length) {
    throw new RolecallError(`The managed block must start with "${BEGIN_MARKER}" and end with "${END_MARKER}"`, 'invalid-input');
  }
  checkIniSyntax(blockText, 'the managed block');
}
