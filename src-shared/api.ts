// The contract between the renderer and the core, shared by the preload (Electron IPC) and the
// web bridge (loopback HTTP + server-sent events). Every method's arguments and result, and every
// event, has a schema both sides check. Nothing here can hold a secret: names, ARNs, states and
// expiry times only (no keys, tokens, SigninTokens or sign-in URLs carrying one).
import { z } from 'zod';
import { ProfileName, IntegrationName, Region } from './names';
import { Profile, type ProfileKind } from './profile';

/** Every kind of profile there is (the discriminator of Profile), so a new kind shows without a second list. */
const profileKinds = Profile.options.map((o) => o.shape.kind.value) as [ProfileKind, ...ProfileKind[]];

/** A profile as `rolecall list --json` shows it. */
export const ProfileView = z.object({
  name: z.string(),
  kind: z.enum(profileKinds),
  accountId: z.string().nullable(),
  roleName: z.string().nullable(),
  /** The role assumed with the source's credentials (assume-role, web-identity); null otherwise. */
  roleArn: z.string().nullable(),
  region: z.string().nullable(),
  source: z.string().nullable(),
  favorite: z.boolean(),
  /** ISO 8601, null when no live session. */
  expiresAt: z.string().nullable(),
});
export type ProfileView = z.infer<typeof ProfileView>;

/** A profile as the window and the tray show it: the list view plus what they group and sort by. */
export const ProfileRow = ProfileView.extend({
  accountName: z.string().nullable(),
  alias: z.string().nullable(),
  /** The profile `default` points at (settings.defaultProfile). */
  isDefault: z.boolean(),
  /** When the broker will refresh the session (ISO 8601), null without one. */
  refreshAt: z.string().nullable(),
  /** Role hops above the source (0 for an Identity Center role or an IAM user). */
  chainDepth: z.number().int().min(0),
  /** Epoch ms of the last start from the window or the tray, null if never. */
  lastUsedAt: z.number().nullable(),
});
export type ProfileRow = z.infer<typeof ProfileRow>;

export const SignInState = z.enum(['signed-in', 'sign-in-required', 'refreshing', 'signing-in', 'keys']);
export type SignInState = z.infer<typeof SignInState>;

/** An Identity Center instance or an IAM user: how the person gets credentials at all. */
export const SignInView = z.object({
  name: z.string(),
  kind: z.enum(['identity-center', 'iam-user']),
  state: SignInState,
  /** The Identity Center token's end (ISO 8601), null otherwise. */
  expiresAt: z.string().nullable(),
  /** Identity Center: the start URL; IAM user: the MFA device ARN, if any. */
  detail: z.string().nullable(),
  region: z.string().nullable(),
});
export type SignInView = z.infer<typeof SignInView>;

/** What the person must do to finish a device-code sign-in (RFC 8628); the user code is not a secret on its own. */
export const DeviceCodeView = z.object({
  instance: z.string(),
  userCode: z.string(),
  verificationUri: z.string().url(),
  verificationUriComplete: z.string().url().nullable(),
});
export type DeviceCodeView = z.infer<typeof DeviceCodeView>;

export const SyncSummary = z.object({ name: z.string(), accounts: z.number(), roles: z.number(), added: z.number(), removed: z.number() });
export type SyncSummary = z.infer<typeof SyncSummary>;

