// Where a dependency comes from, read end to end on real git repositories: one cause gives one
// finding (SG303 owns a dependency taken from git or a URL in a manifest it reads; SG210 keeps
// it where SG303 does not read), a pip requirement by URL is named only by what names it, and
// a spec sentence names a source only where it ties the source to the package.
import { strict as assert } from 'node:assert';
import type { Source } from '../../src/core/manifests';
import type { Finding } from '../../src/core/model';
import { namesSource } from '../../src/core/rules/dependencies';
import { analyzeRepository } from '../../src/node/engine';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const pkg = (deps: Record<string, string>) => `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps }, null, 2)}\n`;
const lines = (...ls: string[]) => `${ls.join('\n')}\n`;

/** A Kiro spec whose task 1 names the manifests (so they are in scope), with more task lines after it. */
function kiroSpec(...tasks: string[]): Record<string, string> {
  return {
    '.kiro/specs/pad/requirements.md': lines('# Requirements', '', '### Requirement 1: Pad', '', '#### Acceptance Criteria', '', '1. WHEN a line is short THE formatter SHALL pad it'),
    '.kiro/specs/pad/design.md': lines('# Design', '', 'Padding lives in `src/pad.ts`.'),
    '.kiro/specs/pad/tasks.md': lines('# Tasks', '', '- [ ] 1. Pad lines in `src/pad.ts`; manifests: `package.json`, `requirements.txt`, `Cargo.toml`, `go.mod`, `web/package.json`', '  - _Requirements: 1.1_', ...tasks),
  };
}

const BASE_FILES = {
  'package.json': pkg({ 'left-pad': '^1.3.0', ms: '2.1.3', chalk: '^5.3.0' }),
  'requirements.txt': lines('requests==2.31.0'),
  'Cargo.toml': lines('[package]', 'name = "a"', '', '[dependencies]', 'serde = "1.0"'),
  'go.mod': lines('module example.com/m', '', 'require github.com/pkg/errors v0.9.1'),
  'src/pad.ts': 'export const width = 8;\n',
};

/** Each finding as `rule severity path:line message`. */
const shown = (fs: readonly Finding[]) => fs.map((f) => `${f.rule} ${f.severity} ${f.path}:${f.startLine ?? '-'} ${f.message}`);
/** The findings of the dependency manifests (SG303 at a line, SG210 for the file). */
const about = (fs: readonly Finding[]) => shown(fs.filter((f) => /(?:^|\/)(?:package\.json|requirements\.txt|Cargo\.toml|go\.mod)$/.test(f.path) && (f.rule === 'SG210' || f.startLine !== undefined)));

