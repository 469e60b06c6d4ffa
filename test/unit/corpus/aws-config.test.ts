// Bad-input corpus, the user's AWS config: hostile files (broken headers, stray and doubled
// markers, CRLF, NUL and non-UTF-8 bytes, planted secret keys) through the INI checks, the import
// and the managed-block writer. Each either works or says what is wrong in one clean line without
// quoting a secret; the writer leaves the file byte for byte as it was when it refuses, and keeps
// every byte outside its block when it writes.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_SUFFIX, credentialProcessCommand, importAwsConfig, renderManagedBlock, writeManagedBlock, type ManagedProfileEntry,
} from '../../../src-main/core/files/aws-config';
import { checkIniSyntax, findManagedBlock } from '../../../src-main/core/files/aws-ini';
import { cleanOutcome, cleanOutcomeSync, count, hostileIni, iniAroundMarkers, leakedSecret, nearMissName, SECRETS } from '../../helpers/corpus';

const RUNS = 300;
// A refused name is quoted escaped and cut short, so even "\r" or 100 KB makes one short line.
const SHORT = { maxLength: 600 };
const hostileName = fc.oneof(nearMissName, fc.constantFrom('a\rb', 'a\r', '\u001b[2Jx', 'x\u2028y', 'n'.repeat(100_000)));

describe('checkIniSyntax and findManagedBlock on hostile config text', () => {
  it('accept or refuse with one clean line that names a line, never its secret', () => {
    fc.assert(
      fc.property(fc.oneof(hostileIni, iniAroundMarkers), (text) => {
        count('ini syntax + markers');
        cleanOutcomeSync(() => checkIniSyntax(text, '~/.aws/config'));
        const found = cleanOutcomeSync(() => findManagedBlock(text, '~/.aws/config'));
        // A block found is a real BEGIN..END span of the text.
        const r = found.value;
        if (r) {
          expect(text.slice(r.start).trimStart().startsWith('# BEGIN ROLECALL')).toBe(true);
          expect(text.slice(r.start, r.end).trimEnd().endsWith('# END ROLECALL')).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('importAwsConfig on hostile config and credentials files', () => {
  it('imports or refuses cleanly, and never copies or quotes a secret', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileIni, iniAroundMarkers), hostileIni, async (config, credentials) => {
        count('config import');
        const { value } = await cleanOutcome(() => importAwsConfig(config, credentials, { config: 'config', credentials: 'credentials' }));
        if (!value) return;
        // What is imported goes into state.json, which holds no secrets; reasons are printed.
        expect(leakedSecret(JSON.stringify(value))).toBeUndefined();
        for (const s of value.skipped) {
          expect(s.reason).not.toMatch(/[\r\n]/);
          expect(s.reason.length, 'a short reason').toBeLessThan(400);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('renderManagedBlock and credentialProcessCommand on hostile names and paths', () => {
  const entry = fc.record({
    name: hostileName,
    region: fc.option(fc.oneof(fc.constantFrom('eu-west-1', 'us-gov-west-1', 'EU-WEST-1', 'eu-west-1\n[x]', 'eu-west-1\r[x]', 'r'.repeat(100_000)), fc.string({ maxLength: 20 })), { nil: undefined }),
    credentialProcess: fc.oneof(fc.constant('rolecall credential-process --profile x'), fc.string({ maxLength: 60 })),
  });

  it('render a block the reader finds whole, or refuse cleanly', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        count('render managed block');
        const { value } = cleanOutcomeSync(() => renderManagedBlock(entries as ManagedProfileEntry[]), SHORT);
        if (value === undefined) return;
        expect(findManagedBlock(value, 'block')).toEqual({ start: 0, end: value.length });
        expect(() => checkIniSyntax(value, 'block')).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('quote a command botocore and the SDK read alike, or refuse cleanly', () => {
    const p = fc.oneof(fc.constantFrom('/usr/bin/node', 'C:\\Program Files\\node.exe', '/opt/my node/node', '/a/$HOME/b', '/x`id`', '/p%PATH%'), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(p, p, hostileName, fc.constantFrom('linux', 'win32', 'darwin') as fc.Arbitrary<NodeJS.Platform>, (node, script, profile, platform) => {
        count('credential_process command');
        const { value } = cleanOutcomeSync(() => credentialProcessCommand(node, script, profile, platform), SHORT);
        // eslint-disable-next-line no-control-regex -- a line break or NUL would end the INI value
        if (value !== undefined) expect(value).not.toMatch(/[\r\n\u0000]/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('writeManagedBlock over hostile existing files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-corpus-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const block = renderManagedBlock([{ name: 'corpus', region: 'eu-west-1', credentialProcess: 'rolecall credential-process --profile corpus' }]);
  const existingBytes = fc.oneof(
    fc.oneof(hostileIni, iniAroundMarkers).map((t) => Buffer.from(t, 'utf8')),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.tuple(hostileIni, fc.uint8Array({ maxLength: 40 })).map(([t, b]) => Buffer.concat([Buffer.from('\xef\xbb\xbf', 'latin1'), Buffer.from(t), Buffer.from(b)])),
  );

  it('keeps every byte it does not own, and changes nothing when it refuses', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(existingBytes, fc.constantFrom(block, ''), async (before, blockText) => {
        count('write managed block');
        const file = path.join(dir, `config-${n++}`);
        await writeFile(file, before);
        const { error } = await cleanOutcome(() => writeManagedBlock(file, blockText));
        const after = await readFile(file);
        // Never a temp file left beside the user's config.
        expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        if (error) {
          expect(after.equals(before), 'a refused write leaves the file as it was').toBe(true);
          return;
        }
        const text = before.toString('latin1');
        const bom = text.startsWith('\xef\xbb\xbf') ? 3 : 0;
        const old = findManagedBlock(text.slice(bom), 'x');
        const head = old ? before.subarray(0, old.start + bom) : before;
        const tail = old ? before.subarray(old.end + bom) : Buffer.alloc(0);
        expect(after.subarray(0, head.length).equals(head), 'the bytes before the block are kept').toBe(true);
        expect(after.subarray(after.length - tail.length).equals(tail), 'the bytes after the block are kept').toBe(true);
        if (!after.equals(before)) {
          expect((await readFile(file + BACKUP_SUFFIX)).equals(before), 'the backup is the old file').toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a planted secret key in a broken file is never quoted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SECRETS), fc.constantFrom('\n[profile x\n', '\n# BEGIN ROLECALL\n', '\n# END ROLECALL\n', '\n= v\n'), async (secret, breakage) => {
        count('write managed block, secret in broken file');
        const file = path.join(dir, 'secret-config');
        const before = Buffer.from(`[default]\naws_secret_access_key = ${secret}${breakage}aws_session_token ${secret}\n`);
        await writeFile(file, before);
        await cleanOutcome(() => writeManagedBlock(file, block));
        // Not all breakage stops a write (a stray "= v" is the SDK's business), but none leaks.
      }),
      { numRuns: 30 },
    );
  });
});
