// What counts as one of SpecGate's records in `.specgate/approvals/` and `.specgate/reviews/`:
// the pure name and shape rules, and the files the real writers (`writeBundle`, `approve`)
// make, read back from disk and from the index.
import { strict as assert } from 'node:assert';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isBundleFolderName, isRecordContent, REVIEWS_GITIGNORE, isSpecCopyName, recordKind, type RecordKind, type RecordSample } from '../../src/core/records';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { Git } from '../../src/node/git';
import { isRecordOnDisk, recordsInBlobs } from '../../src/node/records';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';
import { approvalRecord, signedRecord } from './helpers/records';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const BUNDLE = '.specgate/reviews/cache-20260102-030405-0123abcd';
const bytes = (s: string) => new TextEncoder().encode(s);
const sample = (s: string | Uint8Array): RecordSample => {
  const b = typeof s === 'string' ? bytes(s) : s;
  return { size: b.length, head: b.subarray(0, 8192), tail: b.subarray(Math.max(0, b.length - 3)) };
};
const record = approvalRecord(DIGEST);
/** A real signature of a record, made by ssh-keygen as `approve` makes it. */
let SIG = '';
function makeSignature(): void {
  SIG ||= signedRecord(DIGEST).sig;
}

function walk(dir: string, root: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) walk(abs, root, out);
    else out.push(path.relative(root, abs).split(path.sep).join('/'));
  }
  return out;
}

