// What the broker does without the page asking reaches the page of the web bridge as server-sent
// events, read with a real HTTP client: a session a CLI process got through `rolecall serve
// --web`'s agent is a sessionChanged (real processes), and a refresh that failed in an STS outage
// is a notice (in process, on a clock that moves with the sandbox's), with no secret in either.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { AgentServer } from '../../../src-main/core/agent/server';
import { ApiEvents } from '../../../src-main/core/api-events';
import { createRolecallApi } from '../../../src-main/core/api';
import { Broker } from '../../../src-main/core/broker/broker';
import { brokerEvents } from '../../../src-main/core/api-events';
import { startWebBridge, type WebBridge } from '../../../src-main/web/server';
import { credentialProcessInProcess } from '../../helpers/credential-process-io';
import { startHarness, type Harness } from '../../helpers/harness';
import { addAliceWithReadOnly, parseJson, useCliHarness } from '../cli/harness';

/** The bridge's event stream, as the page reads it: every event so far, and a wait for one. */
function events(url: string, token: string) {
  const { port } = new URL(url);
  let text = '';
  let res: http.IncomingMessage | undefined;
  const waiters: (() => void)[] = [];
  const req = http.request({ host: '127.0.0.1', port, path: '/api/events', headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}` } }, (r) => {
    res = r;
    r.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      waiters.splice(0).forEach((w) => w());
    });
  });
  req.on('error', () => undefined);
  req.end();
  const parsed = (event: string) => [...text.matchAll(new RegExp(`event: ${event}\\ndata: (.+)\\n\\n`, 'g'))].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  return {
    text: () => text,
    opened: async () => {
      while (!text.includes(': rolecall events')) await new Promise<void>((r) => waiters.push(r));
    },
    async next(event: string, match: (p: Record<string, unknown>) => boolean, ms = 10_000): Promise<Record<string, unknown>> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = parsed(event).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${event} event; got: ${text}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () => res?.destroy(),
  };
}

describe('rolecall serve --web: a session the agent issued to a CLI process', () => {
  const h = useCliHarness((x) => addAliceWithReadOnly(x, 'us-east-1'));
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('reaches the page as sessionChanged, without its keys', async () => {
    child = spawn(process.execPath, [h().script, 'serve', '--web'], { env: h().env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const [, url, token] = await new Promise<RegExpExecArray>((resolve, reject) => {
      child!.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /web UI on (http:\/\/127\.0\.0\.1:\d+\/)#token=([0-9a-f]{64}) /.exec(stderr);
        if (m) resolve(m);
      });
      child!.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
    });
    const stream = events(url!, token!);
    await stream.opened();
    // A terminal's AWS tool, not the page, asks the agent.
    const r = await h().rolecall(['credential-process', '--profile', 'dev/ReadOnly'], { secretOutput: true });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const creds = parseJson<{ AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }>(r.stdout);
    const event = await stream.next('sessionChanged', (p) => p.profile === 'dev/ReadOnly');
    expect(event).toEqual({ profile: 'dev/ReadOnly', expiresAt: new Date(creds.Expiration).toISOString() });
    for (const secret of [creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken]) expect(stream.text()).not.toContain(secret);
    stream.close();
  });
});

describe('the web bridge over a broker in an STS outage', () => {
  const alice: Profile = { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' };
  const readOnly: Profile = { name: 'dev/ReadOnly', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' };
  let h: Harness | undefined;
  let broker: Broker | undefined;
  let agent: AgentServer | undefined;
  let bridge: WebBridge | undefined;
  afterEach(async () => {
    broker?.close();
    await agent?.close();
    await bridge?.close();
    await h?.close();
  });

  it('a refresh that failed, asked by a CLI process through the agent, reaches the page as a notice', async () => {
    h = await startHarness();
    await h.storeIamUserKey('alice');
    await h.addProfiles(alice, readOnly);
    let skewMs = 0;
    const apiEvents = new ApiEvents();
    const { paths, state, secrets, sso, oidc } = h.core;
    // The serve --web wiring: the broker's own sessions and notices become the API's events.
    broker = new Broker({ paths, state, secrets, sso, env: h.env, now: () => Date.now() + skewMs, ...brokerEvents(apiEvents) });
    agent = new AgentServer(broker, paths);
    await agent.listen();
    bridge = await startWebBridge({ api: createRolecallApi({ ...h.core, broker, oidc }, {}, apiEvents) });
    const stream = events(bridge.url, bridge.token);
    await stream.opened();

    const first = await credentialProcessInProcess({ profile: 'dev/ReadOnly' }, h.env);
    expect(first).toMatchObject({ code: 0, err: '' });
    await stream.next('sessionChanged', (p) => p.profile === 'dev/ReadOnly');

    // 48 minutes on: the session is due for refresh, and STS is down.
    expect((await fetch(`${h.sandbox.url}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 48 * 60 }) })).status).toBe(200);
    skewMs = 48 * 60_000;
    h.sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'unavailable', count: 100_000 }] });
    const served = await credentialProcessInProcess({ profile: 'dev/ReadOnly' }, h.env);
    expect(served.code).toBe(0);

    const notice = await stream.next('notice', (p) => String(p.message).includes("could not refresh 'dev/ReadOnly'"));
    expect(notice.message).toMatch(/^AWS STS could not refresh 'dev\/ReadOnly' \(HTTP 503\); serving the current session, valid until \d\d:\d\d \((11|12) min\); retrying in the background$/);
    const issued = JSON.parse(first.out) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    for (const secret of [issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken]) expect(stream.text()).not.toContain(secret);
    stream.close();
  });
});
