// `rolecall config import --take-over`: an existing ~/.aws setup (hand-written, aws-vault's,
// granted's) becomes Rolecall's in one step. Static keys move to the keychain, every profile is
// imported, and the sections it came from are cut out of the user's files (every other byte
// kept) so the managed block's profiles of the same names take their place. The files' bytes
// before the take-over are kept in the keychain (~/.aws/credentials holds secrets), so
// `--undo` restores them exactly.
import { readFile, unlink } from 'node:fs/promises';
import { z } from 'zod';
import type { AppState, Profile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { iamUserEntryName } from '../secrets/keychain-layout';
import { readJsonSecret, type SecretStore } from '../secrets/secret-store';
import { importProfiles, planImport, type ImportResult, type ProfileStateStore } from '../profiles';
import { writeFileAtomic } from './atomic';
import { importAwsConfig, type AwsConfigImport } from './aws-config-import';
import { findManagedBlock } from './aws-ini';

/** Where the backup of the last take-over lives in the keychain. */
export const TAKE_OVER_BACKUP_ENTRY = 'take-over/backup';

const FileBackup = z.object({ file: z.string(), base64: z.string().nullable() });
const TakeOverBackup = z.object({
  takenAt: z.string(),
  config: FileBackup,
  credentials: FileBackup,
  /** What the take-over added to Rolecall, so the undo can take it out again. */
  profiles: z.array(z.string()),
  ssoSessions: z.array(z.string()),
});
type TakeOverBackup = z.infer<typeof TakeOverBackup>;

export interface TakeOverFiles {
  configFile: string;
  credentialsFile: string;
}

export interface TakeOverPlan extends TakeOverFiles {
  imported: AwsConfigImport;
  /** What the take-over adds to Rolecall (and whose sections it cuts out), sources first. */
  willImport: Profile[];
  /** Names that Rolecall already has: neither imported nor cut out. */
  existing: string[];
  /** Imported profiles that cannot be added (their source or Identity Center is not there): left in the files. */
  left: { name: string; reason: string }[];
  /** Sections cut out of each file: header as written, e.g. "[profile dev]". */
  configSections: string[];
  credentialsSections: string[];
  config: Buffer | null;
  credentials: Buffer | null;
  nextConfig: Buffer | null;
  nextCredentials: Buffer | null;
}

async function readBytes(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new RolecallError(`cannot read ${file}: ${code ?? String(e)}`, 'file');
  }
}

/** What the take-over would do; changes nothing. */
export async function planTakeOver(files: TakeOverFiles, state: AppState): Promise<TakeOverPlan> {
  const config = await readBytes(files.configFile);
  const credentials = await readBytes(files.credentialsFile);
  // latin1: one character per byte, so offsets are byte offsets and non-UTF-8 bytes survive.
  const configText = config?.toString('latin1') ?? '';
  const credentialsText = credentials?.toString('latin1') ?? '';
  const imported = await importAwsConfig(config?.toString('utf8') ?? '', credentials?.toString('utf8') ?? '', { config: files.configFile, credentials: files.credentialsFile }, { takeOver: true });
  const known = new Set(state.profiles.map((p) => p.name));
  const existing = imported.profiles.filter((p) => known.has(p.name)).map((p) => p.name);
  const { willImport, left } = importable(imported, state);
  const taken = new Set(willImport.map((p) => p.name));
  const cutConfig = cutSections(configText, 'config', taken, files.configFile);
  const cutCredentials = cutSections(credentialsText, 'credentials', taken, files.credentialsFile);
  return {
    ...files,
    imported,
    willImport,
    existing,
    left,
    configSections: cutConfig.headers,
    credentialsSections: cutCredentials.headers,
    config,
    credentials,
    nextConfig: config && Buffer.from(cutConfig.text, 'latin1'),
    nextCredentials: credentials && Buffer.from(cutCredentials.text, 'latin1'),
  };
}

/**
 * Which imported profiles importProfiles will add (its own plan), in its order. The others keep
 * their sections, or the take-over would cut a profile out of the files without putting one in
 * Rolecall.
 */