describe('dependency sources, end to end', function () {
  this.timeout(20000);
  let repo: TestRepo | undefined;
  afterEach(async () => {
    await repo?.cleanup();
    repo = undefined;
  });

  async function changed(spec: Record<string, string>, edits: Record<string, string>, extra: Record<string, string> = {}): Promise<string[]> {
    repo = await makeRepo({ ...BASE_FILES, ...spec, ...extra });
    for (const [f, text] of Object.entries(edits)) await repo.write(f, text);
    const { report } = await analyzeRepository({ cwd: repo.root });
    return about(report.findings);
  }

  describe('one cause, one finding', () => {
    it('a package.json dependency switched to git (`github:` or `git+https:`) is SG303\'s finding at its line, not SG210\'s too', async () => {
      const fs = await changed(kiroSpec(), { 'package.json': pkg({ 'left-pad': 'github:someone/left-pad#main', ms: 'git+https://github.com/vercel/ms.git#v3', chalk: '^5.3.0' }) });
      assert.deepEqual(fs, [
        'SG303 warning package.json:5 Dependency `left-pad` changed from `^1.3.0` to `github:someone/left-pad#main` (taken off the registry: from a git repository now), and the spec does not name it.',
        'SG303 warning package.json:6 Dependency `ms` changed from `2.1.3` to `git+https://github.com/vercel/ms.git#v3` (taken off the registry: from a git repository now), and the spec does not name it.',
      ]);
    });

    it('the other manifests with sources get one finding each too: requirements.txt URLs, Cargo git, a go.mod replace', async () => {
      const fs = await changed(kiroSpec(), {
        'requirements.txt': lines('requests @ git+https://github.com/me/requests.git@fix'),
        'Cargo.toml': lines('[package]', 'name = "a"', '', '[dependencies]', 'serde = { git = "https://github.com/me/serde", branch = "main" }'),
        'go.mod': lines('module example.com/m', '', 'require github.com/pkg/errors v0.9.1', '', 'replace github.com/pkg/errors => github.com/me/errors v0.9.2'),
      });
      assert.deepEqual(fs, [
        'SG303 warning Cargo.toml:5 Dependency `serde` changed from `1.0` to `{ git = "https://github.com/me/serde", branch = "main" }` (taken off the registry: from a git repository now), and the spec does not name it.',
        'SG303 warning go.mod:5 Dependency `github.com/pkg/errors` replaced by `github.com/me/errors v0.9.2` (another module) in a new `replace` directive: every use of it builds with that instead, and the spec does not name it.',
        'SG303 warning requirements.txt:1 Dependency `requests` changed from `==2.31.0` to `git+https://github.com/me/requests.git@fix` (taken off the registry: from a git repository now), and the spec does not name it.',
      ]);
    });

    it('a switch the base spec asks for (the package and its source in one sentence) gives no finding at all; the same asked by the change\'s own edit stays SG303\'s', async () => {
      const asked = kiroSpec('- [ ] 2. Take `left-pad` from our fork on GitHub', '  - _Requirements: 1.1_');
      assert.deepEqual(await changed(asked, { 'package.json': pkg({ 'left-pad': 'github:someone/left-pad#main', ms: '2.1.3', chalk: '^5.3.0' }) }), []);
      await repo!.cleanup();
      repo = undefined;
      const edit = asked['.kiro/specs/pad/tasks.md']!;
      assert.deepEqual(await changed(kiroSpec(), { 'package.json': pkg({ 'left-pad': 'github:someone/left-pad#main', ms: '2.1.3', chalk: '^5.3.0' }), '.kiro/specs/pad/tasks.md': edit }), [
        "SG303 warning package.json:5 Dependency `left-pad` changed from `^1.3.0` to `github:someone/left-pad#main` (taken off the registry: from a git repository now), and only this change's own edit to the spec names it.",
      ]);
    });

    it('SG210 keeps it where SG303 does not read the manifest: a new package.json, or SG303 turned off', async () => {
      const web = { 'web/package.json': pkg({ 'left-pad': 'github:someone/left-pad#main' }) };
      assert.deepEqual(await changed(kiroSpec(), web), [
        'SG210 warning web/package.json:1 High blast radius in this added file: it takes the package `left-pad` from `github:someone/left-pad#main`, not from the registry: what is installed is whatever that source serves (line 5). Confirm it before approving.',
      ]);
      await repo!.cleanup();
      repo = undefined;
      const off = { '.specgate/config.yml': lines('severity:', '  change-without-task: "off"') };
      assert.deepEqual(await changed(kiroSpec(), { 'package.json': pkg({ 'left-pad': 'github:someone/left-pad#main', ms: '2.1.3', chalk: '^5.3.0' }) }, off), [
        'SG210 warning package.json:5 High blast radius in this modified file: it takes the package `left-pad` from `github:someone/left-pad#main`, not from the registry: what is installed is whatever that source serves (line 5). Confirm it before approving.',
      ]);
    });

    it('a task to update all dependencies covers their versions, not a package taken from git; a Renovate-style summary leaves that one out', async () => {
      const all = kiroSpec('- [ ] 2. Bump all dependencies to their latest versions', '  - _Requirements: 1.1_');
      assert.deepEqual(await changed(all, { 'package.json': pkg({ 'left-pad': 'github:someone/left-pad#main', ms: '3.0.0', chalk: '^6.0.0' }) }), [
        'SG303 warning package.json:5 Dependency `left-pad` changed from `^1.3.0` to `github:someone/left-pad#main` (taken off the registry: from a git repository now), and the spec does not name it.',
      ]);
      await repo!.cleanup();
      repo = undefined;
      const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`dep-${i}`, `^1.${i}.0`]));
      const base = { 'left-pad': '^1.3.0', ...many };
      const after = { 'left-pad': 'github:someone/left-pad#main', ...Object.fromEntries(Object.keys(many).map((k) => [k, '^2.0.0'])) };
      const fs = await changed(kiroSpec(), { 'package.json': pkg(after) }, { 'package.json': pkg(base) });
      assert.equal(fs.length, 2, fs.join('\n'));
      assert.match(fs[0]!, /^SG303 warning package\.json:5 Dependency `left-pad` changed from `\^1\.3\.0` to `github:someone\/left-pad#main` \(taken off the registry: from a git repository now\), and the spec does not name it\.$/);
      assert.match(fs[1]!, /^SG303 warning package\.json:6 10 dependencies changed that the spec does not name \(10 of them removed, added, downgraded or across a major version\): `dep-0` changed from/);
    });
  });

  describe('a pip requirement by URL or path', () => {
    it('is named by `name @`, `#egg=` or a wheel\'s or sdist\'s file name; else it has no package name and goes by its location', async () => {
      const spec = kiroSpec('- [ ] 2. Install the CLI from github.com/me/thing', '  - _Requirements: 1.1_');
      const fs = await changed(spec, {
        'requirements.txt': lines(
          'requests==2.31.0',
          'https://example.com/pkgs/download',
          'https://files.example.com/wheels/foo_bar-1.0-py3-none-any.whl',
          'https://example.com/sdists/my-pkg-1.0.tar.gz',
          'tool @ https://example.com/pkgs/download2',
          '-e git+https://github.com/me/thing.git@v1',
          './libs/mylib',
          '-e .',
        ),
      });
      assert.deepEqual(fs, [
        'SG303 warning requirements.txt:2 Requirement `https://example.com/pkgs/download` added to requirements from an archive at a URL with no package name (`name @ URL` gives it one), and the spec does not name it.',
        'SG303 warning requirements.txt:3 Dependency `foo_bar` added to requirements from an archive at a URL (`https://files.example.com/wheels/foo_bar-1.0-py3-none-any.whl`), and the spec does not name it.',
        'SG303 warning requirements.txt:4 Dependency `my-pkg` added to requirements from an archive at a URL (`https://example.com/sdists/my-pkg-1.0.tar.gz`), and the spec does not name it.',
        'SG303 warning requirements.txt:5 Dependency `tool` added to requirements from an archive at a URL (`https://example.com/pkgs/download2`), and the spec does not name it.',
        'SG303 warning requirements.txt:7 Requirement `./libs/mylib` added to requirements from a local path with no package name, and the spec does not name it.',
      ]);
    });

    it('one with no package name: another revision is a change of it, taking it out a removal; the spec names it by its URL', async () => {
      const before = lines('requests==2.31.0', 'https://example.com/pkgs/download', 'git+https://github.com/me/thing.git@v1');
      const fs = await changed(kiroSpec(), { 'requirements.txt': lines('requests==2.31.0', 'git+https://github.com/me/thing.git@v2') }, { 'requirements.txt': before });
      assert.deepEqual(fs, [
        'SG303 warning requirements.txt:1 Requirement `https://example.com/pkgs/download` removed from requirements, and the spec does not name it.',
        'SG303 warning requirements.txt:2 Requirement `git+https://github.com/me/thing.git` changed from `git+https://github.com/me/thing.git@v1` to `git+https://github.com/me/thing.git@v2` (another revision of the same git repository), and the spec does not name it.',
      ]);
      await repo!.cleanup();
      repo = undefined;
      const named = kiroSpec('- [ ] 2. Move to v2 of https://github.com/me/thing and drop https://example.com/pkgs/download', '  - _Requirements: 1.1_');
      assert.deepEqual(await changed(named, { 'requirements.txt': lines('requests==2.31.0', 'git+https://github.com/me/thing.git@v2') }, { 'requirements.txt': before }), []);
    });
  });

  describe('a spec sentence names a source only where it ties it to the package', () => {
    const git: Source = { kind: 'git', where: 'github:me/p-retry', ref: 'fix' };
    const local: Source = { kind: 'path', where: '../p-retry', ref: '' };
    const url: Source = { kind: 'url', where: 'https://h.example/x-1.0.0.tgz', ref: '' };
    const alias: Source = { kind: 'alias', where: 'lodash-es', ref: '^4.17.21' };
    const cases: [string, string, Source, boolean][] = [
      // Tied: the source word in one phrase with the name, before it or after it behind a link word.
      ['Take `p-retry` from our fork', 'p-retry', git, true],
      ['Use our GitHub fork of `p-retry`', 'p-retry', git, true],
      ['Pin `p-retry` to a git commit', 'p-retry', git, true],
      ['Keep `p-retry` (our fork) until upstream merges the fix', 'p-retry', git, true],
      ['Use a local copy of `p-retry`', 'p-retry', local, true],
      ['Point `p-retry` at ../p-retry', 'p-retry', local, true],
      ['Take `p-retry` from me/p-retry, branch fix', 'p-retry', git, true],
      ['Add `x` from h.example', 'x', url, true],
      ['Alias `lodash` to `lodash-es`', 'lodash', alias, true],
      ['Install `lodash-es` under the name `lodash`', 'lodash', alias, true],
      // Loose: a source word, a URL or the other name elsewhere in the sentence, not tied to the package.
      ['Add `p-retry` and cache results in local storage', 'p-retry', local, false],
      ['Upgrade `p-retry` to retry uploads from local disk', 'p-retry', local, false],
      ['Bump `p-retry`, which the local dev server uses', 'p-retry', local, false],
      ['Upgrade `p-retry` (changelog: https://github.com/sindresorhus/p-retry/releases)', 'p-retry', git, false],
      ['Upgrade `p-retry` before the git tag is cut', 'p-retry', git, false],
      ['Upgrade `lodash` and `lodash-es`', 'lodash', alias, false],
      ["Map the vendor's `p-retry` errors", 'p-retry', git, false],
      ['Use the vendored `p-retry`', 'p-retry', local, true],
      ['Add `x` to the client, as the docs on h.example say', 'x', url, false],
    ];
    for (const [sentence, name, source, expected] of cases) it(`${expected ? 'ties' : 'does not tie'}: ${sentence}`, () => assert.equal(namesSource(sentence, { name, source }), expected));

    it('end to end: a loose sentence leaves the switch reported as "names it but not this source"; a tied one covers it', async () => {
      const after = { 'package.json': pkg({ 'left-pad': 'file:../left-pad', ms: '2.1.3', chalk: '^5.3.0' }) };
      assert.deepEqual(await changed(kiroSpec('- [ ] 2. Upgrade `left-pad` and keep the padding cache in local storage', '  - _Requirements: 1.1_'), after), [
        'SG303 warning package.json:5 Dependency `left-pad` changed from `^1.3.0` to `file:../left-pad` (taken off the registry: from a local path now), and the spec names it but not this source.',
      ]);
      await repo!.cleanup();
      repo = undefined;
      assert.deepEqual(await changed(kiroSpec('- [ ] 2. Use a local copy of `left-pad` and keep the padding cache in local storage', '  - _Requirements: 1.1_'), after), []);
    });
  });
});
