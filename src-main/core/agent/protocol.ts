// The agent's requests, validated on the server (the client side is wire.ts, zod-free). They
// carry no token: a connection proves it knows the token once, in the handshake (handshake.ts).
import { z } from 'zod';
import { ProfileName } from '../../../src-shared/names';
import { isAwsSettingName } from '../aws/caller-settings';

const Common = {
  /** Echoed in the answer, so a client may pipeline requests. */
  id: z.union([z.string().max(64), z.number().int()]).optional(),
};

/** More than Rolecall reads (a region, a global and a few per-service endpoints), fewer than could hurt. */
const MAX_AWS_SETTINGS = 32;

const ONLY_NAMES = 'only AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are accepted';

/** The caller's own AWS settings (awsCallerSettings of its environment): names Rolecall reads, string values. */
export const AwsSettings = z
  // zod's record would silently drop a JSON "__proto__" key; refuse it like any other foreign name.
  .custom<unknown>((v) => typeof v !== 'object' || v === null || !Object.hasOwn(v, '__proto__'), ONLY_NAMES)
  .pipe(z.record(z.string().max(128), z.string().max(2048)))
  .check((ctx) => {
    const names = Object.keys(ctx.value);
    if (names.length > MAX_AWS_SETTINGS) ctx.issues.push({ code: 'custom', message: `at most ${MAX_AWS_SETTINGS} settings`, input: ctx.value });
    // Checked here rather than on the record's keys, whose failures zod reports only as "Invalid key".
    for (const n of names.filter((n) => !isAwsSettingName(n))) ctx.issues.push({ code: 'custom', message: `not a setting Rolecall reads; ${ONLY_NAMES}`, input: n, path: [n] });
  });

export const AgentRequest = z.discriminatedUnion('type', [
  z.object({
    ...Common,
    type: z.literal('credentials'),
    profile: ProfileName,
    mfaCode: z.string().regex(/^\d{6}$/, 'an MFA code is 6 digits').optional(),
    forceRefresh: z.boolean().optional(),
    awsSettings: AwsSettings.optional(),
  }),
  z.object({ ...Common, type: z.literal('sessions') }),
  z.object({ ...Common, type: z.literal('forget'), profile: ProfileName }),
  z.object({ ...Common, type: z.literal('ping') }),
  z.object({ ...Common, type: z.literal('shutdown') }),
  // Another broker (the app) takes the socket over: stop accepting, finish what is in flight, exit.
  z.object({ ...Common, type: z.literal('handover') }),
]);
export type AgentRequest = z.infer<typeof AgentRequest>;
