// The window's entry, kept tiny: it asks for the profile list (prefetch.ts) as soon as it runs,
// and only then loads React and the window's code, so the core's answer and the big script's
// download and parse overlap instead of following each other.
import './prefetch';
import './styles.css';

void import('./start').then((m) => m.start());
