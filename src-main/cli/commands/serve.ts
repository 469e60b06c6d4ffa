// `rolecall serve [--idle-exit SECONDS] [--web [--port N]]`: a headless broker hosting the agent socket, in the
// foreground until interrupted; with --idle-exit (how credential-process starts it in the
// background) it exits after that long without a request. With --web it also serves the
// renderer and RolecallApi over loopback HTTP (src-main/web), over the same core.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describeError, RolecallError, isRolecallError } from '../../core/errors';
import type { WebBridge } from '../../web/server';
import type { CliContext } from '../context';
import { wholeSeconds } from '../validate';
import { KEYCHAIN_PROBE_ENTRY } from '../../core/secrets/keychain-layout';

/** After a stop, how long the broker's pending work (an AWS call that hangs) may hold the process. */
const STOP_GRACE_MS = 1_500;

/** The electron-vite build of the renderer (out/renderer), looked for above this module. */
function findRendererDir(): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'out', 'renderer');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function portNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new RolecallError(`--port: expected a port number 1-65535, got ${JSON.stringify(value)}`, 'invalid-input');
  return n;
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run a broker that CLI processes share through the agent socket')
    .option('--idle-exit <seconds>', 'exit after this many seconds without a request')
    .option('--web', 'also serve the Rolecall UI and API on 127.0.0.1 (token-protected)')
    .option('--port <port>', 'with --web: the port (default: a free one)')
    .action(async (o: { idleExit?: string; web?: boolean; port?: string }) => {
      const idleSeconds = wholeSeconds(o.idleExit, '--idle-exit');
      const port = portNumber(o.port);
      if (port !== undefined && !o.web) throw new RolecallError('--port goes with --web', 'invalid-input');
      // With --web the page hears what the broker does on its own (a CLI's refresh, a failed retry).
      const apiEvents = o.web ? await import('../../core/api-events') : undefined;
      const events = apiEvents ? new apiEvents.ApiEvents() : undefined;
      const core = apiEvents && events ? await (await import('../core-factory')).createCliCore(ctx.io, { interactive: true, ...apiEvents.brokerEvents(events) }) : await ctx.core();
      // A harmless entry (the store's own probe): a miss checks the store can write, so a locked
      // keychain or a Secret Service that D-Bus cannot reach both fail here, not in every caller.
      // Read at start: an agent that cannot reach the keychain would fail every caller that can.
      await core.secrets.get(KEYCHAIN_PROBE_ENTRY).catch((e: unknown) => {
        if (!isRolecallError(e)) throw e;
        throw new RolecallError(`the agent did not start: ${e.message}`, e.code, e.hint);
      });
      const { AgentServer } = await import('../../core/agent/server');
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const server = new AgentServer(core.broker, core.paths, {
        idleSeconds,
        onIdle: () => stop(),
        onShutdown: () => stop(),
        // The app takes the socket over (one broker); a web page served from here would lose its own.
        onHandover: () => stop(),
        ...(o.web ? { refuseHandover: 'it serves the web UI (rolecall serve --web)' } : {}),
      });
      try {
        await server.listen();
      } catch (e) {
        // Started in the background while another agent won the race: that one serves.
        if (idleSeconds && isRolecallError(e) && e.code === 'conflict') return;
        throw e;
      }
      // Callers waiting on a person signing in are told so, and keep waiting.
      const unsubscribe = core.sso.onSignIn(({ instance, what }) => server.signInProgress(instance, what));
      let bridge: WebBridge | undefined;
      if (o.web) {
        try {
          const [{ startWebBridge }, { createRolecallApi }, { keepAwsConfigWritten }, { writeManagedBlockFromState }, { cliInstall }] = await Promise.all([
            import('../../web/server'),
            import('../../core/api'),
            import('../../core/aws-config-follow'),
            import('../../core/files/managed-block'),
            import('./config-write'),
          ]);
          const rendererDir = findRendererDir();
          const api = createRolecallApi(core, {}, events);
          // As the desktop app does: the page's changes (and the CLI's) reach ~/.aws/config while writeAwsConfig is on.
          const install = cliInstall();
          keepAwsConfigWritten(api, () => writeManagedBlockFromState(core.paths, install), (e) => {
            const message = `AWS config not written: ${describeError(e)}`;
            ctx.notice(message);
            events!.emit('notice', { message });
          });
          // The token reaches the page only through the printed address's fragment, not the page itself.
          bridge = await startWebBridge({ api, rendererDir, port });
          if (!rendererDir) ctx.notice('no built renderer (out/renderer) found: serving the API only; build it with: npm run build');
        } catch (e) {
          await server.close();
          throw e;
        }
      }
      const onSignal = () => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (!idleSeconds) ctx.notice(`agent listening on ${server.socketPath} (Ctrl-C to stop)`);
      if (bridge) ctx.notice(`web UI on ${bridge.url}#token=${bridge.token} (this address is the key: keep it to yourself)`);
      await stopped;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe();
      // Pending callers get "stopping" at once and work without the agent; the broker's
      // background retries end; AWS calls still pending (a hung STS) must not keep this process,
      // and the locks it holds, for their whole budget: a lock of a dead process is free at once.
      await server.close();
      core.broker.close();
      setTimeout(() => process.exit(ctx.exitCode), STOP_GRACE_MS).unref();
      await bridge?.close();
    });
}
