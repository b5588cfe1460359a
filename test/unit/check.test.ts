// `specgate check` end to end: real git repositories in temp folders, the built CLI.
import { strict as assert } from 'node:assert';
import { existsSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Finding, Report } from '../../src/core/model';
import { joinLines } from './helpers/analysisFixtures';
import { checkJson, cliBuilt, runCli } from './helpers/checkCli';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const KIRO = '.kiro/specs/billing-retry';

const kiroFiles = (): Record<string, string> => ({
  [`${KIRO}/requirements.md`]: joinLines(
    '# Requirements Document',
    '',
    '## Requirements',
    '',
    '### Requirement 1: Retry failed charges',
    '',
    '#### Acceptance Criteria',
    '',
    '1. WHEN a charge fails THEN the system SHALL retry it',
    '2. WHEN retries run out THEN the system SHALL mark the charge failed',
    '',
    '### Requirement 2: Report retries',
    '',
    '#### Acceptance Criteria',
    '',
    '1. WHEN a retry happens THEN the system SHALL log it',
  ),
  [`${KIRO}/tasks.md`]: joinLines(
    '# Implementation Plan',
    '',
    '- [ ] 1. Add the retry loop in `src/billing/retry.ts`',
    '  - _Requirements: 1.1, 1.2_',
    '- [ ] 2. Log retries in `src/billing/log.ts`',
    '  - _Requirements: 2.1_',
  ),
  [`${KIRO}/design.md`]: joinLines('# Design', '', 'Billing code lives in `src/billing/`.', '', '## Non-Goals', '', '- Changing `src/legacy/`'),
  'src/billing/retry.ts': joinLines('export function retry() {', '  return 1;', '}', 'export const MAX = 3;'),
  'src/billing/log.ts': joinLines('export const log = () => 0;'),
  'src/billing/ledger.ts': joinLines(...Array.from({ length: 40 }, (_, i) => `export const entry${i} = ${i};`)),
  'src/billing/history.ts': joinLines(...Array.from({ length: 260 }, (_, i) => `// history line ${i}`)),
  'src/app.ts': joinLines('import { retry } from "./billing/retry";', 'retry();'),
  'src/legacy/old.ts': joinLines('export const old = 1;'),
  'infra/main.tf': joinLines('resource "aws_s3_bucket" "b" {', '  bucket = "billing"', '}'),
});

const kinds = (r: Report) => r.findings.map((f) => `${f.rule} ${f.severity} ${f.path}${f.startLine ? `:${f.startLine}-${f.endLine}` : ''}`);
const ofKind = (r: Report, kind: Finding['kind']) => r.findings.filter((f) => f.kind === kind);

