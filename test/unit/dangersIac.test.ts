// Infrastructure and hook configs read by core/dangers.ts beyond the first readers: Terraform in
// JSON syntax (`*.tf.json`), pre-commit's `.pre-commit-config.yaml`, and what is (and is not) a
// CloudFormation template.
import { strict as assert } from 'node:assert';
import { readsContent } from '../../src/core/dangers';
import type { Report } from '../../src/core/model';
import { analyzeRepository } from '../../src/node/engine';
import { edit, found, lines } from './helpers/dangerChange';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';

describe('dangers: infrastructure and hook configs', () => {
  describe('Terraform in JSON syntax (`*.tf.json`)', () => {
    const DB = {
      resource: {
        aws_db_instance: { primary: { engine: 'postgres', deletion_protection: true, skip_final_snapshot: false, lifecycle: { prevent_destroy: true } } },
        aws_s3_bucket: { logs: { bucket: 'logs' } },
      },
    };
    const text = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
    const db = text(DB);
    const destroyed = 'Terraform destroys it (a rename or a move needs a `moved` block)';

    it('is read', () => {
      assert.ok(readsContent('infra/main.tf.json') && readsContent('main.tofu.json'));
    });

    it('a resource removed is destroyed (an error at its line), as in HCL; several at once are one finding', () => {
      const now = text({ resource: { aws_s3_bucket: DB.resource.aws_s3_bucket } });
      assert.deepEqual(found(edit('infra/main.tf.json', db, now)), { 'infra/main.tf.json': [`old:4 removes the resource \`aws_db_instance.primary\`: ${destroyed}`] });
      assert.deepEqual(found(edit('infra/main.tf.json', db, undefined)), {
        'infra/main.tf.json': ['old:4 removes `aws_db_instance.primary`, `aws_s3_bucket.logs`: Terraform destroys them (a rename or a move needs a `moved` block)'],
      });
      const mod = text({ module: { web: { source: './modules/web' } } });
      assert.deepEqual(found(edit('main.tf.json', mod, text({}))), { 'main.tf.json': [`old:3 removes the module \`module.web\`: ${destroyed}`] });
    });

    it('moved between files of the module (JSON and HCL alike), or by a `moved` block: quiet', () => {
      const now = text({ resource: { aws_s3_bucket: DB.resource.aws_s3_bucket } });
      const hcl = lines('resource "aws_db_instance" "primary" {', '  engine = "postgres"', '  deletion_protection = true', '  skip_final_snapshot = false', '  lifecycle {', '    prevent_destroy = true', '  }', '}');
      assert.deepEqual(found(edit('infra/main.tf.json', db, now), edit('infra/db.tf', undefined, hcl)), {});
      assert.deepEqual(found(edit('infra/db.tf', hcl, undefined), edit('infra/main.tf.json', now, db)), {});
      // In another folder (another module): destroyed here.
      assert.deepEqual(found(edit('infra/main.tf.json', db, now), edit('other/db.tf', undefined, hcl)), { 'infra/main.tf.json': [`old:4 removes the resource \`aws_db_instance.primary\`: ${destroyed}`] });
      const renamed = text({ resource: { aws_db_instance: { main: DB.resource.aws_db_instance.primary }, aws_s3_bucket: DB.resource.aws_s3_bucket }, moved: [{ from: 'aws_db_instance.primary', to: 'aws_db_instance.main' }] });
      assert.deepEqual(found(edit('infra/main.tf.json', db, renamed)), {});
      const forgotten = text({ resource: { aws_s3_bucket: DB.resource.aws_s3_bucket }, removed: { from: 'aws_db_instance.primary', lifecycle: { destroy: false } } });
      assert.deepEqual(found(edit('infra/main.tf.json', db, forgotten)), {});
    });

    it('prevent_destroy turned off, and the data-loss switches turned on, at their lines', () => {
      const now = db.replace('"prevent_destroy": true', '"prevent_destroy": false').replace('"deletion_protection": true', '"deletion_protection": false').replace('"skip_final_snapshot": false', '"skip_final_snapshot": true').replace('"bucket": "logs"', '"bucket": "logs",\n        "force_destroy": true');
      assert.deepEqual(found(edit('infra/main.tf.json', db, now)), {
        'infra/main.tf.json': [
          'old:9 removes `prevent_destroy = true` from `aws_db_instance.primary`',
          'new:6 sets `deletion_protection = false` on `aws_db_instance.primary`: a destroy or a replacement of it is no longer refused',
          'new:7 sets `skip_final_snapshot = true` on `aws_db_instance.primary`: destroying or replacing it keeps no final snapshot of its data',
          'new:16 sets `force_destroy = true` on `aws_s3_bucket.logs`: destroying it deletes every object in it',
        ],
      });
    });

    it('a protecting value taken away or made an interpolation; a new resource\'s switch a warning; `count = 0`', () => {
      assert.deepEqual(found(edit('infra/main.tf.json', db, db.replace('"deletion_protection": true', '"deletion_protection": "${var.protect}"'))), {
        'infra/main.tf.json': ['old:6 (warning) replaces `deletion_protection = true` on `aws_db_instance.primary` with `var.protect`: where that is `false`, a destroy or a replacement of it is no longer refused'],
      });
      assert.deepEqual(found(edit('infra/main.tf.json', db, db.replace('"deletion_protection": true,\n', ''))), {
        'infra/main.tf.json': ['old:6 removes `deletion_protection = true` from `aws_db_instance.primary`: a destroy or a replacement of it is no longer refused'],
      });
      const scratch = text({ resource: { aws_s3_bucket: { scratch: { force_destroy: true } } } });
      assert.deepEqual(found(edit('dev/main.tf.json', undefined, scratch)), { 'dev/main.tf.json': ['new:5 (warning) sets `force_destroy = true` on `aws_s3_bucket.scratch`: destroying it deletes every object in it'] });
      assert.deepEqual(found(edit('infra/main.tf.json', db, db.replace('"bucket": "logs"', '"bucket": "logs",\n        "count": 0'))), {
        'infra/main.tf.json': ['new:16 sets `count = 0` on `aws_s3_bucket.logs`: Terraform destroys every instance of it'],
      });
    });

    it('`count` replaced by `for_each` in one resource: every instance readdressed', () => {
      const counted = text({ resource: { aws_instance: { web: { count: 2, ami: 'ami-1' } } } });
      assert.deepEqual(found(edit('main.tf.json', counted, counted.replace('"count": 2', '"for_each": "${toset(var.names)}"'))), {
        'main.tf.json': ['new:5 switches `aws_instance.web` from `count` to `for_each`: every instance gets a new address, destroyed and created again unless `moved` blocks map them'],
      });
    });

    it('a file renamed across syntaxes is read by each side\'s reader: the addresses compared, not every one destroyed', () => {
      const hcl = lines('resource "aws_db_instance" "primary" {', '  engine = "postgres"', '}', 'resource "aws_s3_bucket" "logs" {', '  bucket = "logs"', '}');
      const toJson = (old: string, now: string) => edit('infra/main.tf.json', old, now, { status: 'renamed', oldPath: 'infra/main.tf' });
      const toHcl = (old: string, now: string) => edit('infra/main.tf', old, now, { status: 'renamed', oldPath: 'infra/main.tf.json' });
      const plain = text({ resource: { aws_db_instance: { primary: { engine: 'postgres' } }, aws_s3_bucket: DB.resource.aws_s3_bucket } });
      assert.deepEqual(found(toJson(hcl, plain)), {});
      assert.deepEqual(found(toHcl(plain, hcl)), {});
      assert.deepEqual(found(toJson(hcl, text({ resource: { aws_s3_bucket: DB.resource.aws_s3_bucket } }))), { 'infra/main.tf.json': [`old:1 removes the resource \`aws_db_instance.primary\`: ${destroyed}`] });
      assert.deepEqual(found(toHcl(plain, hcl.split('resource "aws_s3_bucket"')[0]!)), { 'infra/main.tf': [`old:9 removes the resource \`aws_s3_bucket.logs\`: ${destroyed}`] });
      // A switch the old syntax already had is not turned on by the new one; one it did not have is (an error: the resource exists).
      const forced = text({ resource: { aws_db_instance: { primary: { engine: 'postgres' } }, aws_s3_bucket: { logs: { bucket: 'logs', force_destroy: true } } } });
      assert.deepEqual(found(toJson(hcl.replace('  bucket = "logs"', '  bucket = "logs"\n  force_destroy = true'), forced)), {});
      assert.deepEqual(found(toJson(hcl, forced)), { 'infra/main.tf.json': ['new:11 sets `force_destroy = true` on `aws_s3_bucket.logs`: destroying it deletes every object in it'] });
      // Renamed out of Terraform's names (the change set carries such a side's text only when the new name is read too): all destroyed.
      assert.deepEqual(found(edit('infra/main.tf.off', hcl, hcl, { status: 'renamed', oldPath: 'infra/main.tf' })), {
        'infra/main.tf.off': ['old:1 removes `aws_db_instance.primary`, `aws_s3_bucket.logs`: Terraform destroys them (a rename or a move needs a `moved` block)'],
      });
    });

    it('quiet: keys re-ordered or re-indented, a value unchanged, a text that does not parse', () => {
      const shuffled = JSON.stringify({ resource: { aws_s3_bucket: DB.resource.aws_s3_bucket, aws_db_instance: { primary: { lifecycle: { prevent_destroy: true }, skip_final_snapshot: false, deletion_protection: true, engine: 'postgres' } } } }, null, 4);
      assert.deepEqual(found(edit('infra/main.tf.json', db, shuffled)), {});
      assert.deepEqual(found(edit('infra/main.tf.json', db, db.replace('"postgres"', '"postgres",'))), {});
      assert.deepEqual(found(edit('infra/main.tf.json', '{ not json', db)), {});
    });
  });

  describe('Terraform across files and syntaxes, in a git repository', function () {
    this.timeout(60_000);
    isolateGitConfig();
    let repo: TestRepo;
    afterEach(() => repo?.cleanup());
    // A bucket whose tags map is written as JSON writes it (HCL allows `"key": value,` in an
    // object), so that git pairs the conversion as a rename: most of its lines are alike.
    const TAGS = Array.from({ length: 12 }, (_, i) => `          "Tag${i}": "value-${i}",`).concat(['          "Owner": "platform"']);
    const DB_HCL = lines('resource "aws_db_instance" "primary" {', '  engine = "postgres"', '}');
    const BUCKET_HCL = lines('resource "aws_s3_bucket" "logs" {', '  bucket = "logs"', '        tags = {', ...TAGS, '        }', '}');
    const HCL = BUCKET_HCL + DB_HCL;
    const JSON_BUCKET = ['    "aws_s3_bucket": {', '      "logs": {', '        "bucket": "logs",', '        "tags": {', ...TAGS, '        }', '      }', '    }'];
    const JSON_DB = ['    "aws_db_instance": {', '      "primary": {', '        "engine": "postgres"', '      }', '    }'];
    const tfJsonText = (...blocks: string[][]) => lines('{', '  "resource": {', ...blocks.map((b, i) => (i < blocks.length - 1 ? [...b.slice(0, -1), `${b[b.length - 1]},`] : b)).flat(), '  }', '}');
    const JSONT = tfJsonText(JSON_BUCKET, JSON_DB);
    const SPEC = lines('---', 'scope: ["infra/**"]', '---', '# Infra', '', '## Tasks', '- [ ] 1. Rework `infra/main.tf`');
    /** The change's files as git and SpecGate paired them, and SG210's findings. */
    const look = async () => {
      const { report, changeSet } = await analyzeRepository({ cwd: repo.root });
      return {
        changes: changeSet.changes.map((c) => `${c.status} ${c.oldPath ? `${c.oldPath} -> ` : ''}${c.path}`).sort(),
        sg210: (report as Report).findings.filter((f) => f.rule === 'SG210').map((f) => `${f.severity} ${f.path}:${f.startLine} ${f.message}`),
      };
    };
    const renamed = (_from: string, to: string) => `Protected path (Terraform, \`**/*.${to.endsWith('.json') ? 'tf.json' : 'tf'}\`): renamed file with a high blast radius`;

    it('`main.tf` converted to `main.tf.json` (git pairs them as a rename) keeps its resources: no destroy; nor the reverse', async () => {
      JSON.parse(JSONT);
      repo = await makeRepo({ 'docs/spec.md': SPEC, 'infra/main.tf': HCL });
      await repo.git('mv', 'infra/main.tf', 'infra/main.tf.json');
      await repo.write('infra/main.tf.json', JSONT);
      assert.deepEqual(await look(), {
        changes: ['renamed infra/main.tf -> infra/main.tf.json'],
        sg210: [`warning infra/main.tf.json:1 ${renamed('infra/main.tf', 'infra/main.tf.json')}. Named by task 1.`],
      });
      await repo.commit('to JSON');
      await repo.git('mv', 'infra/main.tf.json', 'infra/main.tf');
      await repo.write('infra/main.tf', HCL);
      assert.deepEqual(await look(), {
        changes: ['renamed infra/main.tf.json -> infra/main.tf'],
        sg210: [`warning infra/main.tf:1 ${renamed('infra/main.tf.json', 'infra/main.tf')}. Named by task 1.`],
      });
    });

    it('a conversion that drops a resource destroys it, either way', async () => {
      repo = await makeRepo({ 'docs/spec.md': SPEC, 'infra/main.tf': HCL });
      await repo.git('mv', 'infra/main.tf', 'infra/main.tf.json');
      await repo.write('infra/main.tf.json', tfJsonText(JSON_BUCKET));
      const stays = 'Task 1 names the file, but what the change does in it stays an error.';
      assert.deepEqual(await look(), {
        changes: ['renamed infra/main.tf -> infra/main.tf.json'],
        sg210: [`error infra/main.tf.json:1 ${renamed('infra/main.tf', 'infra/main.tf.json')}. It removes the resource \`aws_db_instance.primary\`: Terraform destroys it (a rename or a move needs a \`moved\` block) (old line 19). ${stays}`],
      });
      await repo.write('infra/main.tf.json', JSONT);
      await repo.commit('to JSON');
      await repo.git('mv', 'infra/main.tf.json', 'infra/main.tf');
      await repo.write('infra/main.tf', BUCKET_HCL);
      assert.deepEqual(await look(), {
        changes: ['renamed infra/main.tf.json -> infra/main.tf'],
        sg210: [`error infra/main.tf:1 ${renamed('infra/main.tf.json', 'infra/main.tf')}. It removes the resource \`aws_db_instance.primary\`: Terraform destroys it (a rename or a move needs a \`moved\` block) (old line 24). ${stays}`],
      });
    });

    it('a `.tf` file split into two (git pairs one as a rename), or a resource moved between files of the module: no destroy; one dropped in the split is', async () => {
      repo = await makeRepo({ 'docs/spec.md': SPEC, 'infra/main.tf': HCL, 'infra/outputs.tf': lines('output "db" {', '  value = aws_db_instance.primary.id', '}') });
      await repo.rm('infra/main.tf');
      await repo.write('infra/storage.tf', BUCKET_HCL);
      await repo.write('infra/db.tf', DB_HCL);
      let r = await look();
      assert.deepEqual(r.changes, ['added infra/db.tf', 'renamed infra/main.tf -> infra/storage.tf']);
      assert.ok(r.sg210.every((f) => !f.includes('destroys')), r.sg210.join('\n'));
      await repo.git('add', '-A');
      await repo.commit('split');
      // Moved from one file of the module to another, both edited.
      await repo.write('infra/db.tf', '');
      await repo.write('infra/outputs.tf', lines('output "db" {', '  value = aws_db_instance.primary.id', '}') + DB_HCL);
      r = await look();
      assert.ok(r.sg210.every((f) => !f.includes('destroys')), r.sg210.join('\n'));
      // Dropped: named, in the file that held it.
      await repo.write('infra/outputs.tf', lines('output "db" {', '  value = "gone"', '}'));
      r = await look();
      assert.deepEqual(r.sg210.filter((f) => f.includes('destroys')).map((f) => f.replace(/ with a high blast radius.*?It/, ' … It')), [
        'error infra/db.tf:1 Protected path (Terraform, `**/*.tf`): modified file … It removes the resource `aws_db_instance.primary`: Terraform destroys it (a rename or a move needs a `moved` block) (old line 1).',
      ]);
    });
  });

  describe('pre-commit hooks (`.pre-commit-config.yaml`)', () => {
    const CONFIG = lines(
      'default_stages: [pre-commit]',
      'fail_fast: false',
      'repos:',
      '  - repo: https://github.com/pre-commit/pre-commit-hooks',
      '    rev: v4.6.0',
      '    hooks:',
      '      - id: check-yaml',
      '      - id: end-of-file-fixer',
      '  - repo: https://github.com/PyCQA/flake8',
      '    rev: 7.0.0',
      '    hooks:',
      '      - id: flake8',
      '        args: [--max-line-length=100]',
      '  - repo: local',
      '    hooks:',
      '      - id: eslint',
      '        name: eslint',
      '        entry: npx eslint --max-warnings 0',
      '        language: system',
      '        files: \\.[jt]sx?$',
      '        exclude: ^src/generated/',
      '      - id: typecheck',
      '        entry: npx tsc --noEmit',
      '        language: system',
      '        pass_filenames: false',
    );
    const P = '.pre-commit-config.yaml';

    it('a hook taken out, or a whole repo block: warnings', () => {
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('      - id: typecheck\n        entry: npx tsc --noEmit\n        language: system\n        pass_filenames: false\n', ''))), {
        [P]: ['old:22 (warning) takes out the pre-commit hook `typecheck` (`local`): the check it ran no longer runs before a commit'],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace(/  - repo: https:\/\/github.com\/pre-commit\/pre-commit-hooks\n(?:    .*\n)+/, ''))), {
        [P]: ['old:4 (warning) takes out the pre-commit repo `https://github.com/pre-commit/pre-commit-hooks` and its hooks `check-yaml`, `end-of-file-fixer`: the checks they ran no longer run before a commit'],
      });
    });

    it('an entry that always passes, arguments that pass whatever the tool finds, stages emptied: warnings', () => {
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('entry: npx tsc --noEmit', 'entry: "true"'))), {
        [P]: ['new:23 (warning) makes the pre-commit hook `typecheck` pass whatever it is given (`entry: true`): the check no longer runs'],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('entry: npx tsc --noEmit', "entry: echo skipped"))), {
        [P]: ['new:23 (warning) makes the pre-commit hook `typecheck` pass whatever it is given (`entry: echo skipped`): the check no longer runs'],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('args: [--max-line-length=100]', 'args: [--max-line-length=100, --exit-zero]'))), {
        [P]: ['new:13 (warning) lets the pre-commit hook `flake8` pass whatever it finds (`--exit-zero` in its `args`)'],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('entry: npx eslint --max-warnings 0', "entry: bash -c 'npx eslint . || true'"))), {
        [P]: ['new:18 (warning) lets the pre-commit hook `eslint` pass whatever it finds (`|| true` in its `entry`)'],
      });
      const block = CONFIG.replace('        args: [--max-line-length=100]\n', '        args:\n          - --max-line-length=100\n          - --exit-zero\n        stages: []\n');
      assert.deepEqual(found(edit(P, CONFIG, block)), {
        [P]: [
          'new:13 (warning) lets the pre-commit hook `flake8` pass whatever it finds (`--exit-zero` in its `args`)',
          'new:16 (warning) takes the pre-commit hook `flake8` out of every stage (`stages: []`): it no longer runs on a commit',
        ],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('        pass_filenames: false\n', '        pass_filenames: false\n        stages: [manual]\n'))), {
        [P]: ['new:26 (warning) takes the pre-commit hook `typecheck` out of every stage (`stages: [manual]`): it no longer runs on a commit'],
      });
    });

    it('files or exclude narrowed to leave out the source tree: a warning; a generated folder left out: quiet', () => {
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('exclude: ^src/generated/', 'exclude: ^(src|lib)/'))), {
        [P]: ['new:21 (warning) narrows the files the pre-commit hook `eslint` checks (`exclude: ^(src|lib)/`): it no longer checks `src/`, `lib/`'],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('        args: [--max-line-length=100]\n', '        args: [--max-line-length=100]\n        files: ^docs/\n'))), {
        [P]: ['new:14 (warning) narrows the files the pre-commit hook `flake8` checks (`files: ^docs/`): it no longer checks the files at the top of the repository, `src/`, `lib/`, `app/` and 3 more'],
      });
      const verbose = CONFIG.replace('repos:\n', 'exclude: |\n  (?x)^(\n    src/|\n    vendor/\n  )\nrepos:\n');
      assert.deepEqual(found(edit(P, CONFIG, verbose)), {
        [P]: ['new:3 (warning) narrows the files every pre-commit hook checks (`exclude: (?x)^( src/| vendor/ )`): it no longer checks `src/`'],
      });
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('exclude: ^src/generated/', 'exclude: ^(src/generated|vendor|docs)/'))), {});
      assert.deepEqual(found(edit(P, CONFIG, CONFIG.replace('repos:\n', 'exclude: ^(dist|node_modules)/\nrepos:\n'))), {});
    });

    it("a hook that runs SpecGate's gate, taken out: the gate's own finding, not a second one", () => {
      const gated = CONFIG.replace('      - id: typecheck\n', '      - id: specgate\n        entry: npx --no-install specgate verify --staged\n        language: system\n      - id: typecheck\n');
      const out = found(edit(P, gated, CONFIG))[P] ?? [];
      assert.equal(out.length, 1);
      assert.match(out[0]!, /^old:23 takes out a line that runs SpecGate's gate/);
    });

    it('quiet: fail_fast and default_stages changed, a rev bumped, hooks re-ordered, a hook added, a repo moved to a fork with the same hooks', () => {
      const edited = CONFIG.replace('default_stages: [pre-commit]', 'default_stages: [pre-push]').replace('fail_fast: false', 'fail_fast: true').replace('rev: 7.0.0', 'rev: 7.1.0').replace('      - id: check-yaml\n      - id: end-of-file-fixer\n', '      - id: end-of-file-fixer\n      - id: check-yaml\n      - id: check-json\n').replace('PyCQA/flake8', 'someone/flake8-fork');
      assert.deepEqual(found(edit(P, CONFIG, edited)), {});
    });
  });

  describe('CloudFormation is a template shape, not a `Resources:` key', () => {
    it('a docs config (`mkdocs.yml`) with a `Resources:` section and `Type: AWS::…` nested in its entries is quiet', () => {
      const mkdocs = lines(
        'site_name: Platform docs',
        'nav:',
        '  - Home: index.md',
        'Resources:',
        '  Guides:',
        '    links:',
        '      Type: AWS::S3::Bucket',
        '    title: Storage guides',
        '  Examples:',
        '    - Type: AWS::SQS::Queue',
        '      page: queues.md',
        '  Glossary:',
        '    Type: AWS::Glossary',
      );
      assert.deepEqual(found(edit('mkdocs.yml', mkdocs, lines('site_name: Platform docs', 'nav:', '  - Home: index.md'))), {});
      assert.deepEqual(found(edit('docs/config.yml', mkdocs, lines('site_name: Platform docs'))), {});
    });

    it('a real template keeps its findings: a resource whose own `Type:` is AWS::… or Custom::…, after `Metadata:` too', () => {
      const t = lines('AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Fn:', '    Metadata:', '      BuildMethod: go1.x', '    Type: AWS::Serverless::Function', '  Seed:', '    Type: Custom::Seeder', '  Keep:', '    Type: AWS::SQS::Queue');
      assert.deepEqual(found(edit('template.yaml', t, lines('AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Keep:', '    Type: AWS::SQS::Queue'))), {
        'template.yaml': ['old:3 removes the resource `Fn` (`AWS::Serverless::Function`): CloudFormation deletes it', 'old:7 removes the resource `Seed` (`Custom::Seeder`): CloudFormation deletes it'],
      });
    });
  });
});