function importable(imported: AwsConfigImport, state: AppState): { willImport: Profile[]; left: { name: string; reason: string }[] } {
  const plan = planImport(state, imported);
  const left = plan.skipped.flatMap((k) => {
    if (k.why === 'exists' || k.name.startsWith('sso-session ')) return [];
    if (k.why === 'sso-session-differs') return [{ name: k.name, reason: `Rolecall's Identity Center '${k.ssoSession}' has another start URL or region` }];
    return [{ name: k.name, reason: k.parent !== undefined ? `its source profile '${k.parent}' is not taken over` : `Identity Center '${k.ssoSession}' is not taken over` }];
  });
  return { willImport: plan.profiles, left };
}

/**
 * The text without the sections of these profiles: from the header line to the section's last
 * setting, so comments and blank lines after it (often about the next section) stay. Rolecall's
 * managed block is left alone.
 */
export function cutSections(text: string, kind: 'config' | 'credentials', names: Set<string>, fileName: string): { text: string; headers: string[] } {
  const block = findManagedBlock(text, fileName);
  const lines: { start: number; end: number; content: string }[] = [];
  for (let offset = 0; offset < text.length; ) {
    const nl = text.indexOf('\n', offset);
    const end = nl === -1 ? text.length : nl + 1;
    lines.push({ start: offset, end, content: text.slice(offset, end) });
    offset = end;
  }
  const cuts: { start: number; end: number }[] = [];
  const headers: string[] = [];
  let current: { start: number; end: number } | undefined;
  const close = () => {
    if (current) cuts.push(current);
    current = undefined;
  };
  for (const line of lines) {
    if (block && line.start >= block.start && line.start < block.end) {
      close();
      continue;
    }
    const trimmed = line.content.trim();
    if (trimmed.startsWith('[')) {
      close();
      const header = withoutComment(trimmed);
      const name = sectionProfile(header, kind);
      if (name !== undefined && names.has(name)) {
        current = { start: line.start, end: line.end };
        headers.push(header);
      }
    } else if (current && trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith(';')) {
      current.end = line.end; // a setting (or a continuation line) of the section
    }
  }
  close();
  let out = '';
  let at = 0;
  for (const c of cuts) {
    out += text.slice(at, c.start);
    at = c.end;
  }
  return { text: out + text.slice(at), headers };
}

// The SDK's rule for a section header (@smithy/shared-ini-file-loader, parseIni): "TYPE NAME" with
// one space, NAME optionally quoted, is a typed section; anything else is a section of exactly
// that name. Read the same way here, so only the sections whose settings were imported are cut.
const TYPED_SECTION = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/;
const SECTION_TYPES = new Set(['profile', 'sso-session', 'services']);

