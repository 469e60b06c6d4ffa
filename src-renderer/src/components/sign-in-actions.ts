// What the sign-ins column, the add forms, settings and the first run do through the API. Errors
// stay where they happened: on the sign-in (signInErrors) or in the add form (addError).
import type { ImportPreview, SettingsEdit, SettingsView, SignInView } from '../../../src-shared/api';
import { loadAll, toast, useStore } from '../store';

const get = useStore.getState;
const set = useStore.setState;

/** The one line of an Error, or of the plain {message} the preload rejects with. */
export const messageOf = (e: unknown): string => {
  const m = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
  return typeof m === 'string' ? m : String(e);
};
/** A zod issue as one line: which field, and what is wrong with it. */
export const issueOf = (e: { issues: { path: PropertyKey[]; message: string }[] }, labels: Record<string, string> = {}): string => {
  const i = e.issues[0]!;
  // A list's item (roleArns.0) is named as the list is.
  const field = i.path.length ? String(i.path[0]) : '';
  return field ? `${labels[field] ?? field}: ${i.message}` : i.message;
};

const without = <T,>(o: Record<string, T>, k: string) => {
  const { [k]: _drop, ...rest } = o;
  return rest;
};

function putSignIn(view: SignInView): void {
  const list = get().signIns;
  const same = (s: SignInView) => s.name === view.name && s.kind === view.kind;
  set({ signIns: list.some(same) ? list.map((s) => (same(s) ? view : s)) : [...list, view] });
}

async function onSignIn(name: string, fn: () => Promise<SignInView>, done: string): Promise<boolean> {
  set({ signInErrors: without(get().signInErrors, name) });
  try {
    putSignIn(await fn());
    toast(done);
    return true;
  } catch (e) {
    set({ signInErrors: { ...get().signInErrors, [name]: messageOf(e) } });
    void loadAll();
    return false;
  }
}

export const signInActions = {
  /** OIDC device-code sign-in: the device-code dialog shows the code and the link. */
  signInOidc: (name: string) => onSignIn(name, () => get().api!.signInOidc(name), `Signed in to ${name}`),
  startAwsSignIn: async (name: string): Promise<string> => (await get().api!.startAwsSignIn(name)).url,
  addAwsSignIn: async (req: { name: string; region: string }): Promise<string> => {
    set({ signInErrors: without(get().signInErrors, req.name) });
    return (await get().api!.addAwsSignIn(req)).url;
  },
  finishAwsSignIn: (name: string, code: string) => onSignIn(name, () => get().api!.finishAwsSignIn(name, code), `Signed in to AWS as ${name}`),
  signInSaml: (name: string, samlResponse: string) => onSignIn(name, () => get().api!.signInSaml(name, samlResponse), `Signed in to ${name} with the SAMLResponse`),
  /** The desktop app's SAML login window: the IdP's post is captured there, never in the page. */
  signInSamlWindow: (name: string) => onSignIn(name, () => get().api!.signInSamlWindow(name), `Signed in to ${name}`),

  /** Adds an OIDC integration, then signs in to it with a device code. */
  async addOidc(req: { name: string; issuer: string; clientId: string; roleArns: string[] }): Promise<boolean> {
    set({ addError: null });
    try {
      putSignIn(await get().api!.addOidc(req));
    } catch (e) {
      set({ addError: messageOf(e) });
      return false;
    }
    set({ addOpen: false });
    await loadAll();
    return signInActions.signInOidc(req.name);
  },
  async addSaml(req: { name: string; url: string }): Promise<boolean> {
    set({ addError: null });
    try {
      putSignIn(await get().api!.addSaml(req));
    } catch (e) {
      set({ addError: messageOf(e) });
      return false;
    }
    set({ addOpen: false });
    toast(`Added ${req.name}: sign in with a SAMLResponse to get its roles`);
    return true;
  },

  getSettings: (): Promise<SettingsView> => get().api!.getSettings(),
  saveSettings: (edit: SettingsEdit): Promise<SettingsView> => get().api!.saveSettings(edit),
  installCli: async (): Promise<string> => (await get().api!.installCli()).message,

  previewImport: (): Promise<ImportPreview> => get().api!.previewImport(),
  async importConfig(): Promise<string> {
    const r = await get().api!.importConfig();
    await loadAll();
    const what = `${r.added.length} profile${r.added.length === 1 ? '' : 's'}` + (r.addedSsoSessions.length ? ` and Identity Center ${r.addedSsoSessions.join(', ')}` : '');
    toast(`Imported ${what}`);
    return what;
  },
  async useSandbox(): Promise<void> {
    const r = await get().api!.useSandboxOrganization();
    await loadAll();
    toast(r.message);
  },
};
