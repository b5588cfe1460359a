import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ownerPrincipalLists, principalListsForSigner, untrustedCertificate } from '../../src/core/allowedSigners';
import { parseCertificate } from '../../src/core/sshCertificate';

describe('SSH certificates: what a certificate says and which allowed_signers lines trust it', function () {
  this.timeout(60000);
  let dir: string;
  const blobOf = (file: string) => readFileSync(file, 'utf8').trim().split(' ')[1]!;
  const keygen = (...args: string[]) => execFileSync('ssh-keygen', ['-q', ...args], { stdio: 'pipe' });

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'specgate-cert-test-'));
    keygen('-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function certify(name: string, type: string[], args: string[]): string {
    const key = path.join(dir, name);
    keygen(...type, '-N', '', '-f', key);
    keygen('-s', path.join(dir, 'ca'), '-I', `id of ${name}`, ...args, `${key}.pub`);
    return key;
  }

  for (const type of [['-t', 'ed25519'], ['-t', 'rsa', '-b', '2048'], ['-t', 'ecdsa', '-b', '384']]) {
    it(`reads a ${type[1]} user certificate: key ID, principals, validity, the certified key and the CA`, () => {
      const key = certify(`user-${type[1]}`, type, ['-n', 'dev@x.invalid,Lead@x.invalid', '-V', '20240101000000Z:20250101000000Z']);
      const cert = parseCertificate(blobOf(`${key}-cert.pub`));
      assert.deepEqual(cert, {
        kind: 'user',
        keyId: `id of user-${type[1]}`,
        principals: ['dev@x.invalid', 'Lead@x.invalid'],
        validAfter: Date.UTC(2024, 0, 1) / 1000,
        validBefore: Date.UTC(2025, 0, 1) / 1000,
        key: blobOf(`${key}.pub`),
        ca: blobOf(path.join(dir, 'ca.pub')),
      });
    });
  }

  it('reads "forever", a host certificate, and refuses plain keys and damaged blobs', () => {
    const key = certify('host', ['-t', 'ed25519'], ['-h', '-n', 'build.x.invalid']);
    const cert = parseCertificate(blobOf(`${key}-cert.pub`))!;
    assert.deepEqual([cert.kind, cert.validAfter, cert.validBefore], ['host', 0, undefined]);
    assert.equal(parseCertificate(blobOf(`${key}.pub`)), undefined);
    const whole = Buffer.from(blobOf(`${key}-cert.pub`), 'base64');
    for (const cut of [3, 40, 100, whole.length - 1]) assert.equal(parseCertificate(whole.subarray(0, cut).toString('base64')), undefined, `cut at ${cut}`);
    assert.equal(parseCertificate('not base64 at all'), undefined);
    assert.equal(parseCertificate(undefined), undefined);
  });

  it('trusts a certificate under each cert-authority line of its CA for the principals that line allows', () => {
    const key = certify('both', ['-t', 'ed25519'], ['-n', 'dev@x.invalid,boss@y.invalid']);
    const ca = `ssh-ed25519 ${blobOf(path.join(dir, 'ca.pub'))}`;
    const plain = `ssh-ed25519 ${blobOf(`${key}.pub`)}`;
    const text = [
      `*@x.invalid cert-authority ${ca}`,
      `*.invalid,!dev@x.invalid namespaces="specgate",cert-authority ${ca}`,
      `other@z.invalid cert-authority ${ca}`,
      `boss@y.invalid ${ca}`,
      `owner@x.invalid ${plain}`,
    ].join('\n');
    const signer = blobOf(`${key}-cert.pub`);
    assert.deepEqual(principalListsForSigner(text, signer), [['dev@x.invalid'], ['boss@y.invalid']]);
    assert.deepEqual(ownerPrincipalLists(text, signer), [['dev@x.invalid'], ['boss@y.invalid'], ['owner@x.invalid']]);
    assert.equal(untrustedCertificate(text, signer, Date.UTC(2030, 0, 1) / 1000), undefined);
    assert.deepEqual(untrustedCertificate(`other@z.invalid cert-authority ${ca}`, signer, 0)?.refusal, {
      kind: 'principal-not-allowed',
      patterns: [['other@z.invalid']],
    });
    assert.deepEqual(untrustedCertificate(`dev@x.invalid ${ca}`, signer, 0)?.refusal, { kind: 'unknown-authority' });
    // ssh-keygen compares principals with case: `DEV@x.invalid` does not allow `dev@x.invalid`.
    assert.equal(untrustedCertificate(`DEV@x.invalid cert-authority ${ca}`, signer, 0)?.refusal.kind, 'principal-not-allowed');
  });
});
