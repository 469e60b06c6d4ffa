// The contract between the renderer and the core, shared by the preload (Electron IPC) and the
// web bridge (loopback HTTP). Results carry no secrets: the renderer never sees a key.
import { z } from 'zod';
import { ProfileName } from './names';

export const ProfileView = z.object({
  name: z.string(),
  kind: z.enum(['sso-role', 'iam-user', 'assume-role', 'web-identity']),
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

/** Method name -> argument and result schemas; both sides validate with them. */
export const RolecallApiContract = {
  listProfiles: { args: z.tuple([]), result: z.array(ProfileView) },
  startSession: { args: z.tuple([ProfileName]), result: ProfileView },
  stopSession: { args: z.tuple([ProfileName]), result: z.null() },
} as const;

type Contract = typeof RolecallApiContract;
export type RolecallApi = {
  [K in keyof Contract]: (...args: z.infer<Contract[K]['args']>) => Promise<z.infer<Contract[K]['result']>>;
};
export type RolecallMethod = keyof Contract;
export const rolecallMethods = Object.keys(RolecallApiContract) as RolecallMethod[];
