// The contract's method and event names, with no schema: the window's first script builds the
// web bridge's API from them without loading zod and the schemas (a third of its JavaScript, and
// some 20 ms of its start). api.ts checks that these are exactly the contract's names.

export const rolecallMethods = [
  'listProfiles',
  'listSignIns',
  'signIn',
  'cancelSignIn',
  'sync',
  'startSession',
  'stopSession',
  'openConsole',
  'copy',
  'makeDefault',
  'setFavorite',
  'editProfile',
  'addOidc',
  'signInOidc',
  'addSaml',
  'signInSaml',
  'signInSamlWindow',
  'getSettings',
  'saveSettings',
  'previewImport',
  'importConfig',
  'startAwsSignIn',
  'addAwsSignIn',
  'finishAwsSignIn',
  'appInfo',
  'installCli',
  'useSandboxOrganization',
] as const;
export type RolecallMethod = (typeof rolecallMethods)[number];

export const rolecallEvents = ['sessionChanged', 'signInChanged', 'deviceCode', 'syncProgress', 'profilesChanged', 'notice'] as const;
export type RolecallEvent = (typeof rolecallEvents)[number];

export const eventMethodName = <E extends RolecallEvent>(e: E) => `on${e[0]!.toUpperCase()}${e.slice(1)}` as `on${Capitalize<E>}`;

/** Thrown on the renderer side for a failed call, keeping the core's error code. */
export class RolecallCallError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
