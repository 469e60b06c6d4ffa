// Reading ~/.aws/config and ~/.aws/credentials exactly as the AWS SDK for JavaScript does: the
// text goes through the SDK's own loader (@smithy/shared-ini-file-loader), fed from memory via
// its file interceptor, so section naming, comments and sub-sections follow the SDK, not us.
import { randomBytes } from 'node:crypto';
import { externalDataInterceptor, loadSharedConfigFiles, type ParsedIniData } from '@smithy/shared-ini-file-loader';
import { RolecallError } from '../errors';

export const BEGIN_MARKER = '# BEGIN ROLECALL';
export const END_MARKER = '# END ROLECALL';

export interface ParsedAwsFiles {
  /** Keyed as the SDK keys them: profile names ('default', 'dev'), 'sso-session.NAME', 'services.NAME'. */
  config: ParsedIniData;
  credentials: ParsedIniData;
}

export async function parseAwsFiles(configText: string, credentialsText = ''): Promise<ParsedAwsFiles> {
  const base = `/rolecall-in-memory/${randomBytes(8).toString('hex')}`;
  const configFilepath = `${base}/config`;
  const filepath = `${base}/credentials`;
  externalDataInterceptor.interceptFile(configFilepath, configText);
  externalDataInterceptor.interceptFile(filepath, credentialsText);
  try {
    const { configFile, credentialsFile } = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
    return { config: configFile, credentials: credentialsFile };
  } finally {
    const record = externalDataInterceptor.getFileRecord();
    delete record[configFilepath];
    delete record[filepath];
  }
}

/**
 * The SDK's parser skips what it cannot read (it even swallows its own errors), while botocore's
 * configparser refuses the whole file. Importing half a file silently is worse than saying where
 * it is broken, so these are checked first. Messages give line numbers, never the line: it may
 * hold a secret key.
 */
export function checkIniSyntax(text: string, fileName: string): void {
  let inSection = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const fail = (problem: string) =>
      new RolecallError(`${fileName} line ${i + 1}: ${problem}`, 'file', 'fix the file (the AWS CLI cannot read it either); Rolecall changed nothing');
    if (line.startsWith('[')) {
      const name = /^\[([^\]]*)\]/.exec(line)?.[1]?.trim();
      if (name === undefined) throw fail('a section header needs a closing "]"');
      if (name === '') throw fail('empty section name "[]"');
      if (name === '__proto__' || name === 'profile __proto__') throw fail('"__proto__" is not a usable profile name');
      inSection = true;
      continue;
    }
    // Indented lines continue the previous value (e.g. an s3 = sub-section).
    if (/^\s/.test(raw) && inSection) continue;
    if (!inSection) throw fail('a setting before any [section] header');
    if (!/^[^=]+=/.test(line)) throw fail('expected "name = value"');
  }
}

export interface BlockRange {
  /** Offset of the first character of the BEGIN line. */
  start: number;
  /** Offset just past the END line and its line break. */
  end: number;
}

/** Finds Rolecall's managed block; null when there is none; throws on broken markers. */
export function findManagedBlock(text: string, fileName: string): BlockRange | null {
  const begins: { line: number; offset: number }[] = [];
  const ends: { line: number; end: number }[] = [];
  for (let offset = 0, line = 1; offset < text.length; line++) {
    const nl = text.indexOf('\n', offset);
    const next = nl === -1 ? text.length : nl + 1;
    const content = text.slice(offset, next).trim();
    if (content === BEGIN_MARKER) begins.push({ line, offset });
    if (content === END_MARKER) ends.push({ line, end: next });
    offset = next;
  }
  const [begin] = begins;
  const [end] = ends;
  if (!begin && !end) return null;
  const fail = (problem: string) =>
    new RolecallError(`${fileName}: ${problem}`, 'file', `fix or remove the "${BEGIN_MARKER}" / "${END_MARKER}" lines; Rolecall changed nothing`);
  const lines = (xs: { line: number }[]) => xs.map((x) => x.line).join(', ');
  if (begins.length > 1) throw fail(`more than one "${BEGIN_MARKER}" line (lines ${lines(begins)})`);
  if (ends.length > 1) throw fail(`more than one "${END_MARKER}" line (lines ${lines(ends)})`);
  if (!end) throw fail(`"${BEGIN_MARKER}" on line ${begin!.line} has no "${END_MARKER}" after it`);
  if (!begin) throw fail(`"${END_MARKER}" on line ${end.line} has no "${BEGIN_MARKER}" before it`);
  if (end.line < begin.line) throw fail(`"${END_MARKER}" (line ${end.line}) comes before "${BEGIN_MARKER}" (line ${begin.line})`);
  return { start: begin.offset, end: end.end };
}

/** Profile names (as the SDK names them) defined in a config text. */
export async function configProfileNames(configText: string): Promise<Set<string>> {
  const { config } = await parseAwsFiles(configText);
  return new Set(Object.keys(config).filter((k) => !isSpecialSection(k)));
}

export const isSpecialSection = (key: string) => key.startsWith('sso-session.') || key.startsWith('services.');
