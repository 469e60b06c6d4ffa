// The contract between the renderer and the core, shared by the preload (Electron IPC) and the
// web bridge (loopback HTTP + server-sent events). Every method's arguments and result, and every
// event, has a schema both sides check. Nothing here can hold a secret: names, ARNs, states and
// expiry times only (no keys, tokens, SigninTokens or sign-in URLs carrying one).
import { z } from 'zod';
import { ProfileName, IntegrationName, Region, RoleArn } from './names';
import { Profile, type ProfileKind } from './profile';
import { eventMethodName, type RolecallEvent, type RolecallMethod } from './api-names';

export { RolecallCallError, eventMethodName, rolecallEvents, rolecallMethods, type RolecallEvent, type RolecallMethod } from './api-names';

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

/** An Identity Center instance, a SAML or OIDC integration, an AWS sign-in (aws-login) profile or an IAM user: how the person gets credentials at all. */
export const SignInView = z.object({
  name: z.string(),
  kind: z.enum(['identity-center', 'iam-user', 'saml', 'oidc', 'aws-login']),
  state: SignInState,
  /** When the sign-in ends (ISO 8601): the Identity Center token, the OIDC id_token, the SAML roles' sessions, the aws-login session; null otherwise. */
  expiresAt: z.string().nullable(),
  /** Identity Center: the start URL; SAML: the IdP URL; OIDC: the issuer; aws-login: the account; IAM user: the MFA device ARN, if any. */
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

export const OidcAddRequest = z
  .object({
    name: IntegrationName,
    issuer: z.string().url().max(2048),
    clientId: z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'a client id is printable ASCII without spaces'),
    roleArns: z.array(RoleArn).min(1, 'at least one role ARN').max(50),
    region: Region.optional(),
  })
  .strict();
export const SamlAddRequest = z.object({ name: IntegrationName, url: z.string().url().max(2048), region: Region.optional() }).strict();
/** A SAMLResponse the person pasted (base64, as the IdP posted it): it goes page to core only, never back. */
export const SamlResponseText = z.string().trim().min(1, 'paste the SAMLResponse').max(100_000).regex(/^[A-Za-z0-9+/=\s]+$/, 'a SAMLResponse is base64');

/** The fields a profile name template may use (as core/sso/naming.ts renders them). */
const TEMPLATE_FIELDS = ['accountName', 'accountId', 'roleName', 'ssoSession'];

/** The settings the window edits (the state file's settings). */
export const SettingsView = z.object({
  /** Refresh a session this many seconds before it ends. */
  refreshAheadSeconds: z.number().int().min(60).max(3000),
  /** Console sign-in session length (SessionDuration), null for AWS's default. */
  consoleDurationSeconds: z.number().int().min(900).max(43200).nullable(),
  /** The browser command the console opens in, null for the system's. */
  consoleBrowser: z.string().trim().min(1).max(512).nullable(),
  profileNameTemplate: z
    .string()
    .trim()
    .min(1)
    .max(256)
    .refine((t) => [...t.matchAll(/\{([^}]*)\}/g)].every((m) => TEMPLATE_FIELDS.includes(m[1] ?? '')), `use only ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`)
    .refine((t) => t.includes('{roleName}'), 'the template needs {roleName}, or every role of an account gets one name'),
  writeAwsConfig: z.boolean(),
  launchAtLogin: z.boolean(),
});
export type SettingsView = z.infer<typeof SettingsView>;
export const SettingsEdit = SettingsView.partial().strict();
export type SettingsEdit = z.infer<typeof SettingsEdit>;

