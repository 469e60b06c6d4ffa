import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialProcessCommand, renderManagedBlock, writeManagedBlock } from '../../../../src-main/core/files/aws-config';
import { parseAwsFiles } from '../../../../src-main/core/files/aws-ini';

// botocore splits credential_process with shlex.split (no shell) on POSIX...
function botocoreArgv(command: string): string[] {
  const python = process.env.ROLECALL_TEST_PYTHON || 'python3';
  return JSON.parse(execFileSync(python, ['-c', 'import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))', command], { encoding: 'utf8' }));
}
// ...and the AWS SDK for JavaScript hands it to a shell; `set --` splits words exactly as a command line.
function shellArgv(command: string): string[] {
  const out = execFileSync('sh', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('credentialProcessCommand', () => {
  it.each([
    ['/usr/local/bin/node', '/opt/rolecall/rolecall.mjs', 'dev', '/usr/local/bin/node /opt/rolecall/rolecall.mjs credential-process --profile dev'],
    ['/usr/bin/node', '/Applications/Rolecall.app/Contents/Resources/cli/rolecall.mjs', 'acme/prod+ro', null],
    ['/Users/ann/Library/Application Support/Rolecall/node', '/x/rolecall.mjs', 'dev', null],
    ["/home/o'brien/node", '/home/zoë/rolecall (copy)/cli.mjs', 'ann@acme.com/Admin', null],
    ['/opt/a&b;c|d<e>f*g?[h]~i#j!k{l}m=n/node', '/x/cli.mjs', 'default', null],
  ])('%s %s %s runs exactly Rolecall under botocore and a shell', (node, script, profile, exact) => {
    const command = credentialProcessCommand(node, script, profile, 'linux');
    if (exact) expect(command).toBe(exact);
    const argv = [node, script, 'credential-process', '--profile', profile];
    expect(botocoreArgv(command)).toEqual(argv);
    expect(shellArgv(command)).toEqual(argv);
  });

  it('puts the native helper first, quoted like the rest, so it can run the Node command line after it', () => {
    const command = credentialProcessCommand('/usr/bin/node', '/opt/My App/rolecall.cjs', 'dev', 'linux', '/opt/My App/rolecall-credential-process');
    expect(command).toBe('"/opt/My App/rolecall-credential-process" /usr/bin/node "/opt/My App/rolecall.cjs" credential-process --profile dev');
    const argv = ['/opt/My App/rolecall-credential-process', '/usr/bin/node', '/opt/My App/rolecall.cjs', 'credential-process', '--profile', 'dev'];
    expect(botocoreArgv(command)).toEqual(argv);
    expect(shellArgv(command)).toEqual(argv);
    expect(() => credentialProcessCommand('/n', '/s', 'dev', 'linux', '/opt/$x/helper')).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('the credential_process helper path') }));
  });

  it('quotes only what needs quoting', () => {
    expect(credentialProcessCommand('/usr/bin/node', '/opt/My App/cli.mjs', 'ann@acme', 'linux')).toBe(
      '/usr/bin/node "/opt/My App/cli.mjs" credential-process --profile "ann@acme"',
    );
  });

  it('uses forward slashes for Windows paths, which cmd.exe and shlex both keep', () => {
    expect(credentialProcessCommand('C:\\Program Files\\nodejs\\node.exe', 'C:\\Rolecall\\cli.mjs', 'dev', 'win32')).toBe(
      '"C:/Program Files/nodejs/node.exe" "C:/Rolecall/cli.mjs" credential-process --profile dev',
    );
  });

  it.each([
    ['a double quote', '/opt/"x"/node'],
    ['a backslash', '/opt/x\\y/node'],
    ['a dollar sign', '/opt/$HOME/node'],
    ['a backtick', '/opt/`id`/node'],
    ['a percent sign', '/opt/100%/node'],
    ['a newline', '/opt/x\ny/node'],
    ['a comment start the AWS SDK would cut at', '/opt/my #1/node'],
    ['nothing', ''],
  ])('refuses a path with %s', (_, node) => {
    expect(() => credentialProcessCommand(node, '/x/cli.mjs', 'dev', 'linux')).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringContaining('Node.js path') }));
  });

  it('refuses an invalid profile name', () => {
    expect(() => credentialProcessCommand('/n', '/s', 'a b', 'linux')).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});