describe('SpecGate records: names', () => {
  it('names an approval record and its signature by a 16-hex-digit prefix only', () => {
    assert.equal(recordKind('.specgate/approvals/0123456789abcdef.json'), 'approval');
    assert.equal(recordKind('.specgate/approvals/0123456789abcdef.sig'), 'signature');
    for (const p of [
      '.specgate/approvals/x.js',
      '.specgate/approvals/notes.json',
      '.specgate/approvals/0123456789ABCDEF.json',
      '.specgate/approvals/0123456789abcde.json',
      '.specgate/approvals/0123456789abcdef.json.js',
      '.specgate/approvals/sub/0123456789abcdef.json',
      '.specgate/approvals/.0123456789abcdef.json.123.tmp',
      'src/.specgate/approvals/0123456789abcdef.json',
    ]) {
      assert.equal(recordKind(p), undefined, p);
    }
  });

  it('names bundle folders as the bundle writer does, with claimFolder suffixes', () => {
    for (const n of ['cache-20260102-030405-0123abcd', 'cache-20260102-030405-0123abcd-2', 'cache-20260102-030405-0123abcd-100', 'a.b_c-d-20260102-030405-ffffffff', `${'x'.repeat(60)}-20260102-030405-0123abcd`, 'spec-1-2-20260102-030405-0123abcd']) {
      assert.ok(isBundleFolderName(n), n);
    }
    for (const n of ['cache', 'util', '-cache-20260102-030405-0123abcd', '.cache-20260102-030405-0123abcd', 'cache-20260102-030405-0123ABCD', 'cache-20260102-030405-0123abc', 'cache-2026012-030405-0123abcd', 'cache-20260102-030405-0123abcd-1', 'cache-20260102-030405-0123abcd-101', `${'x'.repeat(61)}-20260102-030405-0123abcd`, 'ca che-20260102-030405-0123abcd']) {
      assert.ok(!isBundleFolderName(n), n);
    }
  });

  it('names only the files a bundle holds, directly in a bundle folder of .specgate/reviews/', () => {
    const kinds: [string, RecordKind | undefined][] = [
      [`${BUNDLE}/packet.json`, 'packet'],
      [`${BUNDLE}/REVIEW.md`, 'review-md'],
      [`${BUNDLE}/review.html`, 'review-html'],
      [`${BUNDLE}/changes.patch`, 'patch'],
      [`${BUNDLE}/review.sarif`, 'sarif'],
      [`${BUNDLE}/spec/requirements.md`, 'spec-copy'],
      [`${BUNDLE}/spec/contracts/api.yaml`, 'spec-copy'],
      [`${BUNDLE}/spec/contracts/api.json`, 'spec-copy'],
      [`${BUNDLE}/spec/.config.kiro`, 'spec-copy'],
      [`${BUNDLE}/spec/docs/specs/cache.md`, 'spec-copy'],
      [`${BUNDLE}-2/REVIEW.md`, 'review-md'],
      ['.specgate/reviews/util.js', undefined],
      ['.specgate/reviews/packet.json', undefined],
      [`${BUNDLE}/util.js`, undefined],
      [`${BUNDLE}/review.md`, undefined],
      [`${BUNDLE}/packet.json.js`, undefined],
      [`${BUNDLE}/spec/helper.js`, undefined],
      [`${BUNDLE}/spec/notes.mdx`, undefined],
      [`${BUNDLE}/spec`, undefined],
      [`${BUNDLE}/spec/../x.md`, undefined],
      [`${BUNDLE}/spec//x.md`, undefined],
      [`${BUNDLE}/sub/packet.json`, undefined],
      [`.specgate/reviews/team/cache-20260102-030405-0123abcd/packet.json`, undefined],
      [`.specgate/reviews/cache/packet.json`, undefined],
      [`.specgate/other/cache-20260102-030405-0123abcd/packet.json`, undefined],
    ];
    for (const [p, kind] of kinds) assert.equal(recordKind(p), kind, p);
  });

  it('names the files of a bundle still being written, and an approval record being written, as the writers name them', () => {
    const partial = '.specgate/reviews/.cache-20260102-030405-0123abcd.partial-4242-0a1b2c';
    const kinds: [string, RecordKind | undefined][] = [
      [`${partial}/packet.json`, 'packet'],
      [`${partial}/review.sarif`, 'sarif'],
      [`${partial}/spec/tasks.md`, 'spec-copy'],
      [`${partial}/util.js`, undefined],
      ['.specgate/reviews/.cache-20260102-030405-0123abcd.partial-4242/packet.json', undefined],
      ['.specgate/reviews/.cache-20260102-030405-0123abcd-2.partial-4242-0a1b2c/packet.json', undefined],
      ['.specgate/reviews/.cache-20260102-030405-0123abcd.partial-0-0a1b2c/packet.json', undefined],
      ['.specgate/reviews/.notes/packet.json', undefined],
      ['.specgate/approvals/.0123456789abcdef.json.partial-4242-0a1b2c', 'approval'],
      ['.specgate/approvals/.0123456789abcdef.sig.partial-4242-0a1b2c', 'signature'],
      ['.specgate/approvals/.0123456789abcdef.json.partial-4242-0A1B2C', undefined],
      ['.specgate/approvals/.0123456789abcdef.js.partial-4242-0a1b2c', undefined],
    ];
    for (const [p, kind] of kinds) assert.equal(recordKind(p), kind, p);
  });

  it('copies spec documents (markdown, text, YAML, JSON, .config.kiro) into spec/, never code', () => {
    for (const n of ['tasks.md', 'A.MARKDOWN', 'notes.txt', 'contracts/api.yml', 'x.json', '.config.kiro', 'checklists/ux.md']) assert.ok(isSpecCopyName(n), n);
    for (const n of ['helper.js', 'run.py', 'x.ts', 'Makefile', 'x.md.sh', 'a/../b.md', '/abs.md', '']) assert.ok(!isSpecCopyName(n), n);
  });
});