export const SignInRequest = z.object({
  name: IntegrationName,
  /** Only for an instance new to Rolecall. */
  startUrl: z.string().url().max(512).optional(),
  region: Region.optional(),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

const MfaCode = z.string().regex(/^\d{6}$/, 'an MFA code is 6 digits');
export const StartRequest = z.object({ mfaCode: MfaCode.optional(), forceRefresh: z.boolean().optional() }).strict();

export const CopyWhat = z.enum(['env', 'credential-process']);
export const CopyResult = z.object({
  /** Text the page may put on the clipboard itself (never holds a secret); null when the host copied it. */
  text: z.string().nullable(),
  /** What was copied, in words. */
  description: z.string(),
});
export const ConsoleResult = z.object({
  /**
   * A one-time 127.0.0.1 address that redirects once to the console sign-in, for a page that
   * must open it itself (the web bridge); null when the host opened the browser.
   */
  redirectUrl: z.string().url().nullable(),
  description: z.string(),
});
export const Message = z.object({ message: z.string() });
/** What the window edits of a profile; null clears it. */
export const ProfileEdit = z
  .object({ alias: z.string().trim().min(1).max(128).nullable().optional(), region: Region.nullable().optional() })
  .strict();
export type ProfileEdit = z.infer<typeof ProfileEdit>;

/** Method name -> argument and result schemas; both sides validate with them. */
export const RolecallApiContract = {
  listProfiles: { args: z.tuple([]), result: z.array(ProfileRow) },
  listSignIns: { args: z.tuple([]), result: z.array(SignInView) },
  /** Device-code sign-in (the dialog shows the code through the deviceCode event); resolves once approved. */
  signIn: { args: z.tuple([SignInRequest]), result: SignInView },
  cancelSignIn: { args: z.tuple([IntegrationName]), result: z.null() },
  sync: { args: z.tuple([IntegrationName]), result: SyncSummary },
  startSession: { args: z.union([z.tuple([ProfileName]), z.tuple([ProfileName, StartRequest])]), result: ProfileRow },
  stopSession: { args: z.tuple([ProfileName]), result: z.null() },
  openConsole: { args: z.tuple([ProfileName]), result: ConsoleResult },
  copy: { args: z.tuple([ProfileName, CopyWhat]), result: CopyResult },
  makeDefault: { args: z.tuple([ProfileName]), result: Message },
  setFavorite: { args: z.tuple([ProfileName, z.boolean()]), result: ProfileRow },
  editProfile: { args: z.tuple([ProfileName, ProfileEdit]), result: ProfileRow },
} as const;

/** Event name -> payload schema. Listeners get validated payloads only. */
export const RolecallEventContract = {
  /** A session started, was refreshed or ended (expiresAt null). */
  sessionChanged: z.object({ profile: z.string(), expiresAt: z.string().nullable() }),
  /** A sign-in's state changed (signing in, signed in, ended). */
  signInChanged: SignInView,
  /** A device-code sign-in waits on the person; `done` once it ended either way. */
  deviceCode: z.union([DeviceCodeView.extend({ done: z.literal(false) }), z.object({ instance: z.string(), done: z.literal(true) })]),
  syncProgress: z.object({ instance: z.string(), accounts: z.number(), accountsDone: z.number(), roles: z.number(), listingDone: z.boolean() }),
  /** Profiles were added or removed (a sync, an edit): reload the list. */
  profilesChanged: z.object({}),
  notice: Message,
} as const;

type Contract = typeof RolecallApiContract;
type Events = typeof RolecallEventContract;
export type RolecallMethod = keyof Contract;
export type RolecallEvent = keyof Events;
export type RolecallEventPayload<E extends RolecallEvent> = z.infer<Events[E]>;
export type RolecallMethods = {
  [K in RolecallMethod]: (...args: z.infer<Contract[K]['args']>) => Promise<z.infer<Contract[K]['result']>>;
};
/** `onSessionChanged(listener)` etc., each returning its unsubscribe function. */
export type RolecallEvents = {
  [E in RolecallEvent as `on${Capitalize<E>}`]: (listener: (payload: RolecallEventPayload<E>) => void) => () => void;
};
export type RolecallApi = RolecallMethods & RolecallEvents;

export const rolecallMethods = Object.keys(RolecallApiContract) as RolecallMethod[];
export const rolecallEvents = Object.keys(RolecallEventContract) as RolecallEvent[];
export const eventMethodName = <E extends RolecallEvent>(e: E) => `on${e[0]!.toUpperCase()}${e.slice(1)}` as `on${Capitalize<E>}`;

/** IPC channel names: one per method, one per event, nothing else. */
export const methodChannel = (m: RolecallMethod) => `rolecall:${m}`;
export const eventChannel = (e: RolecallEvent) => `rolecall-event:${e}`;

/** An error as it crosses a boundary: one line for people and the core's code (so the page can offer the fix). */
export const ApiErrorBody = z.object({ error: z.string(), code: z.string().optional() });

/** Thrown on the renderer side for a failed call, keeping the core's error code. */
export class RolecallCallError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Subscribes to an event by name on any RolecallApi. */
export function subscribe<E extends RolecallEvent>(api: RolecallEvents, event: E, listener: (p: RolecallEventPayload<E>) => void): () => void {
  const on = api[eventMethodName(event)] as unknown as (l: (p: RolecallEventPayload<E>) => void) => () => void;
  return on(listener);
}