describe('specgate check (end to end)', function () {
  this.timeout(60_000);
  const repos: TestRepo[] = [];
  const repo = async (files: Record<string, string>) => {
    const r = await makeRepo(files);
    repos.push(r);
    return r;
  };

  before(function () {
    if (!cliBuilt()) this.skip();
  });
  after(async () => {
    await Promise.all(repos.map((r) => r.cleanup()));
  });

  describe('Kiro spec', () => {
    it('classifies files and hunks, links tasks and requirements, and reports the findings', async () => {
      const r = await repo(kiroFiles());
      await r.write('src/billing/retry.ts', joinLines('export function retry() {', '  return 2;', '}', 'export const MAX = 3;'));
      await r.write('src/app.ts', joinLines('import { retry } from "./billing/retry";', 'retry();', 'retry();', 'retry();'));
      await r.write('src/legacy/old.ts', joinLines('export const old = 2;'));
      await r.write('src/billing/new-helper.ts', joinLines('export const h = 1;'));
      const { code, report } = await checkJson(r);
      assert.equal(code, 1);
      assert.equal(report.schema, 'specgate.report/1');
      assert.equal(report.spec.id, KIRO);
      assert.equal(report.spec.format, 'kiro');
      assert.deepEqual(
        report.changes.map((c) => [c.path, c.status, c.classification, c.tasks, c.added, c.removed, c.hunks]),
        [
          ['src/app.ts', 'modified', 'out-of-scope', [], 2, 0, [{ oldStart: 2, oldLines: 0, newStart: 3, newLines: 2 }]],
          ['src/billing/new-helper.ts', 'added', 'in-scope', [], 1, 0, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }]],
          ['src/billing/retry.ts', 'modified', 'in-scope', ['1'], 1, 1, [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]],
          ['src/legacy/old.ts', 'modified', 'excluded', [], 1, 1, [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 }]],
        ],
      );
      assert.deepEqual(kinds(report), [
        'SG101 error src/app.ts:3-4',
        'SG102 error src/legacy/old.ts:1-1',
        `SG301 info ${KIRO}/requirements.md:12-12`,
        'SG303 info src/billing/new-helper.ts',
      ]);
      assert.deepEqual(report.traceability, [
        { requirement: '1', tasks: ['1'], paths: ['src/billing/retry.ts'] },
        { requirement: '2', tasks: ['2'], paths: [] },
      ]);
      assert.deepEqual(report.summary, { files: 4, added: 5, removed: 2, outOfScope: 2, risk: 'high' });
      assert.equal(report.base.ref, 'HEAD');
      assert.match(report.base.commit!, /^[0-9a-f]{40}$/);
      assert.match(report.digest, /^sha256:[0-9a-f]{64}$/);
    });

    it('SG201/SG220: a deleted file is a warning (exit 0 by default, 1 with --fail-on warning), its exports removed', async () => {
      const r = await repo(kiroFiles());
      await r.rm('src/billing/log.ts');
      const { code, report } = await checkJson(r);
      assert.equal(code, 0);
      assert.deepEqual(kinds(report).filter((k) => !k.startsWith('SG301')), ['SG201 warning src/billing/log.ts:1-1', 'SG220 warning src/billing/log.ts:1-1']);
      assert.equal(ofKind(report, 'removed-export')[0]!.message, 'Removed export `log` with the deleted file; code that imports it may break.');
      assert.equal(report.summary.risk, 'medium');
      assert.equal((await runCli(r, ['check', '--fail-on', 'warning'])).code, 1);
      assert.equal((await runCli(r, ['check', '--fail-on', 'none'])).code, 0);
    });

    it('SG202: most of a file rewritten, and a file deleted and re-created under another name', async () => {
      const r = await repo(kiroFiles());
      await r.write('src/billing/ledger.ts', joinLines(...Array.from({ length: 35 }, (_, i) => `export const row${i} = ${i};`)));
      await r.rm('src/billing/log.ts');
      await r.write('src/billing/log.js', joinLines('exports.log = () => 1;'));
      const { code, report } = await checkJson(r, '--fail-on', 'none');
      assert.equal(code, 0);
      assert.deepEqual(ofKind(report, 'mass-rewrite').map((f) => [f.path, f.severity, f.startLine, f.endLine]), [['src/billing/ledger.ts', 'error', 1, 35]]);
      assert.match(ofKind(report, 'mass-rewrite')[0]!.message, /100% of its 40 lines removed, 35 added/);
      assert.equal(report.summary.risk, 'critical');
      assert.deepEqual(ofKind(report, 'removed-export').map((f) => [f.path, f.message.slice(0, 20)]), [
        ['src/billing/ledger.ts', 'Removed 40 exports ('],
        ['src/billing/log.ts', 'Removed export `log`'],
      ]);
    });

    it('SG202: a file deleted and re-added with the same stem in the same folder', async () => {
      const r = await repo(kiroFiles());
      await r.rm('src/billing/ledger.ts');
      await r.write('src/billing/ledger.js', joinLines(...Array.from({ length: 30 }, (_, i) => `exports.e${i} = ${i};`)));
      const { report } = await checkJson(r);
      assert.deepEqual(ofKind(report, 'mass-rewrite').map((f) => [f.path, f.message]), [
        ['src/billing/ledger.js', 'Deleted and re-created: `src/billing/ledger.ts` was deleted and this file written in its place.'],
      ]);
    });

    it('SG202: a module deleted and written anew under another name, exporting most of its names', async () => {
      const r = await repo(kiroFiles());
      await r.rm('src/billing/ledger.ts');
      await r.write('src/billing/book.ts', joinLines(...Array.from({ length: 35 }, (_, i) => `export const entry${i} = () => ${i};`)));
      const { report } = await checkJson(r, '--fail-on', 'none');
      assert.deepEqual(ofKind(report, 'mass-rewrite').map((f) => [f.path, f.severity, f.message]), [
        [
          'src/billing/book.ts',
          'error',
          'Deleted and re-created under a new name: `src/billing/ledger.ts` (40 lines) was deleted and this file written in its place, exporting 35 of its 40 names (`entry0`, `entry1`, `entry2`, `entry3`, ... (31 more)).',
        ],
      ]);
    });

    it('SG203: a large deletion points at the biggest removed block', async () => {
      const r = await repo(kiroFiles());
      await r.write('src/billing/history.ts', joinLines(...Array.from({ length: 30 }, (_, i) => `// history line ${i}`)));
      const { report } = await checkJson(r);
      assert.deepEqual(ofKind(report, 'large-deletion').map((f) => [f.path, f.severity, f.startLine, f.message]), [
        ['src/billing/history.ts', 'warning', 30, 'Large deletion: 230 lines removed, 0 added (threshold 200).'],
      ]);
    });

    it('SG210: protected paths (Terraform, CI, config additions) are errors and make the risk critical', async () => {
      const r = await repo({ ...kiroFiles(), '.specgate/config.yml': joinLines('protected:', '  - "src/billing/log.ts"') });
      await r.write('infra/main.tf', joinLines('resource "aws_s3_bucket" "b" {', '  bucket = "billing-v2"', '}'));
      await r.write('.github/workflows/ci.yml', joinLines('on: push'));
      await r.write('src/billing/log.ts', joinLines('export const log = () => 1;'));
      const { code, report } = await checkJson(r);
      assert.equal(code, 1);
      assert.deepEqual(ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.startLine]), [
        ['.github/workflows/ci.yml', 'error', 1],
        ['infra/main.tf', 'error', 2],
        ['src/billing/log.ts', 'warning', 1],
      ]);
      assert.equal(report.summary.risk, 'critical');
    });

    it('SG210: a task the change adds to the spec, or a spec it creates, does not excuse a protected file', async () => {
      const db = joinLines('resource "aws_db_instance" "primary" {', '  instance_class = "db.r6g.large"', '  lifecycle {', '    prevent_destroy = true', '  }', '}');
      const r = await repo({ ...kiroFiles(), 'infra/main.tf': db });
      // The assistant ticks in a task of its own naming the file, and edits it.
      await r.write(`${KIRO}/tasks.md`, kiroFiles()[`${KIRO}/tasks.md`]! + joinLines('- [x] 3. Resize the database in `infra/main.tf`'));
      await r.write('infra/main.tf', db.replace('db.r6g.large', 'db.r6g.4xlarge'));
      const edited = await checkJson(r);
      assert.equal(edited.code, 1);
      assert.deepEqual(ofKind(edited.report, 'protected-path').map((f) => [f.severity, f.message]), [
        [
          'error',
          "Protected path (Terraform, `**/*.tf`): modified file with a high blast radius. Task 3 names it only in this change's edit to the spec, which cannot vouch for it: a task does once the spec naming it is in the base.",
        ],
      ]);
      assert.equal(edited.report.summary.risk, 'critical');
      // Once the spec with that task is committed (a reviewer saw it), the task vouches.
      await r.git('commit', '-qm', 'task 3', '--', `${KIRO}/tasks.md`);
      assert.deepEqual(ofKind((await checkJson(r)).report, 'protected-path').map((f) => f.severity), ['warning']);
      // A spec the change writes from nothing vouches for nothing either.
      await r.git('rm', '-rq', '--cached', KIRO);
      await r.git('commit', '-qm', 'no spec in the base');
      const created = await checkJson(r);
      assert.deepEqual((created.report as Report & { notes?: string[] }).notes, [
        "the spec .kiro/specs/billing-retry is new in this change: the scope it declares is the change's own claim, so review the spec first",
      ]);
      assert.deepEqual(ofKind(created.report, 'protected-path').map((f) => [f.severity, f.message.replace(/^.*radius\. /, '')]), [
        ['error', "Task 3 names it only in this change's new spec, which cannot vouch for it: a task does once the spec naming it is in the base."],
      ]);
    });

    it('SG210: what a change does in a file a task names (a resource destroyed) stays an error, in every mode, first look or cached', async () => {
      const db = joinLines('resource "aws_db_instance" "primary" {', '  instance_class = "db.r6g.large"', '  lifecycle {', '    prevent_destroy = true', '  }', '}');
      const files = kiroFiles();
      files[`${KIRO}/tasks.md`] += joinLines('- [ ] 3. Resize the database in `infra/main.tf`');
      const r = await repo({ ...files, 'infra/main.tf': db, 'package.json': joinLines('{', '  "scripts": { "test": "mocha" }', '}') });
      // The resize the task asked for: a warning.
      await r.write('infra/main.tf', db.replace('db.r6g.large', 'db.r6g.xlarge'));
      assert.deepEqual(ofKind((await checkJson(r)).report, 'protected-path').map((f) => f.severity), ['warning']);
      // The database renamed without a moved block, its prevent_destroy gone: an error naming both.
      await r.write('infra/main.tf', joinLines('resource "aws_db_instance" "main" {', '  instance_class = "db.r6g.xlarge"', '}'));
      await r.write('package.json', joinLines('{', '  "scripts": { "test": "mocha", "postinstall": "node x.js" }', '}'));
      const want = [
        [
          'infra/main.tf',
          'error',
          'Protected path (Terraform, `**/*.tf`): modified file with a high blast radius. It removes the resource `aws_db_instance.primary`: Terraform destroys it (a rename or a move needs a `moved` block) (old line 1). Task 3 names the file, but what the change does in it stays an error.',
        ],
        ['package.json', 'error', 'High blast radius in this modified file: it sets the `postinstall` script, which the package manager runs on every install of the project (line 2). Confirm it before approving.'],
      ];
      const shown = (report: Report) => ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.message]);
      const first = await checkJson(r, '--no-cache');
      assert.deepEqual([first.code, first.report.summary.risk, shown(first.report)], [1, 'critical', want]);
      await checkJson(r); // fills the cache
      assert.deepEqual(shown((await checkJson(r)).report), want);
      await r.git('add', '-A');
      assert.deepEqual(shown((await checkJson(r, '--staged')).report), want);
      // Renamed with a moved block: the task's warning again.
      await r.write('infra/main.tf', joinLines('resource "aws_db_instance" "main" {', '  instance_class = "db.r6g.xlarge"', '  lifecycle {', '    prevent_destroy = true', '  }', '}', 'moved {', '  from = aws_db_instance.primary', '  to   = aws_db_instance.main', '}'));
      assert.deepEqual(shown((await checkJson(r)).report).map((f) => f.slice(0, 2)), [['package.json', 'error'], ['infra/main.tf', 'warning']]);
    });

    it('SG210: a symbolic link added in scope that points out of the repository is an error, in the working tree and staged', async () => {
      const r = await repo(kiroFiles());
      symlinkSync('/etc/passwd', path.join(r.root, 'src/billing/config.json'));
      symlinkSync('retry.ts', path.join(r.root, 'src/billing/alias.ts'));
      const want = [['src/billing/config.json', 'error', 'High blast radius in this added file: it is a symbolic link to `/etc/passwd`, outside the repository: whatever reads or copies it (a build, an upload) reaches that file. Confirm it before approving.']];
      const shown = (report: Report) => ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.message]);
      assert.deepEqual(shown((await checkJson(r)).report), want);
      await r.git('add', '-A');
      assert.deepEqual(shown((await checkJson(r, '--staged')).report), want);
    });

    it('SG210: an added file\'s danger survives the change cache (a staged new migration, checked twice)', async () => {
      const r = await repo(kiroFiles());
      await r.write('db/migrations/002_drop.sql', 'DROP TABLE invoices;\n');
      await r.git('add', 'db/migrations/002_drop.sql');
      const shown = (report: Report) => ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.message.replace(/^.*radius\. /, '')]);
      const want = [['db/migrations/002_drop.sql', 'error', 'It runs `DROP TABLE`: data is lost (line 1).']];
      assert.deepEqual(shown((await checkJson(r)).report), want);
      assert.deepEqual(shown((await checkJson(r)).report), want);
      assert.deepEqual(shown((await checkJson(r, '--no-cache')).report), want);
    });

    it('SG210: a migration written as code that drops a column, and a Prisma field removed, are errors even when a task names them; a rollback that drops is not', async () => {
      const files = kiroFiles();
      files[`${KIRO}/tasks.md`] += joinLines('- [ ] 3. Add the retry count in `db/migrate/20240101_retries.rb` and `prisma/schema.prisma`');
      const r = await repo({ ...files, 'prisma/schema.prisma': joinLines('model Invoice {', '  id      Int @id', '  legacy  String', '}') });
      await r.write('db/migrate/20240101_retries.rb', joinLines('class Retries < ActiveRecord::Migration[7.1]', '  def up', '    add_column :invoices, :retries, :integer', '    remove_column :invoices, :legacy', '  end', '  def down', '    remove_column :invoices, :retries', '  end', 'end'));
      await r.write('prisma/schema.prisma', joinLines('model Invoice {', '  id      Int @id', '  retries Int', '}'));
      const shown = (report: Report) => ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.message.replace(/^.*radius\. /, '')]);
      const want = [
        ['db/migrate/20240101_retries.rb', 'error', 'It drops a column (`remove_column :invoices, :legacy`): its data is lost (line 4). Task 3 names the file, but what the change does in it stays an error.'],
        ['prisma/schema.prisma', 'error', 'It removes the field `Invoice.legacy`: the next `prisma migrate` drops its column and the data in it (old line 3). Task 3 names the file, but what the change does in it stays an error.'],
      ];
      const first = await checkJson(r, '--no-cache');
      assert.deepEqual([first.code, first.report.summary.risk, shown(first.report)], [1, 'critical', want]);
      await checkJson(r);
      assert.deepEqual(shown((await checkJson(r)).report), want);
      // The column kept: only the task's warnings.
      await r.write('db/migrate/20240101_retries.rb', joinLines('class Retries < ActiveRecord::Migration[7.1]', '  def up', '    add_column :invoices, :retries, :integer', '  end', '  def down', '    remove_column :invoices, :retries', '  end', 'end'));
      await r.write('prisma/schema.prisma', joinLines('model Invoice {', '  id      Int @id', '  legacy  String', '  retries Int', '}'));
      assert.deepEqual(shown((await checkJson(r)).report).map((f) => f.slice(0, 2)), [['db/migrate/20240101_retries.rb', 'warning'], ['prisma/schema.prisma', 'warning']]);
    });

    it("SG210: SpecGate's own gate taken out of a hook a task names stays an error", async () => {
      const files = kiroFiles();
      files[`${KIRO}/tasks.md`] += joinLines('- [ ] 3. Run `lint-staged` from `.husky/pre-commit`');
      const r = await repo({ ...files, '.husky/pre-commit': joinLines('#!/bin/sh', 'npx --no-install specgate verify --staged || exit 1') });
      await r.write('.husky/pre-commit', joinLines('#!/bin/sh', 'npx lint-staged'));
      const { code, report } = await checkJson(r, '--no-cache');
      assert.deepEqual([code, ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.message])], [
        1,
        [
          [
            '.husky/pre-commit',
            'error',
            "Protected path (git hooks, `**/.husky/**`): modified file with a high blast radius. It takes out a line that runs SpecGate's gate (`npx --no-install specgate verify --staged || exit 1`): what it gated goes through without an approval (old line 2). Task 3 names the file, but what the change does in it stays an error.",
          ],
        ],
      ]);
    });

    it('SG210: a file renamed into the spec, or given scope front matter by the change, brings no base tasks to vouch', async () => {
      const files = kiroFiles();
      delete files[`${KIRO}/tasks.md`];
      const r = await repo({
        ...files,
        'infra/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
        'notes/todo.md': '# Todo\n\n- [ ] 1. Edit `infra/main.tf`\n',
        'docs/old.md': '# Old notes\n\n- [ ] Edit `infra/main.tf`\n',
      });
      await r.write('infra/main.tf', 'resource "aws_s3_bucket" "b" {\n  bucket = "y"\n}\n');
      // notes/todo.md renamed into the spec folder as its tasks.md: at the base it was another file.
      await r.git('mv', 'notes/todo.md', `${KIRO}/tasks.md`);
      const renamed = await checkJson(r, '--spec', KIRO);
      assert.deepEqual(renamed.report.changes.find((c) => c.path === `${KIRO}/tasks.md`)?.oldPath, 'notes/todo.md');
      assert.deepEqual(ofKind(renamed.report, 'protected-path').map((f) => f.severity), ['error']);
      // docs/old.md given scope front matter: at the base it was no spec, and its task vouches for nothing.
      await r.git('mv', `${KIRO}/tasks.md`, 'notes/todo.md');
      await r.write('docs/old.md', '---\nscope: ["infra/**"]\n---\n# Old notes\n\n- [ ] Edit `infra/main.tf`\n');
      const plain = await checkJson(r, '--spec', 'docs/old.md');
      assert.deepEqual(ofKind(plain.report, 'protected-path').map((f) => f.severity), ['error']);
    });

    it('a root lockfile follows the manifests of the workspace members the base declares, not a fixture\'s', async () => {
      const files = kiroFiles();
      files[`${KIRO}/tasks.md`] += joinLines('- [ ] 3. Add p-retry to `packages/web/package.json`');
      const r = await repo({
        ...files,
        'package.json': '{ "name": "root", "private": true, "workspaces": ["packages/*"] }\n',
        'package-lock.json': '{ "lockfileVersion": 3 }\n',
        'packages/web/package.json': '{ "name": "web" }\n',
        'test/fixtures/app/package.json': '{ "name": "fixture" }\n',
      });
      await r.write('packages/web/package.json', '{ "name": "web", "dependencies": { "p-retry": "^6" } }\n');
      await r.write('package-lock.json', '{ "lockfileVersion": 3, "packages": {} }\n');
      const lock = (report: Report) => report.changes.find((c) => c.path === 'package-lock.json')!;
      const followed = await checkJson(r);
      assert.deepEqual([lock(followed.report).classification, lock(followed.report).tasks], ['in-scope', ['3']]);
      assert.deepEqual(ofKind(followed.report, 'protected-path').map((f) => [f.path, f.severity]), [['package-lock.json', 'warning']]);
      // A package from the registry the base's .npmrc names is from no new host; from another, it is.
      const resolved = (host: string) => `{ "lockfileVersion": 3, "packages": { "node_modules/@acme/ui": {\n  "resolved": "https://${host}/@acme/ui/-/ui-2.0.0.tgz"\n} } }\n`;
      await r.write('.npmrc', '@acme:registry=https://npm.acme.internal/\n');
      await r.git('add', '.npmrc');
      await r.git('commit', '-qm', 'npmrc', '--', '.npmrc');
      await r.write('package-lock.json', resolved('npm.acme.internal'));
      assert.deepEqual(ofKind((await checkJson(r)).report, 'protected-path').map((f) => [f.path, f.severity]), [['package-lock.json', 'warning']]);
      await r.write('package-lock.json', resolved('evil.example'));
      assert.deepEqual(ofKind((await checkJson(r)).report, 'protected-path').map((f) => [f.path, f.severity]), [['package-lock.json', 'error']]);
      // A fixture's manifest is no member: the lockfile is its own change again.
      await r.git('checkout', '-q', '--', 'packages/web/package.json');
      await r.write('test/fixtures/app/package.json', '{ "name": "fixture", "x": 1 }\n');
      assert.deepEqual(lock((await checkJson(r)).report).classification, 'out-of-scope');
    });

    it('SG210: a .gitattributes `-diff` does not hide a Terraform deletion, and .gitattributes is protected itself', async () => {
      const r = await repo(kiroFiles());
      await r.write('.gitattributes', '*.tf -diff\n');
      await r.rm('infra/main.tf');
      const { report } = await checkJson(r);
      const tf = report.changes.find((c) => c.path === 'infra/main.tf')!;
      assert.deepEqual([tf.status, tf.binary, tf.removed], ['deleted', false, 3]);
      assert.deepEqual(ofKind(report, 'protected-path').map((f) => f.path), ['.gitattributes', 'infra/main.tf']);
    });

    it('a change to .specgate/config.yml cannot loosen the rules it is judged by; it tightens them at once', async () => {
      const r = await repo(kiroFiles());
      const loosen = joinLines('severity:', '  out-of-scope: "off"', '  excluded-path: "off"', '  protected-path: "off"', 'thresholds:', '  largeDeletion: 5');
      await r.write('.specgate/config.yml', loosen);
      await r.write('infra/main.tf', joinLines('resource "aws_s3_bucket" "b" {', '  bucket = "billing-v2"', '}'));
      await r.write('src/legacy/old.ts', joinLines('export const old = 2;'));
      await r.write('src/billing/history.ts', joinLines(...Array.from({ length: 250 }, (_, i) => `// history line ${i}`)));
      const { report } = await checkJson(r);
      assert.deepEqual(
        report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.severity} ${f.path}`),
        [
          'SG101 error .specgate/config.yml',
          'SG210 error .specgate/config.yml',
          'SG101 error infra/main.tf',
          'SG210 error infra/main.tf',
          'SG102 error src/legacy/old.ts',
          'SG203 warning src/billing/history.ts',
        ],
      );
      assert.equal(
        ofKind(report, 'protected-path')[0]!.message,
        'Protected path (SpecGate configuration, `.specgate/**`): added file with a high blast radius. Rules it loosens apply once it is in the base (committed; merged into the target for --base).',
      );
      // Committed, it is the base's config: the next change is judged by it.
      await r.commit('config');
      await r.write('infra/main.tf', joinLines('resource "aws_s3_bucket" "b" {', '  bucket = "billing-v3"', '}'));
      const next = await checkJson(r);
      assert.deepEqual(next.report.findings.filter((f) => f.severity !== 'info').map((f) => f.kind), []);
    });

    it('--staged judges by the config in the index, not an unstaged edit of it', async () => {
      const r = await repo(kiroFiles());
      await r.write('infra/main.tf', joinLines('resource "aws_s3_bucket" "b" {', '  bucket = "billing-v2"', '}'));
      await r.git('add', 'infra/main.tf');
      await r.write('.specgate/config.yml', joinLines('severity:', '  out-of-scope: "off"', '  protected-path: "off"'));
      const staged = await checkJson(r, '--staged');
      const notInfo = (x: Report) => x.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.path}`);
      assert.deepEqual(notInfo(staged.report), ['SG101 infra/main.tf', 'SG210 infra/main.tf']);
      const worktree = await checkJson(r);
      assert.deepEqual(notInfo(worktree.report), [
        'SG101 .specgate/config.yml',
        'SG210 .specgate/config.yml',
        'SG101 infra/main.tf',
        'SG210 infra/main.tf',
      ]);
    });

    it('SG220: an export removed from a changed file, at the hunk that removed it', async () => {
      const r = await repo(kiroFiles());
      await r.write('src/billing/retry.ts', joinLines('export function retry() {', '  return 1;', '}'));
      const { report } = await checkJson(r);
      assert.deepEqual(ofKind(report, 'removed-export').map((f) => [f.path, f.startLine, f.task, f.message]), [
        ['src/billing/retry.ts', 3, '1', 'Removed export `MAX`; code that imports it may break.'],
      ]);
    });

    it('SG301/SG302: a task ticked done without its file changing; its requirement counts as started', async () => {
      const r = await repo(kiroFiles());
      await r.write(
        `${KIRO}/tasks.md`,
        joinLines('# Implementation Plan', '', '- [ ] 1. Add the retry loop in `src/billing/retry.ts`', '  - _Requirements: 1.1, 1.2_', '- [x] 2. Log retries in `src/billing/log.ts`', '  - _Requirements: 2.1_'),
      );
      const { report } = await checkJson(r);
      assert.deepEqual(ofKind(report, 'task-done-without-change').map((f) => [f.path, f.startLine, f.task, f.severity]), [[`${KIRO}/tasks.md`, 5, '2', 'warning']]);
      assert.deepEqual(ofKind(report, 'requirement-uncovered').map((f) => f.requirement), ['1']);
      assert.deepEqual(report.changes.map((c) => [c.path, c.classification]), [[`${KIRO}/tasks.md`, 'spec']]);
    });

    it('SG302: tasks ticked done whose files changed only in whitespace, or were created empty', async () => {
      const r = await repo(kiroFiles());
      await r.write(
        `${KIRO}/tasks.md`,
        joinLines('# Implementation Plan', '', '- [x] 1. Add the retry loop in `src/billing/retry.ts`', '  - _Requirements: 1.1, 1.2_', '- [x] 2. Log retries in `src/billing/log.ts`, tested in `test/log.test.ts`', '  - _Requirements: 2.1_'),
      );
      await r.write('src/billing/retry.ts', joinLines('export function retry() {  ', '  return 1;', '}', 'export const MAX = 3;'));
      await r.write('test/log.test.ts', '');
      const { report } = await checkJson(r);
      assert.deepEqual(ofKind(report, 'task-done-without-change').map((f) => [f.task, f.message]), [
        ['1', 'Task 1 is ticked done, but the files linked to it hold no work: `src/billing/retry.ts` changes only whitespace.'],
        ['2', 'Task 2 is ticked done, but the files linked to it hold no work: `test/log.test.ts` is empty.'],
      ]);
    });

    it('SG303: a dependency changed in a task-named package.json that the spec does not name', async () => {
      const files = kiroFiles();
      files[`${KIRO}/tasks.md`] += '- [ ] 3. Add `p-retry` to `package.json`\n  - _Requirements: 1.1_\n';
      const pkg = (deps: Record<string, string>) => `${JSON.stringify({ name: 'billing', version: '1.0.0', dependencies: deps }, null, 2)}\n`;
      files['package.json'] = pkg({ lodash: '4.17.21', ms: '2.1.3' });
      const r = await repo(files);
      await r.write('package.json', pkg({ lodash: '^3.10.1', ms: '2.1.3', 'p-retry': '^6.2.0' }));
      const { report } = await checkJson(r);
      assert.deepEqual(report.changes.map((c) => [c.path, c.classification, c.tasks]), [['package.json', 'in-scope', ['3']]]);
      assert.deepEqual(ofKind(report, 'change-without-task').map((f) => [f.path, f.startLine, f.severity, f.message]), [
        ['package.json', 5, 'warning', 'Dependency `lodash` changed from `4.17.21` to `^3.10.1` (a major version down), and the spec does not name it.'],
      ]);
      assert.equal(report.summary.risk, 'medium');
    });

    it('SG401: a task referencing a requirement that does not exist', async () => {
      const files = kiroFiles();
      files[`${KIRO}/tasks.md`] += '- [ ] 3. Tidy up\n  - _Requirements: 9.1_\n';
      const r = await repo(files);
      const { code, report } = await checkJson(r);
      assert.equal(code, 0);
      assert.deepEqual(ofKind(report, 'spec-problem').map((f) => [f.path, f.startLine, f.severity]), [[`${KIRO}/tasks.md`, 8, 'warning']]);
      assert.match(ofKind(report, 'spec-problem')[0]!.message, /9\.1/);
      assert.deepEqual(report.changes, []);
    });

    it('handles renames, names with spaces, quotes, a leading dash and non-ASCII', async () => {
      const r = await repo({ ...kiroFiles(), 'src/billing/-odd "name" ü.ts': 'export const x = 1;\n' });
      await r.git('mv', '--', 'src/billing/-odd "name" ü.ts', 'src/legacy/-odd "name" ü.ts');
      await r.write('notes/a b\nc.md', 'x\n');
      const { report } = await checkJson(r);
      assert.deepEqual(report.changes.map((c) => [c.path, c.oldPath, c.status, c.classification]), [
        ['notes/a b\nc.md', undefined, 'added', 'out-of-scope'],
        ['src/legacy/-odd "name" ü.ts', 'src/billing/-odd "name" ü.ts', 'renamed', 'excluded'],
      ]);
    });

    it('works from a subfolder with --cwd and with --staged and --base', async () => {
      const r = await repo(kiroFiles());
      await r.git('checkout', '-q', '-b', 'feature/billing-retry');
      await r.write('src/billing/retry.ts', joinLines('export function retry() {', '  return 5;', '}', 'export const MAX = 3;'));
      await r.commit('retry');
      await r.write('src/app.ts', 'changed\n');
      await r.write('src/billing/log.ts', 'export const log = () => 9;\n');
      await r.git('add', 'src/billing/log.ts');
      const sub = path.join(r.root, 'src', 'billing');
      const all = await runCli(r, ['check', '--format', 'json', '--cwd', sub]);
      assert.deepEqual((JSON.parse(all.stdout) as Report).changes.map((c) => c.path), ['src/app.ts', 'src/billing/log.ts']);
      const staged = await checkJson(r, '--staged');
      assert.deepEqual(staged.report.changes.map((c) => c.path), ['src/billing/log.ts']);
      const base = await checkJson(r, '--base', 'main');
      assert.deepEqual(base.report.changes.map((c) => c.path), ['src/app.ts', 'src/billing/log.ts', 'src/billing/retry.ts']);
      assert.equal(base.report.base.ref, 'main');
    });
  });

  describe('digest', () => {
    const change = async (r: TestRepo) => {
      await r.write('src/billing/retry.ts', joinLines('export function retry() {', '  return 2;', '}', 'export const MAX = 3;'));
      await r.write('src/new.ts', 'export const n = 1;\n');
      await r.rm('src/legacy/old.ts');
    };

    it('is the same for the same content in another clone, and for the same change staged', async () => {
      const a = await repo(kiroFiles());
      const b = await repo(kiroFiles());
      await change(a);
      await change(b);
      const da = (await checkJson(a)).report.digest;
      assert.equal((await checkJson(b)).report.digest, da);
      await a.git('add', '-A');
      assert.equal((await checkJson(a, '--staged')).report.digest, da);
      assert.equal((await checkJson(a)).report.digest, da);
    });

    it('changes with one byte in a changed file or in the spec, not with untouched or ignored files', async () => {
      const r = await repo({ ...kiroFiles(), '.gitignore': 'build/\n' });
      await change(r);
      const d0 = (await checkJson(r)).report.digest;
      await r.write('build/out.js', 'ignored\n');
      await r.write('src/app.ts', joinLines('import { retry } from "./billing/retry";', 'retry();'));
      assert.equal((await checkJson(r)).report.digest, d0);
      await r.write('src/new.ts', 'export const n = 2;\n');
      const d1 = (await checkJson(r)).report.digest;
      assert.notEqual(d1, d0);
      await r.write(`${KIRO}/design.md`, kiroFiles()[`${KIRO}/design.md`]! + ' ');
      const d2 = (await checkJson(r)).report.digest;
      assert.notEqual(d2, d1);
      assert.notEqual(d2, d0);
    });
  });

  describe('other layouts', () => {
    it('spec-kit: task-line paths and plan structure give the scope, stories link tasks', async () => {
      const r = await repo({
        'specs/001-add-task/spec.md': joinLines(
          '# Feature Specification: Add Task',
          '',
          '## User Scenarios & Testing',
          '',
          '### User Story 1 - Add a task (Priority: P1)',
          '',
          'A user adds a task.',
          '',
          '### User Story 2 - List tasks (Priority: P2)',
          '',
          'A user lists tasks.',
          '',
          '## Requirements',
          '',
          '- **FR-001**: System MUST store a task title',
        ),
        'specs/001-add-task/tasks.md': joinLines(
          '# Tasks: Add Task',
          '',
          '## Phase 1: User Story 1',
          '',
          '- [ ] T001 [P] [US1] Create the task model in src/models/task.py',
          '- [ ] T002 [US1] Add the add command in src/cli/add.py',
          '- [ ] T003 [US2] Add the list command in src/cli/list.py',
        ),
        'src/models/task.py': 'class Task: pass\n',
        'src/cli/add.py': 'def add(): pass\n',
        'src/cli/list.py': 'def ls(): pass\n',
        'setup.py': 'setup()\n',
      });
      await r.write('src/models/task.py', 'class Task:\n    title = ""\n');
      await r.write('setup.py', 'setup(name="x")\n');
      const { report } = await checkJson(r);
      assert.equal(report.spec.format, 'speckit');
      assert.deepEqual(report.changes.map((c) => [c.path, c.classification, c.tasks]), [
        ['setup.py', 'out-of-scope', []],
        ['src/models/task.py', 'in-scope', ['T001']],
      ]);
      assert.deepEqual(
        report.traceability.filter((t) => t.tasks.length > 0),
        [{ requirement: 'US1', tasks: ['T001', 'T002'], paths: ['src/models/task.py'] }, { requirement: 'US2', tasks: ['T003'], paths: [] }],
      );
      assert.deepEqual(ofKind(report, 'requirement-uncovered').map((f) => f.requirement), ['US2']);
      assert.deepEqual(kinds(report).filter((k) => !k.startsWith('SG301')), ['SG101 error setup.py:1-1']);
    });

    it('OpenSpec: proposal Impact paths give the scope, tasks link files', async () => {
      const C = 'openspec/changes/add-list';
      const r = await repo({
        [`${C}/proposal.md`]: joinLines('# Add list command', '', '## Why', '', 'Visibility.', '', '## Impact', '', '- Affected code:', '  - `src/cli/index.ts` - register the command', '  - `src/core/list.ts` - new file'),
        [`${C}/tasks.md`]: joinLines('## 1. Implementation', '', '- [ ] 1.1 Add `src/core/list.ts`', '- [ ] 1.2 Register the command in `src/cli/index.ts`'),
        [`${C}/specs/cli-list/spec.md`]: joinLines(
          '## ADDED Requirements',
          '',
          '### Requirement: List changes',
          '',
          'The CLI SHALL list the active changes.',
          '',
          '#### Scenario: Changes exist',
          '',
          '- **WHEN** a user runs `openspec list`',
          '- **THEN** every active change is shown',
        ),
        'src/cli/index.ts': 'export const commands = [];\n',
        'src/other.ts': 'export const other = 1;\n',
      });
      await r.write('src/core/list.ts', 'export function list() { return []; }\n');
      await r.write('src/other.ts', 'export const other = 2;\n');
      const { report } = await checkJson(r);
      assert.equal(report.spec.format, 'openspec');
      assert.equal(report.spec.id, C);
      assert.deepEqual(report.changes.map((c) => [c.path, c.status, c.classification, c.tasks]), [
        ['src/core/list.ts', 'added', 'in-scope', ['1.1']],
        ['src/other.ts', 'modified', 'out-of-scope', []],
      ]);
      assert.deepEqual(report.spec.requirements.map((q) => q.id), ['List changes']);
      assert.deepEqual(kinds(report), ['SG101 error src/other.ts:1-1']);
    });

    it('front matter: scope, out_of_scope and protected globs in a plain spec file', async () => {
      const r = await repo({
        'docs/specs/cache.md': joinLines(
          '---',
          'scope:',
          '  - src/cache/**',
          'out_of_scope:',
          '  - src/cache/vendor/**',
          'protected:',
          '  - src/cache/schema.sql',
          '---',
          '# Cache',
          '',
          '- [ ] 1. Add the LRU in `src/cache/lru.ts`',
        ),
        'src/cache/lru.ts': 'export class Lru {}\n',
        'src/cache/vendor/x.js': 'x\n',
        'src/cache/schema.sql': 'create table t();\n',
        'src/cache/util.ts': 'export const u = 1;\n',
      });
      for (const f of ['src/cache/lru.ts', 'src/cache/vendor/x.js', 'src/cache/schema.sql', 'src/cache/util.ts']) await r.write(f, 'changed\n');
      const { report } = await checkJson(r);
      assert.equal(report.spec.format, 'plain');
      assert.equal(report.spec.id, 'docs/specs/cache.md');
      assert.deepEqual(report.changes.map((c) => [c.path, c.classification, c.tasks]), [
        ['src/cache/lru.ts', 'in-scope', ['1']],
        ['src/cache/schema.sql', 'in-scope', []],
        ['src/cache/util.ts', 'in-scope', []],
        ['src/cache/vendor/x.js', 'excluded', []],
      ]);
      assert.deepEqual(
        report.findings.filter((f) => f.kind !== 'removed-export').map((f) => `${f.rule} ${f.path}`),
        ['SG210 src/cache/schema.sql', 'SG102 src/cache/vendor/x.js', 'SG303 src/cache/schema.sql', 'SG303 src/cache/util.ts'],
      );
    });
  });
    it("front matter: a change that deletes the spec's protected: lines is still judged by them, as the base has them", async () => {
      const spec = joinLines('---', 'scope:', '  - src/**', 'protected:', '  - src/auth/**', '---', '# Retry', '', '- [ ] 1. Add the delay in `src/billing/retry.ts`');
      const r = await repo({ 'docs/specs/retry.md': spec, 'src/auth/jwt.ts': 'export const check = (t: string) => verify(t);\n', 'src/billing/retry.ts': 'export const a = 1;\n' });
      await r.write('docs/specs/retry.md', spec.replace('protected:\n  - src/auth/**\n', ''));
      await r.write('src/auth/jwt.ts', 'export const check = (t: string) => decode(t);\n');
      const { code, report } = await checkJson(r);
      assert.deepEqual(report.spec.scope.protected, []);
      assert.deepEqual([code, report.summary.risk, ofKind(report, 'protected-path').map((f) => [f.path, f.severity, f.message])], [
        1,
        'critical',
        [['src/auth/jwt.ts', 'error', "Protected path (protected by the spec's front matter in the base, which this change edits out, `src/auth/**`): modified file with a high blast radius."]],
      ]);
      // Once the spec without it is in the base, the glob is gone.
      await r.git('commit', '-qm', 'unprotect', '--', 'docs/specs/retry.md');
      assert.deepEqual(ofKind((await checkJson(r)).report, 'protected-path'), []);
    });


  describe('route folders (app/blog/[slug]/)', () => {
    it('links a change to the file a Kiro task names in a route folder and puts it in scope, not its look-alike', async () => {
      const spec = '.kiro/specs/blog';
      const r = await repo({
        [`${spec}/requirements.md`]: joinLines('# Requirements', '', '### Requirement 1: Posts', '', '#### Acceptance Criteria', '', '1. WHEN a post is opened THEN the system SHALL render it'),
        [`${spec}/tasks.md`]: joinLines('# Tasks', '', '- [ ] 1. Render a post in `app/blog/[slug]/page.tsx`', '  - _Requirements: 1.1_'),
        'app/blog/[slug]/page.tsx': 'export default function Page() { return null; }\n',
        'app/blog/s/page.tsx': 'export default function S() { return null; }\n',
      });
      await r.write('app/blog/[slug]/page.tsx', 'export default function Page() { return "post"; }\n');
      await r.write('app/blog/s/page.tsx', 'export default function S() { return "s"; }\n');
      const { code, report } = await checkJson(r);
      assert.equal(code, 1);
      assert.deepEqual(report.spec.tasks.map((t) => [t.id, t.paths]), [['1', ['app/blog/\\[slug\\]/page.tsx']]]);
      assert.deepEqual(report.changes.map((c) => [c.path, c.classification, c.tasks]), [
        ['app/blog/[slug]/page.tsx', 'in-scope', ['1']],
        ['app/blog/s/page.tsx', 'out-of-scope', []],
      ]);
      assert.deepEqual(ofKind(report, 'out-of-scope').map((f) => f.path), ['app/blog/s/page.tsx']);
      assert.deepEqual(report.traceability, [{ requirement: '1', tasks: ['1'], paths: ['app/blog/[slug]/page.tsx'] }]);
    });
  });

  describe('route folders in what the reviewer reads', () => {
    it('names a route glob in findings, REVIEW.md and review.html as the spec wrote the path, while matching it literally', async () => {
      const spec = '.kiro/specs/blog';
      const r = await repo({
        [`${spec}/tasks.md`]: joinLines('# Tasks', '', '- [ ] 1. Post page `app/blog/[slug]/page.tsx`'),
        [`${spec}/design.md`]: joinLines('# Design', '', 'Pages live in `app/(marketing)/`.', '', '## Non-Goals', '', '- `app/(marketing)/legacy/`'),
        'app/(marketing)/about/page.tsx': 'export const a = 1;\n',
        'app/(marketing)/legacy/old.tsx': 'export const o = 1;\n',
      });
      await r.write('app/(marketing)/about/page.tsx', 'export const a = 2;\n');
      await r.write('app/(marketing)/legacy/old.tsx', 'export const o = 2;\n');
      const { report } = await checkJson(r);
      assert.deepEqual(report.spec.scope, { include: ['app/blog/\\[slug\\]/page.tsx', 'app/\\(marketing\\)/**'], exclude: ['app/\\(marketing\\)/legacy/**'], protected: [] });
      const excluded = ofKind(report, 'excluded-path');
      assert.deepEqual(excluded.map((f) => [f.message, f.related]), [
        [`Change excluded by spec \`${spec}\`: its non-goal \`app/(marketing)/legacy/**\` covers this file.`, [{ file: `${spec}/design.md`, line: 7, message: 'exclude glob `app/(marketing)/legacy/**`' }]],
      ]);
      const loose = ofKind(report, 'change-without-task');
      assert.deepEqual(loose.map((f) => [f.path, f.message]), [
        ['app/(marketing)/about/page.tsx', 'No task names this file; it is in scope (`app/(marketing)/**`, from `design.md` line 3) but no task explains the change.'],
      ]);
      const out = path.join(r.root, '.specgate', 'reviews');
      const b = await runCli(r, ['bundle']);
      assert.equal(b.code, 0, b.stderr);
      const folder = b.stdout.trim();
      assert.equal(path.dirname(folder), out);
      const md = await readFile(path.join(folder, 'REVIEW.md'), 'utf8');
      const html = await readFile(path.join(folder, 'review.html'), 'utf8');
      assert.ok(
        md.includes(`- **ERROR** SG102 excluded-path: \`app/(marketing)/legacy/old.tsx\` line 1: Change excluded by spec \`${spec}\`: its non-goal \`app/(marketing)/legacy/**\` covers this file.\n`),
        md,
      );
      assert.ok(html.includes(`Change excluded by spec <code>${spec}</code>: its non-goal <code>app/(marketing)/legacy/**</code> covers this file.`), html);
      assert.ok(!md.includes('\\(') && !html.includes('\\('));
    });
  });

  describe('--staged takes the spec from the index', () => {
    const CACHE_SPEC = joinLines('---', 'scope:', '  - src/cache/**', 'out_of_scope:', '  - src/auth/**', '---', '# Cache');

    it('an unstaged edit to the spec neither widens the scope nor changes the digest', async () => {
      const r = await repo({ 'docs/specs/cache.md': CACHE_SPEC });
      await r.write('src/other.ts', 'x\n');
      await r.git('add', 'src/other.ts');
      await r.write('docs/specs/cache.md', joinLines('---', 'scope:', '  - src/**', '---'));
      const staged = await checkJson(r, '--staged');
      assert.equal(staged.code, 1);
      assert.deepEqual(staged.report.spec.scope, { include: ['src/cache/**'], exclude: ['src/auth/**'], protected: [] });
      assert.deepEqual(staged.report.changes.map((c) => [c.path, c.classification]), [['src/other.ts', 'out-of-scope']]);
      assert.deepEqual(kinds(staged.report), ['SG101 error src/other.ts:1-1']);
      // The working tree's spec is what a plain check reads.
      assert.deepEqual((await checkJson(r)).report.spec.scope.include, ['src/**']);

      // The same staged content with the spec edit stashed, or the spec file gone from the
      // work tree: the same report and digest.
      await r.git('stash', '-q', '--keep-index');
      const clean = await checkJson(r, '--staged');
      await r.rm('docs/specs/cache.md');
      const gone = await checkJson(r, '--staged');
      for (const other of [clean, gone]) {
        assert.equal(other.report.digest, staged.report.digest);
        assert.deepEqual(other.report.spec, staged.report.spec);
        assert.deepEqual(other.report.findings, staged.report.findings);
      }
      // A staged edit of the spec is what the commit takes: it counts, and moves the digest.
      await r.write('docs/specs/cache.md', joinLines('---', 'scope:', '  - src/**', '---'));
      await r.git('add', 'docs/specs/cache.md');
      const widened = await checkJson(r, '--staged');
      assert.equal(widened.code, 0);
      assert.deepEqual(widened.report.changes.map((c) => [c.path, c.classification]), [
        ['docs/specs/cache.md', 'spec'],
        ['src/other.ts', 'in-scope'],
      ]);
      assert.notEqual(widened.report.digest, staged.report.digest);
    });

    it('leaves out spec files staged as deleted or not staged yet, and specs that are only in the work tree', async () => {
      const r = await repo(kiroFiles());
      await r.git('rm', '-q', '--cached', `${KIRO}/design.md`);
      await r.write(`${KIRO}/notes.md`, '# Notes\n\nAlso `src/legacy/`.\n');
      await r.write('docs/draft.md', joinLines('---', 'scope:', '  - src/**', '---'));
      await r.write('src/legacy/old.ts', 'export const old = 2;\n');
      await r.git('add', 'src/legacy/old.ts');
      const { report } = await checkJson(r, '--staged');
      assert.equal(report.spec.id, KIRO);
      assert.deepEqual(report.spec.files, [`${KIRO}/requirements.md`, `${KIRO}/tasks.md`]);
      // design.md's Non-Goals (src/legacy/) are not in the spec the commit would take.
      assert.deepEqual(report.spec.scope.exclude, []);
      assert.deepEqual(report.changes.map((c) => [c.path, c.status, c.classification]), [
        [`${KIRO}/design.md`, 'deleted', 'out-of-scope'],
        ['src/legacy/old.ts', 'modified', 'out-of-scope'],
      ]);
      // The work tree has both specs, and the Kiro spec with design.md and notes.md.
      assert.match((await runCli(r, ['check'])).stderr, /^specgate: no spec given and 2 specs found: /);
      const worktree = await checkJson(r, '--spec', 'billing-retry');
      assert.deepEqual(worktree.report.spec.files, [`${KIRO}/design.md`, `${KIRO}/notes.md`, `${KIRO}/requirements.md`, `${KIRO}/tasks.md`]);
      assert.equal(worktree.report.changes.find((c) => c.path === 'src/legacy/old.ts')?.classification, 'excluded');
    });
  });

  describe('SpecGate\'s own records', () => {
    it('a bundle in .specgate/reviews/ is not a second spec for check, verify or the staged gate', async () => {
      const r = await repo({ 'docs/specs/cache.md': joinLines('---', 'scope:', '  - src/cache/**', '---', '# Cache') });
      await r.write('src/cache/a.ts', 'a\n');
      const bundle = await runCli(r, ['bundle']);
      assert.equal(bundle.code, 0, bundle.stderr);
      assert.ok(bundle.stdout.trim().startsWith(path.join(r.root, '.specgate', 'reviews', 'cache-')));
      const specs = await runCli(r, ['specs', '--json']);
      assert.deepEqual((JSON.parse(specs.stdout) as { id: string }[]).map((s) => s.id), ['docs/specs/cache.md']);
      const check = await checkJson(r);
      assert.equal(check.code, 0);
      assert.deepEqual(check.report.changes.map((c) => c.path), ['src/cache/a.ts']);
      const verify = await runCli(r, ['verify']);
      assert.equal(verify.code, 1);
      assert.match(verify.stderr, /^specgate: not approved: no approval for sha256:[0-9a-f]{12}… \(spec docs\/specs\/cache\.md\)/);
      // Staged with the bundle (as `git add -A` does), for the pre-commit hook's verify --staged.
      await r.git('add', '-A');
      const gate = await runCli(r, ['verify', '--staged']);
      assert.equal(gate.code, 1);
      assert.match(gate.stderr, /^specgate: not approved: no approval for .* \(spec docs\/specs\/cache\.md\)/);
    });
  });

  describe('formats and exit codes', () => {
    it('prints text with the risk first, and SARIF that parses', async () => {
      const r = await repo(kiroFiles());
      await r.write('src/app.ts', 'changed\n');
      const text = await runCli(r, ['check']);
      assert.equal(text.code, 1);
      assert.equal(text.stdout.split('\n')[0], 'Risk:      HIGH');
      assert.ok(!text.stdout.includes('\x1b['), 'no colour when stdout is not a TTY');
      const sarif = await runCli(r, ['check', '--format', 'sarif']);
      assert.equal(sarif.code, 1);
      const log = JSON.parse(sarif.stdout);
      assert.equal(log.version, '2.1.0');
      assert.deepEqual(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId), ['SG101', 'SG301', 'SG301']);
      assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${r.root}/`);
    });

    const usage = async (r: TestRepo, args: string[], pattern: RegExp) => {
      const res = await runCli(r, ['check', ...args]);
      assert.equal(res.code, 2, res.stderr);
      assert.equal(res.stdout, '');
      const lines = res.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, /^specgate: /);
      assert.match(lines[0]!, pattern);
      assert.ok(!res.stderr.includes('    at '), 'no stack trace');
    };

    it('exits 2 with one line for a bad --spec, --base, config, format or folder', async () => {
      const r = await repo({ ...kiroFiles(), '.kiro/specs/other/tasks.md': '- [ ] 1. x\n' });
      await usage(r, ['--spec', 'nope'], /no spec nope/);
      await usage(r, [], /pass --spec/);
      await usage(r, ['--spec', 'billing-retry', '--base', 'no-such-branch'], /unknown revision 'no-such-branch'/);
      await usage(r, ['--spec', 'billing-retry', '--base', '--output=x'], /--output=x/);
      assert.equal(existsSync(path.join(r.root, 'x')), false);
      await usage(r, ['--spec', 'billing-retry', '--base', 'main', '--staged'], /either --base or --staged/);
      await usage(r, ['--format', 'xml'], /xml/);
      await usage(r, ['--fail-on', 'info'], /info/);
      // Commander's "(Did you mean …?)" comes on the same line, not a second one.
      await usage(r, ['--formt', 'json'], /^specgate: unknown option '--formt' \(did you mean --format\?\)$/);
      const typo = await runCli(r, ['chek']);
      assert.deepEqual([typo.code, typo.stdout, typo.stderr], [2, '', "specgate: unknown command 'chek' (did you mean check?)\n"]);
      await usage(r, ['--cwd', path.join(r.root, 'missing')], /folder not found/);
      await r.write('.specgate/config.yml', 'thresholds:\n  massRewrite: 7\n');
      await usage(r, ['--spec', 'billing-retry'], /^specgate: \.specgate\/config\.yml: 'thresholds\.massRewrite' must be a number between 0 and 1$/);
      await r.write('.specgate/config.yml', 'bogus: 1\n');
      await usage(r, ['--spec', 'billing-retry'], /unknown key 'bogus'/);
    });

    it('exits 2 with one line, writing nothing, for an empty or blank path, spec or revision option', async () => {
      const r = await repo(kiroFiles());
      await r.write('src/app.ts', 'changed\n');
      const status = await r.git('status', '--porcelain', '--untracked-files=all');
      const cases: [string[], RegExp][] = [
        [['bundle', '--out', ''], /^specgate: --out is empty; pass a folder to write the bundle under, or leave --out out for \.specgate\/reviews\/$/],
        [['bundle', '--out', '  '], /^specgate: --out is empty; /],
        [['bundle', '--cwd', ''], /^specgate: --cwd is empty; pass a folder inside the repository, or leave --cwd out for the current folder$/],
        [['specs', '--cwd', ''], /^specgate: --cwd is empty; /],
        [['hook', 'install', '--cwd', ' '], /^specgate: --cwd is empty; /],
        [['check', '--spec', ''], /^specgate: --spec is empty; pass a spec id \(specgate specs lists them\)$/],
        [['verify', '--base', ''], /^specgate: --base is empty; pass a branch, tag or commit$/],
        [['approve', ''], /^specgate: the bundle path is empty; pass the bundle folder or its packet\.json$/],
        [['approve', 'x', '--key', ''], /^specgate: --key is empty; pass your SSH private key file, or leave --key out for git's user\.signingkey$/],
        // A bundle in the work tree would be part of the change (and its spec copy a spec).
        [['bundle', '--out', 'review-out'], /^specgate: will not write the review bundle in review-out\/ of the repository: git does not ignore it, .*; leave --out out to write it in \.specgate\/reviews\/, or pass a folder outside the repository or one git ignores$/],
        [['bundle', '--out', '.specgate/reviews/team'], /^specgate: will not write the review bundle in \.specgate\/reviews\/team\/ of the repository: /],
        [['bundle', '--cwd', 'src', '--out', 'x'], /^specgate: will not write the review bundle in src\/x\/ of the repository: /],
      ];
      if (process.platform === 'linux' && existsSync('/proc/self')) {
        cases.push([['bundle', '--out', '/proc/specgate-nope'], /^specgate: cannot write the review bundle under \/proc\/specgate-nope: .*; pass --out with a writable folder$/]);
      }
      for (const [args, pattern] of cases) {
        const res = await runCli(r, args);
        assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
        assert.equal(res.stdout, '');
        assert.equal(res.stderr.trimEnd().split('\n').length, 1, res.stderr);
        assert.match(res.stderr.trimEnd(), pattern);
      }
      assert.equal(await r.git('status', '--porcelain', '--untracked-files=all'), status);
      assert.ok(!existsSync(path.join(r.root, '.git', 'hooks', 'pre-commit')));
    });

    it('analyses a repository with no commit yet against the empty tree', async () => {
      const r = await makeRepo();
      repos.push(r);
      await r.write('docs/spec.md', joinLines('---', 'scope:', '  - src/**', '---', '# Spec'));
      await r.write('src/a.ts', 'export const a = 1;\n');
      await r.write('notes.txt', 'n\n');
      const { code, report } = await checkJson(r);
      assert.equal(code, 1);
      assert.deepEqual(report.base, { ref: 'HEAD', commit: null });
      assert.deepEqual(report.changes.map((c) => [c.path, c.status, c.classification]), [
        ['docs/spec.md', 'added', 'spec'],
        ['notes.txt', 'added', 'out-of-scope'],
        ['src/a.ts', 'added', 'in-scope'],
      ]);
    });

    it('picks the spec the branch names when there are several', async () => {
      const r = await repo({ ...kiroFiles(), '.kiro/specs/other/tasks.md': '- [ ] 1. x in `other/a.ts`\n' });
      await r.git('checkout', '-q', '-b', 'feat/billing-retry-v2');
      const { report } = await checkJson(r);
      assert.equal(report.spec.id, KIRO);
    });
  });
});