/** A line as the SDK reads it: without its comment. */
const withoutComment = (line: string) => (line.split(/(^|\s)[;#]/)[0] as string).trim();

/** The profile a section header names, as the SDK reads it; undefined for sso-session and other sections. */
function sectionProfile(header: string, kind: 'config' | 'credentials'): string | undefined {
  if (!header.startsWith('[') || !header.endsWith(']')) return undefined;
  const inner = header.slice(1, -1);
  const typed = TYPED_SECTION.exec(inner);
  // A typed section of another type (e.g. "[my keys]") is one the SDK ignores.
  const key = typed ? (SECTION_TYPES.has(typed[1] as string) ? `${typed[1]}.${typed[3]}` : undefined) : inner;
  if (kind === 'credentials' || key === undefined) return key;
  // The config file's profiles are [profile NAME] and [default] (as getConfigData keeps them).
  if (key.startsWith('profile.')) return key.slice('profile.'.length);
  return key === 'default' ? 'default' : undefined;
}

export interface TakeOverResult extends ImportResult {
  keysMoved: string[];
}

/**
 * Does the plan: keys to the keychain, profiles into the state, the backup into the keychain,
 * then each file written atomically without its imported sections. The caller writes the
 * managed block afterwards.
 */
export async function takeOver(plan: TakeOverPlan, deps: { state: ProfileStateStore & { load(): Promise<AppState> }; secrets: SecretStore }): Promise<TakeOverResult> {
  const before = new Set((await deps.state.load()).profiles.map((p) => p.name));
  const keys = plan.imported.secretKeys.filter((k) => !before.has(k.name));
  const profileOf = (name: string) => plan.imported.profiles.find((p) => p.name === name) as Extract<Profile, { kind: 'iam-user' }>;
  for (const k of keys) await deps.secrets.set(iamUserEntryName(k.name), JSON.stringify({ accessKeyId: profileOf(k.name).accessKeyId, secretAccessKey: k.secretAccessKey }));
  const result = await importProfiles(deps.state, plan.imported);
  // A key whose profile did not make it in (its name was taken meanwhile) is not left behind.
  for (const k of keys) if (!result.added.includes(k.name)) await deps.secrets.delete(iamUserEntryName(k.name));
  const backup: TakeOverBackup = {
    takenAt: new Date().toISOString(),
    config: { file: plan.configFile, base64: plan.config?.toString('base64') ?? null },
    credentials: { file: plan.credentialsFile, base64: plan.credentials?.toString('base64') ?? null },
    profiles: result.added,
    ssoSessions: result.addedSsoSessions,
  };
  await deps.secrets.set(TAKE_OVER_BACKUP_ENTRY, JSON.stringify(backup));
  // Credentials first: once it is written, no plain-text key is left for the AWS CLI to prefer.
  // No backup file beside it: that would be the plain-text key again.
  if (plan.credentials && plan.nextCredentials && !plan.nextCredentials.equals(plan.credentials)) await writeFileAtomic(plan.credentialsFile, plan.nextCredentials);
  if (plan.config && plan.nextConfig && !plan.nextConfig.equals(plan.config)) await writeFileAtomic(plan.configFile, plan.nextConfig);
  return { ...result, keysMoved: keys.map((k) => k.name).filter((n) => result.added.includes(n)) };
}

export interface UndoResult {
  files: string[];
  removedProfiles: string[];
  /** Profiles the take-over added that now carry others built on them since: kept. */
  keptProfiles: string[];
}

/** Puts both files back byte for byte and takes out what the take-over added to Rolecall. */
export async function undoTakeOver(deps: { state: ProfileStateStore; secrets: SecretStore }): Promise<UndoResult> {
  const backup = await readJsonSecret(deps.secrets, TAKE_OVER_BACKUP_ENTRY, TakeOverBackup);
  if (!backup) throw new RolecallError('there is no take-over to undo', 'not-found', 'rolecall config import --take-over makes one');
  for (const f of [backup.credentials, backup.config]) {
    if (f.base64 === null) await unlink(f.file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    else await writeFileAtomic(f.file, Buffer.from(f.base64, 'base64'));
  }
  const removed: string[] = [];
  const kept: string[] = [];
  await deps.state.update((state) => {
    const added = new Set(backup.profiles);
    // Added since by the user on top of an imported profile: the imported one stays for it.
    for (let changed = true; changed; ) {
      changed = false;
      for (const p of state.profiles) {
        const source = 'sourceProfile' in p ? p.sourceProfile : undefined;
        if (source !== undefined && added.has(source) && !added.has(p.name)) {
          added.delete(source);
          kept.push(source);
          changed = true;
        }
      }
    }
    removed.push(...state.profiles.filter((p) => added.has(p.name)).map((p) => p.name));
    state.profiles = state.profiles.filter((p) => !added.has(p.name));
    const stillUsed = new Set(state.profiles.flatMap((p) => (p.kind === 'sso-role' ? [p.ssoSession] : [])));
    state.ssoSessions = state.ssoSessions.filter((s) => !backup.ssoSessions.includes(s.name) || stillUsed.has(s.name));
  });
  for (const name of removed) await deps.secrets.delete(iamUserEntryName(name));
  await deps.secrets.delete(TAKE_OVER_BACKUP_ENTRY);
  return { files: [backup.config.file, backup.credentials.file], removedProfiles: removed, keptProfiles: kept };
}