describe('renderManagedBlock', () => {
  it('renders marked [profile] and [default] sections', () => {
    expect(renderManagedBlock([
      { name: 'dev', region: 'eu-west-1', credentialProcess: '/n /s credential-process --profile dev' },
      { name: 'default', credentialProcess: '/n /s credential-process --profile default' },
    ])).toBe(
      [
        '# BEGIN ROLECALL',
        '# Managed by Rolecall: changes between these markers are replaced on the next sync.',
        '[profile dev]',
        'credential_process = /n /s credential-process --profile dev',
        'region = eu-west-1',
        '',
        '[default]',
        'credential_process = /n /s credential-process --profile default',
        '',
        '# END ROLECALL',
        '',
      ].join('\n'),
    );
  });

  it('is read back by the AWS SDK with the command intact', async () => {
    const command = credentialProcessCommand('/usr/bin/node', '/opt/My App/cli.mjs', 'acme/dev', 'linux');
    const { config } = await parseAwsFiles(renderManagedBlock([{ name: 'acme/dev', region: 'us-east-1', credentialProcess: command }]));
    expect(config['acme/dev']).toEqual({ credential_process: command, region: 'us-east-1' });
  });

  it.each([
    ['an invalid name', [{ name: 'a]b', credentialProcess: 'x' }], /Invalid profile name/],
    ['a duplicate', [{ name: 'a', credentialProcess: 'x' }, { name: 'a', credentialProcess: 'y' }], /appears twice/],
    ['an invalid region', [{ name: 'a', region: 'mars', credentialProcess: 'x' }], /invalid region/],
    ['a multi-line command', [{ name: 'a', credentialProcess: 'x\n[profile evil]' }], /one non-empty line/],
  ])('refuses %s', (_, entries, message) => {
    expect(() => renderManagedBlock(entries)).toThrow(message);
  });
});

