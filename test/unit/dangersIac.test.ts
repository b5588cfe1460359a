// Infrastructure and hook configs read by core/dangers.ts beyond the first readers: Terraform in
// JSON syntax (`*.tf.json`), pre-commit's `.pre-commit-config.yaml`, and what is (and is not) a
// CloudFormation template.
import { strict as assert } from 'node:assert';
import { readsContent } from '../../src/core/dangers';
import { edit, found, lines } from './helpers/dangerChange';

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

    it('quiet: keys re-ordered or re-indented, a value unchanged, a text that does not parse', () => {
      const shuffled = JSON.stringify({ resource: { aws_s3_bucket: DB.resource.aws_s3_bucket, aws_db_instance: { primary: { lifecycle: { prevent_destroy: true }, skip_final_snapshot: false, deletion_protection: true, engine: 'postgres' } } } }, null, 4);
      assert.deepEqual(found(edit('infra/main.tf.json', db, shuffled)), {});
      assert.deepEqual(found(edit('infra/main.tf.json', db, db.replace('"postgres"', '"postgres",'))), {});
      assert.deepEqual(found(edit('infra/main.tf.json', '{ not json', db)), {});
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
