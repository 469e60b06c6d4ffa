// The forms that check what is typed with the contract's zod schemas (the add forms, the SAML
// paste, the AWS sign-in code, settings). zod and the schemas are a third of the window's
// JavaScript and some 20 ms of its start, so they load in idle time after the list's first paint
// (store.ts), not before it; one opened sooner waits for them (LazyForms.tsx).
export type Forms = typeof import('./components/AddSignIn') & typeof import('./components/Settings');
let forms: Promise<Forms> | undefined;

export function loadForms(): Promise<Forms> {
  // A failed load is asked again next time (a reload of the bridge's page, a rebuilt renderer).
  forms ??= Promise.all([import('./components/AddSignIn'), import('./components/Settings')]).then(
    ([add, settings]) => ({ ...add, ...settings }),
    (e: unknown) => {
      forms = undefined;
      throw e;
    },
  );
  return forms;
}
