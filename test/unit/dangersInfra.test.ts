// Data-loss switches (core/dangers.ts): the settings that make a later destroy or replacement
// lose data, turned on (`force_destroy = true`, `RemovalPolicy.DESTROY`, reclaim `Delete`), and
// the protecting ones taken away (`deletion_protection = true`, `UpdateReplacePolicy: Retain`,
// Pulumi's `protect`). An error on a resource the base has, a warning on a new one; quiet when
// only moved, re-indented, commented or turned off.
import { strict as assert } from 'node:assert';
import { readsContent } from '../../src/core/dangers';
import { edit, found, lines } from './helpers/dangerChange';
import { fileName } from '../../bench/synthRepo';

const REFUSED = 'a destroy or a replacement of it is no longer refused';

describe('data-loss switches', () => {
  describe('Terraform', () => {
    const TF = lines('resource "aws_s3_bucket" "logs" {', '  bucket = "logs"', '}', 'resource "aws_db_instance" "db" {', '  engine              = "postgres"', '  deletion_protection = true', '  skip_final_snapshot = false', '}');

    it('turned on for resources the base declares: errors naming the address', () => {
      const now = TF.replace('  bucket = "logs"\n', '  bucket = "logs"\n  force_destroy = true\n').replace('deletion_protection = true', 'deletion_protection = false').replace('skip_final_snapshot = false', 'skip_final_snapshot = true');
      assert.deepEqual(found(edit('infra/main.tf', TF, now)), {
        'infra/main.tf': [
          'new:3 sets `force_destroy = true` on `aws_s3_bucket.logs`: destroying it deletes every object in it',
          `new:7 sets \`deletion_protection = false\` on \`aws_db_instance.db\`: ${REFUSED}`,
          'new:8 sets `skip_final_snapshot = true` on `aws_db_instance.db`: destroying or replacing it keeps no final snapshot of its data',
        ],
      });
    });

    it('on a resource the change creates (a new dev module): a warning', () => {
      const dev = lines('resource "aws_s3_bucket" "scratch" {', '  force_destroy = true # dev only', '}', 'resource "aws_ecr_repository" "tmp" {', '  force_destroy = true', '}');
      assert.deepEqual(found(edit('modules/dev/main.tf', undefined, dev)), {
        'modules/dev/main.tf': [
          'new:2 (warning) sets `force_destroy = true` on `aws_s3_bucket.scratch`: destroying it deletes every object in it',
          'new:5 (warning) sets `force_destroy = true` on `aws_ecr_repository.tmp`: destroying it deletes everything in it',
        ],
      });
    });

    it('a protecting line taken from a resource still declared: an error; made an expression: a warning; Google (protected by default): quiet', () => {
      assert.deepEqual(found(edit('infra/main.tf', TF, TF.replace('  deletion_protection = true\n', ''))), { 'infra/main.tf': [`old:6 removes \`deletion_protection = true\` from \`aws_db_instance.db\`: ${REFUSED}`] });
      assert.deepEqual(found(edit('infra/main.tf', TF, TF.replace('deletion_protection = true', '# deletion_protection = true'))), { 'infra/main.tf': [`old:6 removes \`deletion_protection = true\` from \`aws_db_instance.db\`: ${REFUSED}`] });
      assert.deepEqual(found(edit('infra/main.tf', TF, TF.replace('deletion_protection = true', 'deletion_protection = var.protect'))), {
        'infra/main.tf': [`old:6 (warning) replaces \`deletion_protection = true\` on \`aws_db_instance.db\` with \`var.protect\`: where that is \`false\`, ${REFUSED}`],
      });
      const gcp = lines('resource "google_sql_database_instance" "main" {', '  name = "main"', '  deletion_protection = true', '}');
      assert.deepEqual(found(edit('infra/sql.tf', gcp, gcp.replace('  deletion_protection = true\n', ''))), {});
      // The whole resource removed: the destroy is the finding, not the setting.
      const bare = TF.split('resource "aws_db_instance"')[0]!;
      assert.deepEqual(found(edit('infra/main.tf', TF, bare)), { 'infra/main.tf': ['old:4 removes the resource `aws_db_instance.db`: Terraform destroys it (a rename or a move needs a `moved` block)'] });
    });

    it('automated backups: kept ones deleted, or none kept', () => {
      const db = lines('resource "aws_db_instance" "db" {', '  delete_automated_backups = false', '  backup_retention_period  = 7', '}');
      assert.deepEqual(found(edit('infra/db.tf', db, db.replace('  delete_automated_backups = false\n', '').replace('= 7', '= 0'))), {
        'infra/db.tf': [
          'new:2 sets `backup_retention_period = 0` on `aws_db_instance.db`: it keeps no automated backups, and those it has are deleted',
          'old:2 removes `delete_automated_backups = false` from `aws_db_instance.db`: destroying it deletes its automated backups with it',
        ],
      });
      assert.deepEqual(found(edit('infra/db.tf', db, db.replace('= false', '= true'))), {
        'infra/db.tf': ['new:2 sets `delete_automated_backups = true` on `aws_db_instance.db`: destroying it deletes its automated backups with it'],
      });
    });

    it('quiet: re-indented, moved to another file of the module, in a comment, turned off, prevent_destroy = false where nothing was', () => {
      const on = TF.replace('  bucket = "logs"\n', '  bucket = "logs"\n  force_destroy = true\n');
      assert.deepEqual(found(edit('infra/main.tf', on, on.replace('  force_destroy = true', '    force_destroy   =   true'))), {});
      const [bucket, db] = [on.split('resource "aws_db_instance"')[0]!, `resource "aws_db_instance"${on.split('resource "aws_db_instance"')[1]!}`];
      assert.deepEqual(found(edit('infra/main.tf', on, db), edit('infra/s3.tf', undefined, bucket)), {});
      assert.deepEqual(found(edit('infra/main.tf', TF, TF.replace('  bucket = "logs"\n', '  bucket = "logs"\n  # force_destroy = true\n  /* force_destroy = true */\n'))), {});
      assert.deepEqual(found(edit('infra/main.tf', TF, TF.replace('  bucket = "logs"\n', '  bucket = "logs"\n  force_destroy = false\n').replace('deletion_protection = true', 'deletion_protection = true # keep'))), {});
      assert.deepEqual(found(edit('infra/main.tf', TF, TF.replace('  bucket = "logs"\n', '  bucket = "logs"\n  lifecycle {\n    prevent_destroy = false\n  }\n'))), {});
    });

    it('the AWS default written out on a resource that had no such line is quiet (Google\'s default protects: still said); a setting in a later `locals` block is no resource\'s', () => {
      const db = lines('resource "aws_db_instance" "db" {', '  engine = "postgres"', '}');
      const explicit = db.replace('  engine = "postgres"\n', '  engine = "postgres"\n  deletion_protection = false\n  delete_automated_backups = true\n');
      assert.deepEqual(found(edit('infra/db.tf', db, explicit)), {});
      const wasVar = db.replace('  engine = "postgres"\n', '  engine = "postgres"\n  deletion_protection = var.protect\n');
      assert.deepEqual(found(edit('infra/db.tf', wasVar, wasVar.replace('var.protect', 'false'))), { 'infra/db.tf': [`new:3 sets \`deletion_protection = false\` on \`aws_db_instance.db\`: ${REFUSED}`] });
      const gcp = lines('resource "google_sql_database_instance" "main" {', '  name = "main"', '}');
      assert.deepEqual(found(edit('infra/sql.tf', gcp, gcp.replace('  name = "main"\n', '  name = "main"\n  deletion_protection = false\n'))), { 'infra/sql.tf': [`new:3 sets \`deletion_protection = false\` on \`google_sql_database_instance.main\`: ${REFUSED}`] });
      assert.deepEqual(found(edit('infra/db.tf', db, db + lines('', 'locals {', '  force_destroy = true', '}'))), {});
    });

    it('prevent_destroy = true turned false is the one finding it was', () => {
      const kept = lines('resource "aws_db_instance" "db" {', '  lifecycle {', '    prevent_destroy = true', '  }', '}');
      assert.deepEqual(found(edit('infra/db.tf', kept, kept.replace('= true', '= false'))), { 'infra/db.tf': ['old:3 removes `prevent_destroy = true` from `aws_db_instance.db`'] });
    });
  });

  describe('CloudFormation and SAM', () => {
    const T = lines('Resources:', '  Table:', '    Type: AWS::DynamoDB::Table', '    DeletionPolicy: Retain', '    UpdateReplacePolicy: Retain', '    Properties:', '      DeletionProtectionEnabled: true', '      TableName: orders');

    it('UpdateReplacePolicy and DeletionProtectionEnabled turned to Delete / false, or taken away', () => {
      assert.deepEqual(found(edit('template.yaml', T, T.replace('UpdateReplacePolicy: Retain', 'UpdateReplacePolicy: Delete').replace('Enabled: true', 'Enabled: false'))), {
        'template.yaml': [
          'new:5 sets `UpdateReplacePolicy: Delete` on `Table`, which kept it (`Retain`): a replacement now deletes the old one and its data',
          'new:7 sets `DeletionProtectionEnabled: false` on `Table` (`AWS::DynamoDB::Table`): a delete or a replacement of it is no longer refused',
        ],
      });
      assert.deepEqual(found(edit('template.yaml', T, T.replace('    UpdateReplacePolicy: Retain\n', '').replace('      DeletionProtectionEnabled: true\n', ''))), {
        'template.yaml': [
          'old:5 takes `UpdateReplacePolicy: Retain` from `Table`: a replacement now deletes the old one and its data',
          'old:7 takes `DeletionProtectionEnabled: true` from `Table` (`AWS::DynamoDB::Table`): a delete or a replacement of it is no longer refused',
        ],
      });
      assert.deepEqual(found(edit('template.yaml', T, T.replace('UpdateReplacePolicy: Retain', 'UpdateReplacePolicy: !If [IsProd, Retain, Delete]').replace('Enabled: true', 'Enabled: !Ref Protect'))), {
        'template.yaml': [
          'new:5 (warning) makes `UpdateReplacePolicy` of `Table` conditional, where it was `Retain`: where the condition picks `Delete`, a replacement deletes the old one and its data',
          'new:7 (warning) replaces `DeletionProtectionEnabled: true` on `Table` with `!Ref Protect`: where that is false, a delete or a replacement of it is no longer refused',
        ],
      });
    });

    it('JSON templates: "DeletionProtection": "true" made false', () => {
      const db = (v: string) => lines('{', '  "Resources": {', '    "Db": {', '      "Type": "AWS::RDS::DBInstance",', '      "Properties": {', `        "DeletionProtection": ${v}`, '      }', '    }', '  }', '}');
      assert.deepEqual(found(edit('stack.json', db('"true"'), db('false'))), { 'stack.json': ['new:6 sets `DeletionProtection: false` on `Db` (`AWS::RDS::DBInstance`): a delete or a replacement of it is no longer refused'] });
    });

    it('DeletionPolicy taken away: said as what it governs (a removal from the template, the stack deleted), not a replacement', () => {
      assert.deepEqual(found(edit('template.yaml', T, T.replace('    DeletionPolicy: Retain\n', ''))), {
        'template.yaml': ['old:4 takes `DeletionPolicy: Retain` from `Table`: removing it from the template, or deleting the stack, now deletes it'],
      });
    });

    it('quiet: the defaults written out (Delete, false) where nothing kept it, re-indented, a new resource', () => {
      const bare = T.replace('    UpdateReplacePolicy: Retain\n', '').replace('Enabled: true', 'Enabled: false');
      assert.deepEqual(found(edit('template.yaml', T.replace('    UpdateReplacePolicy: Retain\n', '').replace('      DeletionProtectionEnabled: true\n', ''), bare.replace('    DeletionPolicy: Retain\n', '    DeletionPolicy: Retain\n    UpdateReplacePolicy: Delete\n'))), {});
      assert.deepEqual(found(edit('template.yaml', undefined, bare)), {});
      assert.deepEqual(found(edit('template.yaml', T, T.replace('      DeletionProtectionEnabled: true\n      TableName: orders\n', '      TableName: orders\n      DeletionProtectionEnabled: "true" # keep\n'))), {});
    });
  });

  describe('AWS CDK and Pulumi programs', () => {
    const STACK = lines(
      "import { RemovalPolicy, Stack } from 'aws-cdk-lib';",
      "import * as s3 from 'aws-cdk-lib/aws-s3';",
      'export class AppStack extends Stack {',
      '  constructor(scope: Construct, id: string) {',
      '    super(scope, id);',
      "    new s3.Bucket(this, 'Logs', {",
      '      removalPolicy: RemovalPolicy.RETAIN,',
      '    });',
      '  }',
      '}',
    );

    it('RETAIN made DESTROY, autoDeleteObjects on an existing bucket: errors; on a new construct, or picked by a condition: warnings', () => {
      assert.deepEqual(found(edit('lib/app-stack.ts', STACK, STACK.replace('RETAIN,', 'DESTROY,\n      autoDeleteObjects: true,'))), {
        'lib/app-stack.ts': [
          'new:7 sets `RemovalPolicy.DESTROY` on `Logs` (`s3.Bucket`): deleting the stack, or removing or replacing it, deletes it and its data',
          'new:8 sets `autoDeleteObjects: true` on `Logs` (`s3.Bucket`): destroying it deletes every object in it',
        ],
      });
      const added = STACK.replace('    });\n  }', "    });\n    new s3.Bucket(this, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY });\n  }");
      assert.deepEqual(found(edit('lib/app-stack.ts', STACK, added)), {
        'lib/app-stack.ts': ['new:9 (warning) sets `RemovalPolicy.DESTROY` on `Scratch` (`s3.Bucket`): deleting the stack, or removing or replacing it, deletes it and its data'],
      });
      assert.deepEqual(found(edit('lib/app-stack.ts', STACK, STACK.replace('RemovalPolicy.RETAIN', 'prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY'))), {
        'lib/app-stack.ts': ['new:7 (warning) sets `RemovalPolicy.DESTROY` on `Logs` (`s3.Bucket`) where a condition picks it: deleting the stack, or removing or replacing it, deletes it and its data'],
      });
    });

    it('named after the construct whose props it is in, not one made inline in them above it (`encryptionKey: new kms.Key(this, …)`)', () => {
      const keyed = STACK.replace("      removalPolicy: RemovalPolicy.RETAIN,", "      encryptionKey: new kms.Key(this, 'LogsKey'),\n      removalPolicy: RemovalPolicy.RETAIN,");
      assert.deepEqual(found(edit('lib/app-stack.ts', keyed, keyed.replace('RETAIN,', 'DESTROY,'))), {
        'lib/app-stack.ts': ['new:8 sets `RemovalPolicy.DESTROY` on `Logs` (`s3.Bucket`): deleting the stack, or removing or replacing it, deletes it and its data'],
      });
    });

    it('a keeping removal policy taken away: a warning (the construct default may keep it)', () => {
      assert.deepEqual(found(edit('lib/app-stack.ts', STACK, STACK.replace('      removalPolicy: RemovalPolicy.RETAIN,\n', ''))), {
        'lib/app-stack.ts': ["old:7 (warning) takes `RemovalPolicy.RETAIN` from `Logs` (`s3.Bucket`): the construct's default applies, which deletes it for a `Cfn…` construct and most that hold no data"],
      });
    });

    it('Python: deletion_protection=False and apply_removal_policy(RemovalPolicy.DESTROY)', () => {
      const py = lines('from aws_cdk import RemovalPolicy, Stack', 'class DbStack(Stack):', '    def __init__(self, scope, id):', '        table = dynamodb.Table(self, "Orders",', '            deletion_protection=True,', '        )');
      assert.deepEqual(found(edit('infra/db_stack.py', py, py.replace('=True', '=False') + '        table.apply_removal_policy(RemovalPolicy.DESTROY)\n')), {
        'infra/db_stack.py': [
          'new:5 sets `deletion_protection=False` on `Orders` (`dynamodb.Table`): a delete or a replacement of it is no longer refused',
          'new:7 sets `RemovalPolicy.DESTROY` on `table`: deleting the stack, or removing or replacing it, deletes it and its data',
        ],
      });
    });

    it('deletionProtection: true taken away: an error, said once where it is made false; backupRetention of zero days', () => {
      const db = lines("import { Duration, Stack } from 'aws-cdk-lib';", 'export class DbStack extends Stack {', '  constructor(scope: Construct, id: string) {', '    super(scope, id);', "    new rds.DatabaseInstance(this, 'Orders', {", '      backupRetention: Duration.days(7),', '      deletionProtection: true,', '    });', '  }', '}');
      assert.deepEqual(found(edit('lib/db-stack.ts', db, db.replace('      deletionProtection: true,\n', ''))), {
        'lib/db-stack.ts': [`old:7 takes \`deletionProtection: true\` from \`Orders\` (\`rds.DatabaseInstance\`): a delete or a replacement of it is no longer refused`],
      });
      assert.deepEqual(found(edit('lib/db-stack.ts', db, db.replace('deletionProtection: true', 'deletionProtection: false'))), {
        'lib/db-stack.ts': [`new:7 sets \`deletionProtection: false\` on \`Orders\` (\`rds.DatabaseInstance\`): a delete or a replacement of it is no longer refused`],
      });
      assert.deepEqual(found(edit('lib/db-stack.ts', db, db.replace('Duration.days(7)', 'Duration.days(0)'))), {
        'lib/db-stack.ts': ['new:6 sets `backupRetention: Duration.days(0)` on `Orders` (`rds.DatabaseInstance`): it keeps no automated backups, and those it has are deleted'],
      });
    });

    it('Pulumi: forceDestroy turned on, protect taken away', () => {
      const pu = lines('import * as aws from "@pulumi/aws";', 'const logs = new aws.s3.Bucket("logs", {', '  forceDestroy: false,', '}, { protect: true });');
      assert.deepEqual(found(edit('infra/index.ts', pu, pu.replace('forceDestroy: false', 'forceDestroy: true').replace('{ protect: true }', '{}'))), {
        'infra/index.ts': [
          'new:3 sets `forceDestroy: true` on `logs` (`aws.s3.Bucket`): destroying it deletes everything in it',
          'old:4 takes `protect: true` from `logs` (`aws.s3.Bucket`): Pulumi no longer refuses to delete it',
        ],
      });
    });

    it('quiet: moved or re-indented, in a comment, turned off, a test of the stack, a `protect` option outside Pulumi', () => {
      const on = STACK.replace('RETAIN', 'DESTROY');
      assert.deepEqual(found(edit('lib/app-stack.ts', on, on.replace('      removalPolicy: RemovalPolicy.DESTROY,', '        removalPolicy:  RemovalPolicy.DESTROY'))), {});
      assert.deepEqual(found(edit('lib/app-stack.ts', STACK, STACK.replace('    });', '      // removalPolicy: RemovalPolicy.DESTROY,\n      # autoDeleteObjects: true\n      autoDeleteObjects: false, // not autoDeleteObjects: true\n    });'))), {});
      assert.deepEqual(found(edit('infra/test/app-stack.test.ts', undefined, "new s3.Bucket(stack, 'B', { removalPolicy: RemovalPolicy.DESTROY });\n")), {});
      const opts = lines('export const render = (el) => draw(el, { protect: true });');
      assert.deepEqual(found(edit('infra/render.ts', opts, lines('export const render = (el) => draw(el, {});'))), {});
    });

    it('readsContent: CDK and Pulumi paths are read; ordinary source files and the benchmark paths are not', () => {
      for (const p of ['lib/app-stack.ts', 'lib/ApiStack.ts', 'cdk/lib/db.ts', 'infra/index.ts', 'infrastructure/stacks/network.py', 'stacks/db.py', 'storage_stack.py', 'pulumi/index.ts']) assert.equal(readsContent(p), true, p);
      for (const p of ['src/app.ts', 'src/utils/format.ts', 'src/infra.ts', 'app.py', 'src/components/NavStack.tsx', 'lib/index.js']) assert.equal(readsContent(p), false, p);
      const bench = [...Array.from({ length: 20000 }, (_, i) => fileName(i, 100)), ...Array.from({ length: 2000 }, (_, k) => `src/new/${String(k).padStart(4, '0')}.ts`)];
      assert.equal(bench.filter(readsContent).length, 0);
    });
  });

  describe('Kubernetes reclaim policy', () => {
    const PV = lines('apiVersion: v1', 'kind: PersistentVolume', 'metadata:', '  name: data', 'spec:', '  persistentVolumeReclaimPolicy: Retain', '  capacity:', '    storage: 10Gi');
    const SC = lines('apiVersion: storage.k8s.io/v1', 'kind: StorageClass', 'metadata:', '  name: fast', 'provisioner: ebs.csi.aws.com', 'reclaimPolicy: Retain');

    it('Retain (or a static volume with none) made Delete: an error; a new PersistentVolume with Delete: a warning', () => {
      assert.deepEqual(found(edit('k8s/pv.yaml', PV, PV.replace('Retain', 'Delete'))), { 'k8s/pv.yaml': ['new:6 changes the reclaim policy of `PersistentVolume/data` from `Retain` to `Delete`: deleting its claim deletes the volume and the data on it'] });
      assert.deepEqual(found(edit('k8s/pv.yaml', PV.replace('  persistentVolumeReclaimPolicy: Retain\n', ''), PV.replace('Retain', 'Delete'))), { 'k8s/pv.yaml': ['new:6 sets `persistentVolumeReclaimPolicy: Delete` on `PersistentVolume/data`: deleting its claim deletes the volume and the data on it'] });
      assert.deepEqual(found(edit('k8s/pv.yaml', undefined, PV.replace('Retain', 'Delete'))), { 'k8s/pv.yaml': ['new:6 (warning) sets `persistentVolumeReclaimPolicy: Delete` on `PersistentVolume/data`: deleting its claim deletes the volume and the data on it'] });
      assert.deepEqual(found(edit('k8s/sc.yaml', SC, SC.replace('Retain', 'Delete'))), { 'k8s/sc.yaml': ['new:6 changes the reclaim policy of `StorageClass/fast` from `Retain` to `Delete`: deleting a claim it provisioned deletes the volume and the data on it'] });
    });

    it('an object is named by its own metadata.name, not a `name:` label above it (kubectl sorts labels first)', () => {
      const ns = (label: string, name: string) => lines('apiVersion: v1', 'kind: Namespace', 'metadata:', '  labels:', `    name: ${label}`, `  name: ${name}`);
      assert.deepEqual(found(edit('k8s/ns.yaml', ns('shop', 'shop'), ns('shop-team', 'shop'))), {});
      const gone = 'old:2 removes the Namespace `shop`: deleting a Namespace deletes everything in it';
      assert.deepEqual(found(edit('k8s/ns.yaml', ns('shop', 'shop'), ns('shop', 'store'))), { 'k8s/ns.yaml': [gone] });
      assert.deepEqual(found(edit('k8s/ns.yaml', ns('{{ .Cluster }}', 'shop'), undefined)), { 'k8s/ns.yaml': [gone] });
      const pv = (label: string) => PV.replace('metadata:\n', `metadata:\n  labels:\n    name: ${label}\n`);
      assert.deepEqual(found(edit('k8s/pv.yaml', pv('a'), pv('b').replace('Retain', 'Delete'))), { 'k8s/pv.yaml': ['new:8 changes the reclaim policy of `PersistentVolume/data` from `Retain` to `Delete`: deleting its claim deletes the volume and the data on it'] });
    });

    it('quiet: a StorageClass with the default written out, re-indented, a comment', () => {
      assert.deepEqual(found(edit('k8s/sc.yaml', undefined, SC.replace('Retain', 'Delete'))), {});
      assert.deepEqual(found(edit('k8s/sc.yaml', SC.replace('reclaimPolicy: Retain\n', ''), SC.replace('Retain', 'Delete'))), {});
      const del = PV.replace('Retain', 'Delete');
      assert.deepEqual(found(edit('k8s/pv.yaml', del, del.replace('  persistentVolumeReclaimPolicy: Delete', '  persistentVolumeReclaimPolicy:   Delete'))), {});
      assert.deepEqual(found(edit('k8s/pv.yaml', PV, PV.replace('  capacity:', '  # persistentVolumeReclaimPolicy: Delete\n  capacity:'))), {});
    });
  });
});
