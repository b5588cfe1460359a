import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { identitiesNamed, matchesPrincipals, principalListsForKey } from '../../src/core/allowedSigners';
import { sign, signatureKey, verify } from '../../src/node/ssh';
import { makeKey, noPromptEnv, type TestKey } from './sshKeys';

describe('allowed_signers: which principals a key is listed under', function () {
  this.timeout(60000);
  let dir: string;
  let alice: TestKey;
  let bob: TestKey;
  const blob = (k: TestKey) => k.pub.split(' ')[1]!;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'specgate-signers-test-'));
    alice = makeKey(dir, 'alice');
    bob = makeKey(dir, 'bob');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every line that names the key, each split on commas, in file order', () => {
    const text = [
      '# reviewers',
      `boss@example.com,dev@x.invalid ${alice.pub}`,
      `bob@example.com ${bob.pub} bob's laptop`,
      '',
      `  other@x.invalid namespaces="specgate",valid-after="20240101" ${alice.pub}\r`,
      `"quoted name@x.invalid" ${alice.pub}`,
    ].join('\n');
    assert.deepEqual(principalListsForKey(text, blob(alice)), [['boss@example.com', 'dev@x.invalid'], ['other@x.invalid'], ['quoted name@x.invalid']]);
    assert.deepEqual(principalListsForKey(text, blob(bob)), [['bob@example.com']]);
  });

  it('leaves out cert-authority lines, comments, and a key named only in options or a comment', () => {
    const text = [
      `ca@x.invalid cert-authority ${alice.pub}`,
      `ca2@x.invalid namespaces="git",Cert-Authority ${alice.pub}`,
      `# old@x.invalid ${alice.pub}`,
      `bob@example.com ${bob.pub} ${blob(alice)}`,
    ].join('\n');
    assert.deepEqual(principalListsForKey(text, blob(alice)), []);
    assert.deepEqual(principalListsForKey(text, ''), []);
  });

  it('matches principals like OpenSSH: `*`, `?`, a matching `!` excludes, case ignored', () => {
    const cases: [string, string[], boolean][] = [
      ['dev@x.invalid', ['dev@x.invalid'], true],
      ['Dev@X.invalid', ['dev@x.invalid'], true],
      ['dev@x.invalid', ['boss@example.com', 'dev@x.invalid'], true],
      ['dev@x.invalid', ['*@x.invalid'], true],
      ['dev@x.invalid', ['d?v@x.invalid'], true],
      ['dev@x.invalid', ['*'], true],
      ['dev@x.invalid', ['*@x.invalid', '!dev@x.invalid'], false],
      ['dev@x.invalid', ['!boss@x.invalid', '*@x.invalid'], true],
      ['dev@x.invalid', ['!boss@x.invalid'], false],
      ['dev@x.invalid', ['de@x.invalid'], false],
      ['dev@x.invalid', ['*.invalid@x'], false],
      ['dev@x.invalid', ['dev@x.invalid*'], true],
      ['dev@x.invalid', [''], false],
    ];
    for (const [id, patterns, expected] of cases) assert.equal(matchesPrincipals(id, patterns), expected, `${id} against ${patterns.join(',')}`);
    assert.deepEqual(identitiesNamed([['boss@example.com'], ['*@x.invalid', '!ci@x.invalid']], ['ci@x.invalid', 'me@x.invalid', 'boss@example.com', 'z@y']), [
      'me@x.invalid',
      'boss@example.com',
    ]);
  });

  it('decides patterns as ssh-keygen -Y verify -I does (for lower-case identities)', async () => {
    const data = 'record\n';
    const sig = await sign(alice.key, data, { env: noPromptEnv(), interactive: false });
    const lists = ['dev@x.invalid', 'boss@example.com,dev@x.invalid', '*@x.invalid', 'd?v@x.invalid', '*@x.invalid,!dev@x.invalid', '!boss@x.invalid,*', 'dev@x.invalidx', '*x'];
    for (const list of lists) {
      for (const id of ['dev@x.invalid', 'boss@x.invalid']) {
        const ssh = (await verify(`${list} ${alice.pub}\n`, id, sig, data)).ok;
        assert.equal(matchesPrincipals(id, list.split(',')), ssh, `${id} against ${list}: ssh-keygen says ${ssh}`);
      }
    }
  });

  it('reads the signing key out of an SSH signature, as its allowed_signers form', async () => {
    const sig = await sign(bob.key, 'x', { env: noPromptEnv(), interactive: false });
    assert.equal(signatureKey(sig), blob(bob));
    assert.equal(signatureKey(sig.replace(/\n/g, '\r\n')), blob(bob));
    assert.equal(signatureKey('garbage'), undefined);
    assert.equal(signatureKey('-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n'), undefined);
  });
});