describe('writeManagedBlock', () => {
  let home: string;
  let file: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'rc-awscfg-'));
    file = path.join(home, '.aws', 'config');
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });
  const block = (...names: string[]) => renderManagedBlock(names.map((name) => ({ name, credentialProcess: `/n /s credential-process --profile ${name}` })));
  const seed = async (text: string) => {
    await writeManagedBlock(file, block('seed')); // creates ~/.aws
    await writeFile(file, text);
    await rm(file + '.rolecall.bak', { force: true });
  };

  it('creates ~/.aws (0700) and the file (0600) when missing', async () => {
    expect(await writeManagedBlock(file, block('dev'))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(block('dev'));
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['trailing newline', '[profile mine]\nregion = us-east-1\n', '\n'],
    ['no trailing newline', '[profile mine]\nregion = us-east-1', '\n\n'],
    ['CRLF', '[profile mine]\r\nregion = us-east-1\r\n', '\r\n'],
  ])('appends a block to a file with %s, keeping its bytes', async (_, text, separator) => {
    await seed(text);
    await writeManagedBlock(file, block('dev'));
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    expect(await readFile(file, 'utf8')).toBe(text + separator + block('dev').replace(/\n/g, eol));
    expect(await readFile(file + '.rolecall.bak', 'utf8')).toBe(text);
  });

  it('replaces only the block: comments, unicode, CRLF and a missing final newline outside it stay byte for byte', async () => {
    const before = '# my config ☃\r\n[profile mine] ; keep\r\nregion = ap-southeast-2\r\n\r\n';
    const after = '\r\n[profile tools] ; für Zoë\r\noutput = json\r\n# last line, no newline';
    await seed(before + block('old').replace(/\n/g, '\r\n') + after);
    expect(await writeManagedBlock(file, block('dev', 'prod'))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(before + block('dev', 'prod').replace(/\n/g, '\r\n') + after);
    const { config } = await parseAwsFiles(await readFile(file, 'utf8'));
    expect(Object.keys(config).sort()).toEqual(['dev', 'mine', 'prod', 'tools']);
  });

  // \xff\xfe is never UTF-8 (a UTF-16 byte order mark), \xe9 is é in Latin-1, \xc3 alone is a
  // truncated UTF-8 sequence: a UTF-8 round trip would turn each into U+FFFD.
  const NOT_UTF8_BEFORE = Buffer.from('\xff\xfe# caf\xe9 \xc3\r\n[profile mine]\r\nregion = eu-west-1\r\n', 'latin1');
  const NOT_UTF8_AFTER = Buffer.from('[profile na\xefve]\r\noutput = json\r\n# \x80\x81 no final newline', 'latin1');
  const crlf = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'));

  it('keeps bytes that are not UTF-8 exactly when replacing the block between them', async () => {
    await seed('');
    await writeFile(file, Buffer.concat([NOT_UTF8_BEFORE, crlf(block('old')), NOT_UTF8_AFTER]));
    expect(await writeManagedBlock(file, block('dev', 'prod'))).toBe(true);
    expect((await readFile(file)).equals(Buffer.concat([NOT_UTF8_BEFORE, crlf(block('dev', 'prod')), NOT_UTF8_AFTER]))).toBe(true);
    // The backup is the previous file, byte for byte too.
    expect((await readFile(file + '.rolecall.bak')).equals(Buffer.concat([NOT_UTF8_BEFORE, crlf(block('old')), NOT_UTF8_AFTER]))).toBe(true);
    // The same content again: recognised as unchanged, not rewritten.
    expect(await writeManagedBlock(file, block('dev', 'prod'))).toBe(false);
  });

  it('appends a block to a file that is not UTF-8, and removes it again, keeping the bytes', async () => {
    await seed('');
    await writeFile(file, NOT_UTF8_BEFORE);
    await writeManagedBlock(file, block('dev'));
    expect((await readFile(file)).equals(Buffer.concat([NOT_UTF8_BEFORE, Buffer.from('\r\n'), crlf(block('dev'))]))).toBe(true);
    await writeManagedBlock(file, '');
    expect((await readFile(file)).equals(Buffer.concat([NOT_UTF8_BEFORE, Buffer.from('\r\n')]))).toBe(true);
  });

  it('writes non-ASCII text of the block as UTF-8 beside Latin-1 bytes of the user', async () => {
    await seed('');
    await writeFile(file, NOT_UTF8_BEFORE);
    const command = credentialProcessCommand('/usr/bin/node', '/home/zoë/rolecall.mjs', 'dev', 'linux');
    await writeManagedBlock(file, renderManagedBlock([{ name: 'dev', credentialProcess: command }]));
    const bytes = await readFile(file);
    expect(bytes.subarray(0, NOT_UTF8_BEFORE.length).equals(NOT_UTF8_BEFORE)).toBe(true);
    expect(bytes.includes(Buffer.from('"/home/zoë/rolecall.mjs"', 'utf8'))).toBe(true);
  });

  it('still refuses a block profile defined outside it in a file that is not UTF-8, writing nothing', async () => {
    await seed('');
    await writeFile(file, NOT_UTF8_BEFORE);
    await expect(writeManagedBlock(file, block('mine'))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('"mine"') });
    expect((await readFile(file)).equals(NOT_UTF8_BEFORE)).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(['config']);
  });

  it('finds a block on the first line behind a UTF-8 byte order mark, keeping the mark', async () => {
    await seed('');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    await writeFile(file, Buffer.concat([bom, Buffer.from(block('old') + '[profile mine]\n')]));
    expect(await writeManagedBlock(file, block('dev'))).toBe(true);
    expect((await readFile(file)).equals(Buffer.concat([bom, Buffer.from(block('dev') + '[profile mine]\n')]))).toBe(true);
  });

  it('creates no file when removing the block from a config that does not exist', async () => {
    expect(await writeManagedBlock(file, '')).toBe(false);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('removes the block when given an empty one', async () => {
    await seed('[profile mine]\nregion = us-east-1\n\n' + block('dev') + '[profile b]\n');
    await writeManagedBlock(file, '');
    expect(await readFile(file, 'utf8')).toBe('[profile mine]\nregion = us-east-1\n\n[profile b]\n');
  });

  it('keeps the mode of an existing file and does not rewrite an unchanged one', async () => {
    await seed('[profile mine]\n');
    await chmod(file, 0o644);
    await writeManagedBlock(file, block('dev'));
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    await rm(file + '.rolecall.bak');
    expect(await writeManagedBlock(file, block('dev'))).toBe(false);
    expect(await readdir(path.dirname(file))).toEqual(['config']);
  });

  it.each([
    ['[profile dev]', 'dev'],
    ['[default]', 'default'],
    ['[profile default]', 'default'],
  ])('refuses a block profile also defined outside it as %s, writing nothing', async (header, name) => {
    const text = `${header}\nregion = us-east-1\n`;
    await seed(text);
    await expect(writeManagedBlock(file, block('ok', name))).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`"${name}".*${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`)),
    });
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await readdir(path.dirname(file))).toEqual(['config']);
  });

  it.each([
    ['BEGIN without END', '# BEGIN ROLECALL\n[profile a]\n', /line 1 has no "# END ROLECALL"/],
    ['END without BEGIN', '[profile a]\n# END ROLECALL\n', /line 2 has no "# BEGIN ROLECALL"/],
    ['two BEGINs', '# BEGIN ROLECALL\n# BEGIN ROLECALL\n# END ROLECALL\n', /more than one "# BEGIN ROLECALL" line \(lines 1, 2\)/],
    ['END before BEGIN', '# END ROLECALL\n# BEGIN ROLECALL\n', /comes before/],
  ])('refuses malformed markers (%s), leaving the file untouched', async (_, text, message) => {
    await seed(text);
    await expect(writeManagedBlock(file, block('dev'))).rejects.toMatchObject({ code: 'file', message: expect.stringMatching(message) });
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await readdir(path.dirname(file))).toEqual(['config']);
  });

  it('changes nothing, and keeps no backup, when removing the block from a file that has none', async () => {
    await seed('[profile mine]\nregion = us-east-1\n');
    expect(await writeManagedBlock(file, '')).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('[profile mine]\nregion = us-east-1\n');
    expect(await readdir(path.dirname(file))).toEqual(['config']);
  });

  it("keeps the user's bytes after the block on their own line when the block comes without its last line break", async () => {
    await seed('[profile mine]\n\n' + block('old') + '[profile b]\n');
    await writeManagedBlock(file, block('dev').slice(0, -1));
    expect(await readFile(file, 'utf8')).toBe('[profile mine]\n\n' + block('dev') + '[profile b]\n');
  });

  it('refuses a config it cannot read (here a directory), naming it, instead of writing a new one', async () => {
    await mkdir(file, { recursive: true });
    await expect(writeManagedBlock(file, block('dev'))).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: `Cannot read ${file}: EISDIR` });
  });

  it('creates every missing directory on the way (AWS_CONFIG_FILE may name a new one)', async () => {
    const deep = path.join(home, 'a', 'b', 'config');
    expect(await writeManagedBlock(deep, block('dev'))).toBe(true);
    expect(await readFile(deep, 'utf8')).toBe(block('dev'));
  });

  it('refuses block text without its markers', async () => {
    await expect(writeManagedBlock(file, '[profile dev]\nregion = us-east-1\n')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
