// The agent's requests, validated on the server (the client side is wire.ts, zod-free).
import { z } from 'zod';
import { ProfileName } from '../../../src-shared/names';

const Common = {
  /** The per-install token from paths.agentTokenFile: every request carries it. */
  token: z.string().min(1).max(256),
  /** Echoed in the answer, so a client may pipeline requests. */
  id: z.union([z.string().max(64), z.number().int()]).optional(),
};

export const AgentRequest = z.discriminatedUnion('type', [
  z.object({
    ...Common,
    type: z.literal('credentials'),
    profile: ProfileName,
    mfaCode: z.string().regex(/^\d{6}$/, 'an MFA code is 6 digits').optional(),
    forceRefresh: z.boolean().optional(),
  }),
  z.object({ ...Common, type: z.literal('sessions') }),
  z.object({ ...Common, type: z.literal('forget'), profile: ProfileName }),
  z.object({ ...Common, type: z.literal('ping') }),
  z.object({ ...Common, type: z.literal('shutdown') }),
]);
export type AgentRequest = z.infer<typeof AgentRequest>;