/** What `config import` would bring in, shown before anything is written. */
export const ImportPreview = z.object({
  file: z.string(),
  profiles: z.array(z.object({ name: z.string(), kind: z.string() })),
  ssoSessions: z.array(z.string()),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type ImportPreview = z.infer<typeof ImportPreview>;
export const ImportResult = z.object({ added: z.array(z.string()), addedSsoSessions: z.array(z.string()), skipped: z.array(z.object({ name: z.string(), reason: z.string() })) });

/** A new AWS sign-in (aws-login profile): its profile name and the region it signs in in. */
export const AwsSignInAddRequest = z.object({ name: ProfileName, region: Region });

/** Method name -> argument and result schemas; both sides validate with them. */
export const RolecallApiContract = {
  /** Every profile, in name order. */
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
  addOidc: { args: z.tuple([OidcAddRequest]), result: SignInView },
  /** OIDC device-code sign-in (the code through the deviceCode event, instance = the integration); resolves once approved. */
  signInOidc: { args: z.tuple([IntegrationName]), result: SignInView },
  addSaml: { args: z.tuple([SamlAddRequest]), result: SignInView },
  /** Signs in to a SAML integration with a SAMLResponse captured elsewhere (the web bridge has no login window). */
  signInSaml: { args: z.tuple([IntegrationName, SamlResponseText]), result: SignInView },
  /**
   * Signs in to a SAML integration in the desktop app's login window: the IdP's post to AWS is
   * captured there and goes to the core, never to the page. The web bridge has no such window.
   */
  signInSamlWindow: { args: z.tuple([IntegrationName]), result: SignInView },
  getSettings: { args: z.tuple([]), result: SettingsView },
  saveSettings: { args: z.tuple([SettingsEdit]), result: SettingsView },
  /** Reads the AWS config (and credentials file) and says what an import would add; writes nothing. */
  previewImport: { args: z.tuple([]), result: ImportPreview },
  importConfig: { args: z.tuple([]), result: ImportResult },
  /**
   * AWS sign-in for an aws-login profile, cross device (the page has no loopback port): answers the
   * authorize address to open (its state and PKCE challenge are not secrets); finishAwsSignIn takes
   * the code that page shows.
   */
  startAwsSignIn: { args: z.tuple([ProfileName]), result: z.object({ url: z.string().url() }) },
  /** The same for a new aws-login profile NAME, signing in in REGION: the profile is made once the sign-in ends (finishAwsSignIn). */
  addAwsSignIn: { args: z.tuple([AwsSignInAddRequest]), result: z.object({ url: z.string().url() }) },
  finishAwsSignIn: { args: z.tuple([ProfileName, z.string().trim().min(1, 'paste the code the sign-in page shows').max(8192)]), result: SignInView },
  /**
   * What this face offers: `demo` when it runs against the sandbox (npm run demo, demo:web);
   * `samlLoginWindow` in the desktop app; `cliLink` when installCli can link this install's
   * `rolecall` command.
   */
  appInfo: { args: z.tuple([]), result: z.object({ demo: z.boolean(), samlLoginWindow: z.boolean(), cliLink: z.boolean() }) },
  /** Links the installed app's own `rolecall` command into a directory on PATH; says where, and how to reach it if that directory is not on PATH. */
  installCli: { args: z.tuple([]), result: Message },
  /** The demo only: signs in to the sandbox's Identity Center, syncs, adds its IAM user and chain. */
  useSandboxOrganization: { args: z.tuple([]), result: Message },
} as const satisfies { [M in RolecallMethod]: { args: z.ZodType; result: z.ZodType } };

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
} as const satisfies { [E in RolecallEvent]: z.ZodType };

type Contract = typeof RolecallApiContract;
type Events = typeof RolecallEventContract;
export type RolecallEventPayload<E extends RolecallEvent> = z.infer<Events[E]>;
export type RolecallMethods = {
  [K in RolecallMethod]: (...args: z.infer<Contract[K]['args']>) => Promise<z.infer<Contract[K]['result']>>;
};
/** `onSessionChanged(listener)` etc., each returning its unsubscribe function. */
export type RolecallEvents = {
  [E in RolecallEvent as `on${Capitalize<E>}`]: (listener: (payload: RolecallEventPayload<E>) => void) => () => void;
};
export type RolecallApi = RolecallMethods & RolecallEvents;


/** IPC channel names: one per method, one per event, nothing else. */
export const methodChannel = (m: RolecallMethod) => `rolecall:${m}`;
export const eventChannel = (e: RolecallEvent) => `rolecall-event:${e}`;


/** Subscribes to an event by name on any RolecallApi. */
export function subscribe<E extends RolecallEvent>(api: RolecallEvents, event: E, listener: (p: RolecallEventPayload<E>) => void): () => void {
  const on = api[eventMethodName(event)] as unknown as (l: (p: RolecallEventPayload<E>) => void) => () => void;
  return on(listener);
}