describe('SpecGate records: shapes', () => {
  before(makeSignature);
  it('takes an approval record only as the canonical specgate.approval/1 JSON', () => {
    assert.ok(isRecordContent('approval', sample(record)));
    assert.ok(!isRecordContent('approval', sample('exports.one = () => 1;\n')));
    assert.ok(!isRecordContent('approval', sample('{}\n')));
    assert.ok(!isRecordContent('approval', sample(record.replace('\n', ' \n'))), 'not canonical');
    assert.ok(!isRecordContent('approval', sample(JSON.stringify({ ...JSON.parse(record), extra: 'code' }, null, 2) + '\n')), 'unknown field');
    // Bigger than a record can be: refused without reading the rest.
    const big = bytes(record);
    assert.ok(!isRecordContent('approval', { size: 65 * 1024, head: big, tail: big.subarray(-3) }));
  });

  it('takes a signature only as an SSH signature armour', () => {
    assert.ok(isRecordContent('signature', sample(SIG)));
    assert.ok(isRecordContent('signature', sample(SIG.replace(/\n/g, '\r\n'))));
    assert.ok(!isRecordContent('signature', sample('exports.x = 1;\n')));
    assert.ok(!isRecordContent('signature', sample(SIG + 'require("x");\n')));
    assert.ok(!isRecordContent('signature', sample(SIG.replace(/\n(.)/, '\n;$1'))));
  });

  it('in a bundle still being written, takes a file cut short: empty, or started as the writer starts it', () => {
    const packet = '{\n  "schema": "specgate.report/1",\n  "spec": {}\n}\n';
    const cut = packet.slice(0, 40);
    assert.ok(!isRecordContent('packet', sample(cut)));
    assert.ok(isRecordContent('packet', sample(cut), true));
    assert.ok(isRecordContent('review-md', sample(''), true));
    assert.ok(!isRecordContent('review-md', sample('')));
    assert.ok(!isRecordContent('packet', sample('module.exports = {};\n'), true));
    assert.ok(!isRecordContent('review-md', sample('#!/usr/bin/env node\n'), true));
    // An approval record is whole before its rename: cut short, it is none.
    assert.ok(!isRecordContent('approval', sample(''), true));
    assert.ok(!isRecordContent('approval', sample(record.slice(0, 50)), true));
  });

  it('takes bundle files by how the writer starts them (and ends the JSON ones)', () => {
    const packet = '{\n  "schema": "specgate.report/1",\n  "spec": {}\n}\n';
    assert.ok(isRecordContent('packet', sample(packet)));
    assert.ok(!isRecordContent('packet', sample('{"schema":"specgate.report/1"}\n')));
    assert.ok(!isRecordContent('packet', sample(packet + 'module.exports = 1;\n')));
    assert.ok(!isRecordContent('packet', sample('module.exports = {};\n')));
    const sarif = '{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n  "runs": []\n}\n';
    assert.ok(isRecordContent('sarif', sample(sarif)));
    assert.ok(!isRecordContent('sarif', sample(sarif.replace('2.1.0",', '2.0.0",'))));
    assert.ok(isRecordContent('review-md', sample('# SpecGate review: cache\n\nbody')));
    assert.ok(!isRecordContent('review-md', sample('#!/usr/bin/env node\nrequire("x")')));
    assert.ok(!isRecordContent('review-md', sample('import os\n# SpecGate review: cache\n')));
    const html = `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n`;
    assert.ok(isRecordContent('review-html', sample(html)));
    assert.ok(!isRecordContent('review-html', sample('<!doctype html>\n<html><script>alert(1)</script>')));
    assert.ok(isRecordContent('patch', sample('')));
    assert.ok(isRecordContent('patch', sample('diff --git a/x b/x\n')));
    assert.ok(!isRecordContent('patch', sample('echo pwned\n')));
    assert.ok(isRecordContent('spec-copy', sample('# Tasks\n')));
    assert.ok(!isRecordContent('spec-copy', sample(new Uint8Array([35, 0, 1]))), 'binary');
    assert.ok(!isRecordContent('spec-copy', { size: 3 * 1024 * 1024, head: bytes('# x'), tail: bytes('x\n') }), 'over 2 MB');
  });
});

