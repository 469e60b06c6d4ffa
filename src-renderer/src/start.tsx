// React and the window, loaded by main.tsx once the profile list has been asked for.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getApi } from './api';
import { primeProfiles } from './store';

export async function start(): Promise<void> {
  // A blank window for a moment at most: past that the window shows without its list, which follows.
  try {
    await primeProfiles(getApi(), 250);
  } catch {
    // no API in this window: App says so
  }
  createRoot(document.getElementById('root')!).render(<App />);
}
