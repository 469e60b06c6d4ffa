// React and the window, loaded by main.tsx once the profile list has been asked for.
import { createRoot } from 'react-dom/client';
import { App } from './App';

export function start(): void {
  createRoot(document.getElementById('root')!).render(<App />);
}