describe('SpecGate records: the real writers\' files, on disk and in the index', function () {
  this.timeout(60000);
  before(makeSignature);
  let repo: TestRepo;
  const prevEnv = { ...process.env };
  afterEach(async () => {
    process.env = { ...prevEnv };
    await repo?.cleanup();
  });

  it('every file of a bundle made by writeBundle is a record, and a file added to it is not', async () => {
    repo = await makeRepo({
      '.kiro/specs/cache/requirements.md': '# Requirements\n\n### Requirement 1: Cache\n\n1. WHEN read THEN the system SHALL cache\n',
      '.kiro/specs/cache/tasks.md': '- [ ] 1. Add `src/a.ts`\n  - _Requirements: 1_\n',
      '.kiro/specs/cache/.config.kiro': '{"specId":"x"}\n',
      '.kiro/specs/cache/helper.py': 'print("spec tooling")\n',
      'src/a.ts': 'export const a = 1;\n',
    });
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')));
    await repo.write('src/a.ts', 'export const a = 2;\n');
    const dir = await writeBundle(await analyzeRepository({ cwd: repo.root }));
    const files = walk(dir, repo.root).sort();
    assert.deepEqual(
      files.map((f) => f.slice(path.relative(repo.root, dir).length + 1)),
      ['REVIEW.md', 'changes.patch', 'packet.json', 'review.html', 'review.sarif', 'spec/.config.kiro', 'spec/requirements.md', 'spec/tasks.md'],
      'spec/ holds the spec documents, not helper.py',
    );
    for (const f of files) assert.ok(await isRecordOnDisk(repo.root, f), f);
    // The .gitignore the bundle wrote in the folder it made is one too, as written (or with
    // CRLF line ends), and no other text there.
    assert.ok(await isRecordOnDisk(repo.root, '.specgate/reviews/.gitignore'));
    const ignoreFile = path.join(repo.root, '.specgate/reviews/.gitignore');
    writeFileSync(ignoreFile, REVIEWS_GITIGNORE.replace(/\n/g, '\r\n'));
    assert.ok(await isRecordOnDisk(repo.root, '.specgate/reviews/.gitignore'));
    for (const other of ['*\n', `${REVIEWS_GITIGNORE}!util.js\n`, '']) {
      writeFileSync(ignoreFile, other);
      assert.equal(await isRecordOnDisk(repo.root, '.specgate/reviews/.gitignore'), false, JSON.stringify(other));
    }
    writeFileSync(ignoreFile, REVIEWS_GITIGNORE);
    assert.equal(await isRecordOnDisk(repo.root, '.specgate/approvals/.gitignore'), false);
    await repo.write(`${path.relative(repo.root, dir)}/util.js`, 'exports.one = () => 1;\n');
    assert.equal(await isRecordOnDisk(repo.root, `${path.relative(repo.root, dir)}/util.js`), false);

    // The same files as the index holds them.
    await repo.git('add', '-A', '--force', '--', '.specgate'); // past the .gitignore the bundle wrote
    const listed = (await repo.git('ls-files', '-s', '-z', '--', '.specgate')).split('\0').filter(Boolean);
    const entries = listed.map((l) => {
      const m = /^(\d+) ([0-9a-f]+) 0\t(.*)$/s.exec(l)!;
      return { mode: m[1]!, blob: m[2]!, path: m[3]! };
    });
    const ok = await recordsInBlobs(await Git.open(repo.root), entries);
    assert.deepEqual(
      entries.filter((_, i) => !ok[i]).map((e) => path.posix.basename(e.path)),
      ['util.js'],
    );
  });

  it('an approval record on disk is one; a symlink by that name, or an empty file, is not', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    await repo.write('.specgate/approvals/0123456789abcdef.json', record);
    await repo.write('.specgate/approvals/0123456789abcdef.sig', SIG);
    await repo.write('.specgate/approvals/1123456789abcdef.json', '');
    const { symlink } = await import('node:fs/promises');
    await symlink('0123456789abcdef.json', path.join(repo.root, '.specgate/approvals/2123456789abcdef.json'));
    assert.ok(await isRecordOnDisk(repo.root, '.specgate/approvals/0123456789abcdef.json'));
    assert.ok(await isRecordOnDisk(repo.root, '.specgate/approvals/0123456789abcdef.sig'));
    assert.equal(await isRecordOnDisk(repo.root, '.specgate/approvals/1123456789abcdef.json'), false);
    assert.equal(await isRecordOnDisk(repo.root, '.specgate/approvals/2123456789abcdef.json'), false);
    assert.equal(await isRecordOnDisk(repo.root, '.specgate/approvals/missing0000000.json'), false);
  });
});
