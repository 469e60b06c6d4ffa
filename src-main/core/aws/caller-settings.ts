// The AWS settings Rolecall reads from a caller's environment. They belong to the process that
// asks (its shell's endpoints and region), not to whichever process started the agent, so they
// travel with every agent request and key every cached session. Imports nothing: the
// credential_process hot path uses it.

/** Variables Rolecall honours: endpoint overrides (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) and region. */
export function isAwsSettingName(name: string): boolean {
  return name === 'AWS_ENDPOINT_URL' || name.startsWith('AWS_ENDPOINT_URL_') || name === 'AWS_REGION' || name === 'AWS_DEFAULT_REGION';
}

export type AwsCallerSettings = Record<string, string>;

/** The caller's AWS settings, as a small sorted record (empty values dropped, as the SDK ignores them). */
export function awsCallerSettings(env: NodeJS.ProcessEnv): AwsCallerSettings {
  const out: AwsCallerSettings = {};
  for (const name of Object.keys(env).filter(isAwsSettingName).sort()) {
    const v = env[name];
    if (v) out[name] = v;
  }
  return out;
}

/** One stable string per set of settings; '' for none (the everyday case keeps its old cache keys). */
export function awsSettingsKey(s: AwsCallerSettings): string {
  const names = Object.keys(s).sort();
  return names.length ? JSON.stringify(names.map((n) => [n, s[n]])) : '';
}
