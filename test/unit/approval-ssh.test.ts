import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../src/core/model';
import { checkSignature, findPrincipals, sign, verify } from '../../src/node/ssh';
import { makeKey, noPromptEnv } from './sshKeys';

describe('ssh-keygen signatures', function () {
  this.timeout(60000);
  let dir: string;
  let alice: ReturnType<typeof makeKey>;
  let mallory: ReturnType<typeof makeKey>;
  const env = noPromptEnv();

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'specgate-ssh-test-'));
    alice = makeKey(dir, 'alice');
    mallory = makeKey(dir, 'mallory');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('signs in the specgate namespace and verifies against allowed_signers', async () => {
    const sig = await sign(alice.key, 'record bytes\n', { env, interactive: false });
    assert.match(sig, /^-----BEGIN SSH SIGNATURE-----/);
    assert.equal(await checkSignature(sig, 'record bytes\n'), true);
    const allowed = alice.line('alice@example.com') + mallory.line('mallory@example.com');
    assert.deepEqual(await findPrincipals(allowed, sig), ['alice@example.com']);
    assert.deepEqual(await verify(allowed, undefined, sig, 'record bytes\n'), { ok: true, principal: 'alice@example.com' });
  });

  it('rejects changed data, another principal, an unknown key and garbage', async () => {
    const sig = await sign(alice.key, 'record bytes\n', { env, interactive: false });
    const allowed = alice.line('alice@example.com') + mallory.line('mallory@example.com');
    assert.equal(await checkSignature(sig, 'record bytes!\n'), false);
    assert.deepEqual(await verify(allowed, undefined, sig, 'record bytes!\n'), { ok: false });
    assert.deepEqual(await verify(allowed, 'mallory@example.com', sig, 'record bytes\n'), { ok: false });
    assert.deepEqual(await findPrincipals(mallory.line('mallory@example.com'), sig), []);
    assert.equal(await checkSignature('garbage', 'record bytes\n'), false);
    assert.deepEqual(await findPrincipals(allowed, 'garbage'), []);
  });

  it('does not accept a signature made for another namespace (a git commit signature)', async () => {
    const file = path.join(dir, 'data');
    writeFileSync(file, 'record bytes\n');
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', alice.key, '-n', 'git', file], { stdio: 'pipe', env });
    const gitSig = readFileSync(`${file}.sig`, 'utf8');
    assert.equal(await checkSignature(gitSig, 'record bytes\n'), false);
    assert.deepEqual(await verify(alice.line('alice@example.com'), undefined, gitSig, 'record bytes\n'), { ok: false });
  });

  it('signs with a passphrase-protected key through ssh-agent without asking for the passphrase', async function () {
    const locked = makeKey(dir, 'agented', 'agent passphrase');
    const sock = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore', env });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(sock)) this.skip();
      const agentEnv: NodeJS.ProcessEnv = { ...env, SSH_AUTH_SOCK: sock };
      // ssh-add reads the passphrase from stdin when it has no terminal (setsid).
      execFileSync('setsid', ['ssh-add', locked.key], { input: 'agent passphrase\n', env: agentEnv, stdio: ['pipe', 'pipe', 'pipe'], timeout: 15000 });
      const sig = await sign(locked.key, 'record bytes\n', { env: agentEnv, interactive: false, stdin: 'empty' });
      assert.deepEqual(await verify(locked.line('lock@example.com'), undefined, sig, 'record bytes\n'), { ok: true, principal: 'lock@example.com' });
      // Without the agent the same key needs its passphrase, and an empty stdin gives none.
      await assert.rejects(sign(locked.key, 'x', { env, interactive: false }), /incorrect passphrase.*; for a passphrase-protected key, add it to ssh-agent \(ssh-add\) or approve from a terminal$/);
    } finally {
      agent.kill();
    }
  });

  it('fails with a clear UsageError for a missing key file', async () => {
    await assert.rejects(sign(path.join(dir, 'nope'), 'x', { env, interactive: false }), (e: Error) => e instanceof UsageError && /SSH key .*nope was not found/.test(e.message));
  });

  it('fails with a clear UsageError for a wrong passphrase fed on a non-TTY stdin, without hanging', async () => {
    const locked = makeKey(dir, 'locked', 'right horse battery');
    const started = Date.now();
    // Runs the signer in a child node whose stdin is a pipe holding the wrong passphrase.
    const script = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, '../../src/node/ssh.ts'))}).sign(${JSON.stringify(locked.key)}, 'x', { interactive: false, stdin: 'inherit' }).then(() => console.log('SIGNED'), (e) => console.log(e.name + ': ' + e.message));`;
    const out = execFileSync(process.execPath, ['-e', script], { input: 'wrong passphrase\n', env, timeout: 30000, cwd: path.join(__dirname, '../..') }).toString();
    assert.match(out, /^UsageError: cannot sign with SSH key .*locked: .*incorrect passphrase/);
    assert.ok(Date.now() - started < 30000);
  });

  it('says a file that is no SSH key file is none (not ssh-keygen\'s "No such file or directory"); a lone public key keeps ssh-keygen\'s answer', async () => {
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'export SG=node\n', { mode: 0o600 });
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, `github.com ${alice.pub}\n`, { mode: 0o600 });
    for (const file of [notes, knownHosts]) {
      await assert.rejects(sign(file, 'x', { env, interactive: false }), (e: Error) => {
        assert.ok(e instanceof UsageError);
        assert.equal(e.message, `cannot sign with SSH key ${file}: it is not an SSH key file (neither a private key nor a public key file); pass --key with your private key (e.g. ~/.ssh/id_ed25519)`);
        return true;
      });
    }
    const lonePub = path.join(dir, 'lone.pub');
    writeFileSync(lonePub, `${alice.pub}\n`, { mode: 0o600 });
    await assert.rejects(sign(lonePub, 'x', { env, interactive: false }), (e: Error) => e instanceof UsageError && /^cannot sign with SSH key .*lone\.pub: No private key found for public key/.test(e.message));
  });

  it('fails with a clear UsageError for a key file others can read', async () => {
    const loose = makeKey(dir, 'loose');
    chmodSync(loose.key, 0o644);
    await assert.rejects(sign(loose.key, 'x', { env, interactive: false }), (e: Error) => e instanceof UsageError && /cannot sign with SSH key .*loose: .*(too open|Permissions)/.test(e.message));
  });
});
