// The zod-checked forms (forms.ts) as components the eager part of the window can render: each
// waits for its module, and a module that cannot load says so in place instead of blanking the window.
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { loadForms, type Forms } from '../forms';

class LoadFailed extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? (
      <div className="error" role="alert">
        This form could not load: reload the window.
      </div>
    ) : (
      this.props.children
    );
  }
}

function later<P extends object>(name: string, pick: (forms: Forms) => ComponentType<P>): ComponentType<P> {
  const Loaded = lazy(async () => ({ default: pick(await loadForms()) }));
  const Later = (props: P) => (
    <LoadFailed>
      <Suspense fallback={null}>
        <Loaded {...props} />
      </Suspense>
    </LoadFailed>
  );
  Later.displayName = name;
  return Later;
}

export const AddOidc = later('AddOidc', (f) => f.AddOidc);
export const AddSaml = later('AddSaml', (f) => f.AddSaml);
export const AddAwsSignIn = later('AddAwsSignIn', (f) => f.AddAwsSignIn);
export const AwsSignInAgain = later('AwsSignInAgain', (f) => f.AwsSignInAgain);
export const SamlPaste = later('SamlPaste', (f) => f.SamlPaste);
export const SettingsDialog = later('SettingsDialog', (f) => f.SettingsDialog);
