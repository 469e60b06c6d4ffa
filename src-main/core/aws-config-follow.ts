// While the writeAwsConfig setting is on, the AWS config's managed block follows the profiles:
// rewritten after every change of them (whoever made it: the window, a sync, another process's
// CLI, as the API hears the state file change) and when the setting is turned on. For the faces
// that run long, the desktop app and `rolecall serve --web`; one-shot CLI commands write the
// block themselves (cli/write-block.ts).
import type { CoreApi } from './api';

/**
 * Runs `task` after each burst of triggers, never two at once: a trigger while it runs asks for
 * one more run afterwards (a sync emits many changes; the block is written once or twice, not
 * once per change, and never from a stale read).
 */
export class Coalescer {
  private running?: Promise<void>;
  private again = false;
  constructor(private readonly task: () => Promise<void>) {}

  trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.task();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}

/**
 * Keeps the block written through `write` (writeManagedBlockFromState with the face's install)
 * while the setting is on; a failed write goes to `onError` (a notification, a notice), and the
 * next change tries again. Wraps api.saveSettings, so turning the setting on writes at once.
 */
export function keepAwsConfigWritten(api: CoreApi, write: () => Promise<unknown>, onError: (e: unknown) => void): void {
  const writer = new Coalescer(async () => {
    if (!(await api.getSettings()).writeAwsConfig) return;
    await write().catch(onError);
  });
  const saveSettings = api.saveSettings;
  api.saveSettings = async (edit) => {
    const view = await saveSettings(edit);
    if (edit.writeAwsConfig) void writer.trigger();
    return view;
  };
  api.onProfilesChanged(() => void writer.trigger());
}
